import { channelCapabilities } from '../../channels/index.js';
import {
  type Effect,
  type EffectResult,
  type FlowValue,
  type LogEntry,
  runTurn,
  type SessionState,
  type TurnEnvironment,
  type TurnInput,
  type TurnResult,
} from '../../engine/index.js';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { EventBus } from '../../platform/events/event-bus.port.js';
import type { Logger } from '../../platform/observability/logger.js';
import {
  claimDueRow,
  finishClaimedRow,
  type RowClaim,
  releaseClaimedRow,
} from '../../platform/queue/due-rows-sql.js';
import { buildDueRowDedupeKey } from '../../platform/queue/due-rows-sweeper.js';
import { type Queue, RetryLaterError } from '../../platform/queue/queue.port.js';
import type { FlowCommands } from '../../shared/contracts/flows.contract.js';
import type { FlowDocument } from '../../shared/flows/flow-document.js';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import type {
  ChannelsService,
  ContactsService,
  MediaService,
  OutboundService,
  ReceivedMessage,
} from '../messaging/index.js';
import { ActionError, type ActionRegistry } from './actions.js';
import { performHttpEffect } from './http-effect.js';
import { normalizeKeyword } from './keywords.js';
import * as repository from './runtime.repository.js';

/**
 * The flow runtime (ARCHITECTURE.md §5): routes each inbound message to its conversation's
 * bot, runs turns strictly in order per conversation — even with many workers — and applies
 * what turns decide exactly once.
 *
 * - An input (message, effect result, wake-up, hand-back) is a `flow_inputs` row; the
 *   conversation's `flow_lanes` row is a due row whose claim is the right to run its turns.
 * - A turn runs the pure engine and, in ONE transaction fenced by the lane's claim, stores the
 *   session, writes what it decided to `flow_outbox` under the engine's once-only ids, and
 *   marks the input done. A retried turn recomputes the same ids, so nothing happens twice.
 * - Outbox rows are applied after the commit: sends become messages with the row id as
 *   idempotency key; HTTP calls and actions feed their result back as an input; wake-ups are
 *   due rows that become inputs when their time comes.
 */

export const flowTurnJob = 'flows.turn';
export const flowEffectJob = 'flows.effect';

const laneLeaseMs = 60_000;
const outboxLeaseMs = 120_000;
const inputsPerPass = 20;
const historyLimit = 50;
/** How long a turn waits for a message's media to be downloaded before going on without it. */
const mediaWaitMs = 60_000;
const mediaPollMs = 1_000;
/** Published flow versions kept parsed in memory (least recently used go first). */
const versionCacheSize = 500;

/** What the bot answers to a global command, in the flow's language. */
const commandReplies: Record<
  'cancel' | 'human' | 'optOut',
  Record<FlowDocument['locale'], string>
> = {
  cancel: {
    'pt-BR':
      'Tudo bem, encerrei este atendimento. Quando quiser, envie *menu* para começar de novo.',
    'pt-PT':
      'Está bem, terminei este atendimento. Quando quiser, envie *menu* para começar de novo.',
    en: 'All right, I ended this conversation. Send *menu* whenever you want to start again.',
  },
  human: {
    'pt-BR': 'Certo! Vou te transferir para um atendente. Aguarde um momento, por favor.',
    'pt-PT': 'Certo! Vou transferi-lo para um assistente. Aguarde um momento, por favor.',
    en: 'Sure! I am transferring you to an agent. Please wait a moment.',
  },
  optOut: {
    'pt-BR':
      'Pronto, você não vai mais receber mensagens nossas por aqui. Se mudar de ideia, é só nos chamar.',
    'pt-PT':
      'Pronto, não vai receber mais mensagens nossas por aqui. Se mudar de ideias, basta contactar-nos.',
    en: 'Done: you will not get any more messages from us here. If you change your mind, just write to us.',
  },
};

export type TriggerLookup = {
  /** The flow a message starts on this channel: keyword triggers first, then the default. */
  findTriggerFlow(
    channelId: string,
    text: string | undefined,
  ): Promise<{ flowId: string; versionId: string; document: FlowDocument } | undefined>;
  /** The default flow only ("menu"). */
  findDefaultFlow(
    channelId: string,
  ): Promise<{ flowId: string; versionId: string; document: FlowDocument } | undefined>;
  commandsOf(channelId: string): Promise<FlowCommands>;
};

export type FlowRuntimeDeps = {
  db: Database;
  queue: Queue;
  events: EventBus;
  logger: Logger;
  outbound: Pick<OutboundService, 'sendMessage'>;
  media: Pick<MediaService, 'mediaOfMessage'>;
  contacts: ContactsService;
  channels: Pick<ChannelsService, 'openChannel'>;
  triggers: TriggerLookup;
  actions: ActionRegistry;
  /** For `action.http`; fetch by default. */
  fetch?: typeof fetch;
  now?: () => Date;
};

type Outcome = 'done' | 'deferred' | 'wait-media';

class LaneLostError extends Error {}

export function createFlowRuntime(deps: FlowRuntimeDeps) {
  const { db, queue } = deps;
  const logger = deps.logger.child({ module: 'flows.runtime' });
  const now = deps.now ?? (() => new Date());
  const httpFetch = deps.fetch ?? ((url, init) => fetch(url, init));

  const systemPrincipal = (tenantId: string): Principal => ({
    userId: '00000000-0000-0000-0000-000000000000',
    tenantId,
    role: 'admin',
    isSuperAdmin: false,
  });

  /**
   * Published versions never change: each is read and parsed once per process, and the same
   * document object serves every turn (so the engine's per-block options cache holds too).
   */
  const versions = new Map<string, { document: FlowDocument }>();
  async function versionDocument(versionId: string) {
    const cached = versions.get(versionId);
    if (cached) {
      versions.delete(versionId);
      versions.set(versionId, cached);
      return cached;
    }
    const row = await repository.findVersionDocument(db, versionId);
    if (!row) return undefined;
    const version = { document: row.document };
    versions.set(versionId, version);
    if (versions.size > versionCacheSize) {
      const oldest = versions.keys().next().value;
      if (oldest !== undefined) versions.delete(oldest);
    }
    return version;
  }

  async function enqueueLane(conversationId: string, delayMs?: number) {
    await queue.enqueue(
      flowTurnJob,
      { conversationId },
      {
        dedupeKey: buildDueRowDedupeKey(flowTurnJob, conversationId),
        ...(delayMs ? { delayMs } : {}),
      },
    );
  }

  async function addInput(input: Parameters<typeof repository.insertInput>[1]) {
    await repository.insertInput(db, input);
    await enqueueLane(input.conversationId);
  }

  /** The routing port of the messaging module. Idempotent (one input per message). */
  async function route(message: ReceivedMessage): Promise<void> {
    if (message.event.content.type === 'reaction') return;
    await addInput({
      tenantId: message.tenantId,
      conversationId: message.conversationId,
      kind: 'message',
      payload: {
        messageId: message.messageId,
        channelId: message.channelId,
        contactId: message.contactId,
        content: message.event.content,
      },
      dedupeKey: `message:${message.messageId}`,
    });
  }

  /** The `flows.turn` job: runs every pending input of a conversation, in order. */
  async function processLane(conversationId: string): Promise<void> {
    const claim = await claimDueRow(db, repository.lanesTable, conversationId, laneLeaseMs);
    if (!claim) return;
    try {
      for (;;) {
        const generation = await repository.laneGeneration(db, conversationId);
        const inputs = await repository.pendingInputs(db, conversationId, inputsPerPass);
        let progressed = false;
        for (const input of inputs) {
          const outcome = await processInput(input, claim);
          if (outcome === 'wait-media') {
            // The lane's own job retries shortly (a new enqueue would be de-duplicated away).
            await releaseClaimedRow(db, repository.lanesTable, claim, mediaPollMs);
            throw new RetryLaterError('waiting for the message media to be stored', mediaPollMs);
          }
          if (outcome === 'done') {
            progressed = true;
            break; // Re-read: a done turn may unblock deferred inputs before the next one.
          }
        }
        if (progressed) continue;
        if (await repository.finishLane(db, conversationId, claim.lease, generation)) return;
      }
    } catch (error) {
      if (error instanceof LaneLostError) return;
      if (error instanceof RetryLaterError) throw error;
      await releaseClaimedRow(db, repository.lanesTable, claim, 2_000).catch(() => undefined);
      throw error;
    }
  }

  async function processInput(input: repository.InputRow, claim: RowClaim): Promise<Outcome> {
    const session = await repository.findLiveSession(db, input.conversationId);
    if (input.kind !== 'message') {
      if (!session) return finishWithoutTurn(input, claim, 'no-session');
      return turn(input, claim, session, toTurnInput(input));
    }
    const payload = input.payload as {
      channelId: string;
      contactId: string;
      messageId: string;
      content: MessageContent;
    };
    const message = await messageInput(input, payload);
    if (message === 'wait-media') return 'wait-media';
    const text = textOf(payload.content);
    // Commands are typed words: a tap on a flow's own "Atendente" button is the flow's answer.
    const command =
      payload.content.type === 'text' && text
        ? matchCommand(await deps.triggers.commandsOf(payload.channelId), text)
        : undefined;
    if (session) {
      if (command) {
        const locale = (await versionDocument(session.flowVersionId))?.document.locale;
        return runCommand(command, input, claim, session, payload, locale);
      }
      if (session.status === 'handoff') return finishWithoutTurn(input, claim, 'handoff');
      return turn(input, claim, session, message);
    }
    const trigger = await deps.triggers.findTriggerFlow(payload.channelId, text);
    // A channel without bots (no trigger matches, not even a default) never hears from one.
    if (!trigger) return finishWithoutTurn(input, claim, 'no-flow');
    if (command) {
      return runCommand(command, input, claim, undefined, payload, trigger.document.locale);
    }
    return startSession(input, claim, payload, trigger);
  }

  async function messageInput(
    input: repository.InputRow,
    payload: { messageId: string; content: MessageContent },
  ): Promise<TurnInput | 'wait-media'> {
    const { content } = payload;
    const base = { kind: 'message', content } as const;
    if (!['image', 'audio', 'video', 'document', 'sticker'].includes(content.type)) return base;
    const media = await deps.media.mediaOfMessage(input.tenantId, payload.messageId);
    const waited = now().getTime() - input.createdAt.getTime();
    if (media?.status !== 'stored') {
      if (media?.status === 'pending' && waited < mediaWaitMs) return 'wait-media';
      return base;
    }
    return {
      ...base,
      file: {
        mediaId: media.id,
        mimeType: media.mimeType ?? media.declaredMimeType ?? 'application/octet-stream',
        size: media.sizeBytes ?? 0,
        ...(media.filename ? { fileName: media.filename } : {}),
      },
    };
  }

  async function environment(
    tenantId: string,
    channelId: string,
    contactId: string,
    at: Date,
  ): Promise<TurnEnvironment> {
    const [contact, channel] = await Promise.all([
      deps.contacts.getContact(tenantId, contactId),
      deps.channels.openChannel(channelId, tenantId),
    ]);
    const sends = channel ? channelCapabilities(channel.provider, channel.config).sends : [];
    return {
      now: at,
      contact: { id: contactId, name: contact?.name ?? null, phone: contact?.phone ?? null },
      channel: {
        id: channelId,
        name: channel?.row.name ?? '',
        traits: { buttons: sends.includes('buttons'), lists: sends.includes('list') },
      },
    };
  }

  async function startSession(
    input: repository.InputRow,
    claim: RowClaim,
    payload: { channelId: string; contactId: string },
    trigger: { flowId: string; versionId: string; document: FlowDocument },
    previous?: repository.SessionRow,
    extraOutgoing: MessageContent[] = [],
  ): Promise<Outcome> {
    const env = await environment(
      input.tenantId,
      payload.channelId,
      payload.contactId,
      input.createdAt,
    );
    const result = runTurn(trigger.document, null, { kind: 'start' }, env);
    await commitTurn(input, claim, {
      result,
      sessionValues: {
        tenantId: input.tenantId,
        conversationId: input.conversationId,
        channelId: payload.channelId,
        contactId: payload.contactId,
        flowId: trigger.flowId,
        flowVersionId: trigger.versionId,
      },
      ...(previous ? { endPrevious: previous } : {}),
      extraOutgoing,
      outcome: 'started',
    });
    return 'done';
  }

  async function turn(
    input: repository.InputRow,
    claim: RowClaim,
    session: repository.SessionRow,
    turnInput: TurnInput,
  ): Promise<Outcome> {
    const version = await versionDocument(session.flowVersionId);
    if (!version) return finishWithoutTurn(input, claim, 'version-missing');
    const env = await environment(
      session.tenantId,
      session.channelId,
      session.contactId,
      input.createdAt,
    );
    const result = runTurn(version.document, session.state, turnInput, env);
    if (result.deferred) return 'deferred';
    await commitTurn(input, claim, { result, session, outcome: 'turn' });
    return 'done';
  }

  async function runCommand(
    command: keyof FlowCommands,
    input: repository.InputRow,
    claim: RowClaim,
    session: repository.SessionRow | undefined,
    payload: { channelId: string; contactId: string },
    locale: FlowDocument['locale'] = 'pt-BR',
  ): Promise<Outcome> {
    const outcome = `command:${command}`;
    if (command === 'menu') {
      const trigger = await deps.triggers.findDefaultFlow(payload.channelId);
      if (!trigger) return finishWithoutTurn(input, claim, 'no-flow');
      return startSession(input, claim, payload, trigger, session);
    }
    const reply: MessageContent = { type: 'text', text: commandReplies[command][locale] };
    const reason = command === 'optOut' ? 'opted-out' : command === 'cancel' ? 'cancelled' : null;
    await db.transaction(async (tx) => {
      if (!(await repository.holdsLane(tx, input.conversationId, claim.lease)))
        throw new LaneLostError();
      const at = now();
      if (session && reason) {
        await repository.updateSession(tx, session.id, {
          status: 'ended',
          endReason: reason,
          endedAt: at,
          state: {
            ...session.state,
            status: 'ended',
            endReason: reason,
            blockId: null,
            waiting: null,
            inactivity: null,
          },
          history: appendHistory(
            session.history,
            [{ blockId: session.state.blockId, event: outcome }],
            at,
          ),
        });
      } else if (session && command === 'human') {
        await repository.updateSession(tx, session.id, {
          status: 'handoff',
          state: { ...session.state, status: 'handoff' },
          history: appendHistory(
            session.history,
            [{ blockId: session.state.blockId, event: outcome }],
            at,
          ),
        });
      }
      await repository.insertOutbox(tx, [
        {
          id: `input:${input.id}:reply`,
          tenantId: input.tenantId,
          sessionId: session?.id ?? null,
          conversationId: input.conversationId,
          kind: 'send',
          payload: { content: reply, channelId: payload.channelId, contactId: payload.contactId },
        },
        ...(command === 'human'
          ? [
              {
                id: `input:${input.id}:handoff`,
                tenantId: input.tenantId,
                sessionId: session?.id ?? null,
                conversationId: input.conversationId,
                kind: 'handoff' as const,
                payload: { note: 'The person asked for a human.' },
              },
            ]
          : []),
        ...(command === 'optOut'
          ? [
              {
                id: `input:${input.id}:opt-out`,
                tenantId: input.tenantId,
                sessionId: session?.id ?? null,
                conversationId: input.conversationId,
                kind: 'opt-out' as const,
                payload: { contactId: payload.contactId },
              },
            ]
          : []),
      ]);
      await repository.markInputDone(tx, input.id, outcome);
    });
    await dispatchTurnOutbox(input);
    return 'done';
  }

  async function finishWithoutTurn(
    input: repository.InputRow,
    claim: RowClaim,
    outcome: string,
  ): Promise<Outcome> {
    await db.transaction(async (tx) => {
      if (!(await repository.holdsLane(tx, input.conversationId, claim.lease)))
        throw new LaneLostError();
      await repository.markInputDone(tx, input.id, outcome);
    });
    return 'done';
  }

  async function commitTurn(
    input: repository.InputRow,
    claim: RowClaim,
    turn: {
      result: TurnResult;
      outcome: string;
      session?: repository.SessionRow;
      sessionValues?: Omit<
        repository.SessionRow,
        'id' | 'status' | 'state' | 'history' | 'endReason' | 'endedAt' | 'createdAt' | 'updatedAt'
      >;
      endPrevious?: repository.SessionRow;
      extraOutgoing?: MessageContent[];
    },
  ): Promise<void> {
    const { result } = turn;
    const at = now();
    await db.transaction(async (tx) => {
      if (!(await repository.holdsLane(tx, input.conversationId, claim.lease)))
        throw new LaneLostError();
      if (turn.endPrevious) {
        const previous = turn.endPrevious;
        await repository.updateSession(tx, previous.id, {
          status: 'ended',
          endReason: 'restarted',
          endedAt: at,
          state: {
            ...previous.state,
            status: 'ended',
            endReason: 'cancelled',
            blockId: null,
            waiting: null,
            inactivity: null,
          },
          history: appendHistory(
            previous.history,
            [{ blockId: previous.state.blockId, event: 'command:menu' }],
            at,
          ),
        });
      }
      const sessionFields = sessionColumns(result.state, at);
      const session = turn.session
        ? turn.session
        : await repository.insertSession(tx, {
            ...(turn.sessionValues as NonNullable<typeof turn.sessionValues>),
            ...sessionFields,
            history: appendHistory([], result.log, at),
          });
      if (turn.session) {
        await repository.updateSession(tx, session.id, {
          ...sessionFields,
          history: appendHistory(session.history, result.log, at),
        });
      }
      await repository.insertOutbox(tx, outboxRows(session, result, at));
      await repository.markInputDone(tx, input.id, turn.outcome);
    });
    await dispatchTurnOutbox(input);
  }

  function sessionColumns(state: SessionState, at: Date) {
    return {
      status: state.status,
      state,
      endReason: state.status === 'ended' ? (state.endReason ?? 'completed') : null,
      endedAt: state.status === 'ended' ? at : null,
    };
  }

  function outboxRows(session: repository.SessionRow, result: TurnResult, at: Date) {
    const base = {
      tenantId: session.tenantId,
      sessionId: session.id,
      conversationId: session.conversationId,
    };
    const rows: Parameters<typeof repository.insertOutbox>[1] = result.outgoing.map((message) => ({
      ...base,
      id: `${session.id}:${message.id}`,
      kind: 'send' as const,
      payload: {
        content: message.content,
        channelId: session.channelId,
        contactId: session.contactId,
      },
    }));
    for (const effect of result.effects) {
      const { id, kind, ...rest } = effect;
      rows.push({
        ...base,
        id: `${session.id}:${id}`,
        kind,
        payload: { ...rest, effectId: id } as Record<string, unknown>,
        dueAt: effect.kind === 'schedule-wake' ? new Date(effect.at) : at,
      });
    }
    return rows;
  }

  /** After a turn committed: applies its outbox rows now, in order (the sweeper is the backstop). */
  async function dispatchTurnOutbox(input: Pick<repository.InputRow, 'conversationId'>) {
    const rows = await repository.pendingOutbox(db, input.conversationId);
    for (const row of rows) {
      if (row.dueAt.getTime() > now().getTime()) {
        await queue.enqueue(
          flowEffectJob,
          { id: row.id },
          {
            dedupeKey: buildDueRowDedupeKey(flowEffectJob, row.id),
            delayMs: row.dueAt.getTime() - now().getTime(),
          },
        );
        continue;
      }
      try {
        await applyOutbox(row.id);
      } catch (error) {
        logger.warn({ err: error, outboxId: row.id }, 'flow effect failed; it will be retried');
        await queue.enqueue(
          flowEffectJob,
          { id: row.id },
          { dedupeKey: buildDueRowDedupeKey(flowEffectJob, row.id), delayMs: 1_000 },
        );
      }
    }
  }

  /** The `flows.effect` job: applies one outbox row once. */
  async function applyOutbox(id: string): Promise<void> {
    const claim = await claimDueRow(db, repository.outboxTable, id, outboxLeaseMs);
    if (!claim) return;
    const row = await repository.findOutbox(db, id);
    if (!row) return;
    try {
      await applyClaimed(row, claim);
    } catch (error) {
      await releaseClaimedRow(db, repository.outboxTable, claim, 5_000).catch(() => undefined);
      throw error;
    }
  }

  async function applyClaimed(row: repository.OutboxRow, claim: RowClaim) {
    const payload = row.payload as Record<string, unknown>;
    const finish = (result: Record<string, unknown>, status?: 'failed') =>
      db.transaction(async (tx) => {
        await repository.recordOutboxResult(tx, row.id, result);
        await finishClaimedRow(tx, repository.outboxTable, claim, status);
      });
    switch (row.kind) {
      case 'send': {
        try {
          const message = await deps.outbound.sendMessage(systemPrincipal(row.tenantId), {
            channelId: payload.channelId as string,
            to: { contactId: payload.contactId as string },
            content: payload.content as MessageContent,
            idempotencyKey: `flow:${row.id}`.slice(0, 200),
            purpose: 'reply',
          });
          await finish({ messageId: message.id });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // Refused for good (opted out, outside the window, content the channel cannot send).
          logger.warn({ outboxId: row.id, code: error.code }, 'flow message refused');
          await finish({ error: { code: error.code, message: error.message } }, 'failed');
        }
        return;
      }
      case 'http': {
        const result = await performHttpEffect(httpFetch, payload.request as never);
        await feedResult(row, payload.effectId as string, result, finish);
        return;
      }
      case 'call': {
        const action = deps.actions.find(payload.action as string);
        let result: EffectResult;
        if (!action) {
          result = {
            ok: false,
            error: {
              code: 'UNKNOWN_ACTION',
              message: `No module offers ${String(payload.action)}.`,
            },
          };
        } else {
          const session = row.sessionId
            ? await repository.findSessionById(db, row.sessionId)
            : undefined;
          try {
            const value = await action.run(payload.inputs as Record<string, FlowValue>, {
              tenantId: row.tenantId,
              conversationId: row.conversationId,
              contactId: session?.contactId ?? '',
              channelId: session?.channelId ?? '',
              sessionId: row.sessionId ?? '',
            });
            result = { ok: true, value };
          } catch (error) {
            if (!(error instanceof ActionError)) throw error;
            result = { ok: false, error: { code: error.code, message: error.message } };
          }
        }
        await feedResult(row, payload.effectId as string, result, finish);
        return;
      }
      case 'schedule-wake': {
        await db.transaction(async (tx) => {
          await repository.insertInput(tx, {
            tenantId: row.tenantId,
            conversationId: row.conversationId,
            kind: 'wake',
            payload: { wakeId: payload.wakeId },
            dedupeKey: `wake:${row.id}`,
          });
          await finishClaimedRow(tx, repository.outboxTable, claim);
        });
        await enqueueLane(row.conversationId);
        return;
      }
      case 'handoff': {
        await deps.contacts.setConversationStatus(row.tenantId, row.conversationId, 'pending');
        await deps.events.publish({
          type: 'flow.handoff',
          tenantId: row.tenantId,
          payload: {
            conversationId: row.conversationId,
            sessionId: row.sessionId,
            team: payload.team ?? null,
            note: payload.note ?? null,
          },
        });
        await finish({});
        return;
      }
      case 'opt-out': {
        // After the goodbye was queued: it is sent, later messages are refused.
        await deps.contacts.optOut(row.tenantId, payload.contactId as string, 'flow-command');
        await finish({});
        return;
      }
      case 'end':
      case 'store-file': {
        await deps.events.publish({
          type: row.kind === 'end' ? 'flow.session-ended' : 'flow.file-stored',
          tenantId: row.tenantId,
          payload: { conversationId: row.conversationId, sessionId: row.sessionId, ...payload },
        });
        await finish({});
        return;
      }
    }
  }

  async function feedResult(
    row: repository.OutboxRow,
    effectId: string,
    result: EffectResult,
    _finish: (result: Record<string, unknown>) => Promise<void>,
  ) {
    await db.transaction(async (tx) => {
      await repository.insertInput(tx, {
        tenantId: row.tenantId,
        conversationId: row.conversationId,
        kind: 'effect-result',
        payload: { effectId, result, sessionId: row.sessionId },
        dedupeKey: `effect:${row.id}`,
      });
      await repository.recordOutboxResult(tx, row.id, { ok: result.ok });
    });
    await _finish({ ok: result.ok });
    await enqueueLane(row.conversationId);
  }

  return {
    route,
    processLane,
    applyOutbox,
    /** A human hands the conversation back to the bot (the inbox, or the API). */
    async handBack(principal: Principal, sessionId: string): Promise<void> {
      assertRole(principal, 'operator');
      const session = await repository.findSessionById(db, sessionId);
      if (!session || session.tenantId !== principal.tenantId) {
        throw new AppError('NOT_FOUND', `Flow session ${sessionId} does not exist.`);
      }
      if (session.status !== 'handoff') {
        throw new AppError(
          'CONFLICT',
          'This session is not with a human; there is nothing to hand back.',
        );
      }
      await addInput({
        tenantId: session.tenantId,
        conversationId: session.conversationId,
        kind: 'resume',
        payload: { sessionId },
        dedupeKey: `resume:${sessionId}:${session.updatedAt.getTime()}`,
      });
    },
  };
}

export type FlowRuntime = ReturnType<typeof createFlowRuntime>;

function toTurnInput(input: repository.InputRow): TurnInput {
  const payload = input.payload as Record<string, unknown>;
  switch (input.kind) {
    case 'effect-result':
      return {
        kind: 'effect-result',
        effectId: String(payload.effectId),
        result: payload.result as EffectResult,
      };
    case 'wake':
      return { kind: 'wake', wakeId: String(payload.wakeId) };
    case 'resume':
      return { kind: 'resume' };
    case 'message':
      return { kind: 'message', content: payload.content as MessageContent };
  }
}

function textOf(content: MessageContent): string | undefined {
  if (content.type === 'text') return content.text;
  if (content.type === 'interactive-reply') return content.title;
  return undefined;
}

/** A global command when the whole message is one of its keywords (accents, case, punctuation ignored). */
export function matchCommand(commands: FlowCommands, text: string): keyof FlowCommands | undefined {
  if (text.length > 200) return undefined;
  const said = normalizeKeyword(text);
  if (said === '') return undefined;
  for (const command of ['optOut', 'human', 'cancel', 'menu'] as const) {
    if (commands[command].some((word) => normalizeKeyword(word) === said)) return command;
  }
  return undefined;
}

function appendHistory(
  history: (LogEntry & { at: string })[],
  entries: LogEntry[],
  at: Date,
): (LogEntry & { at: string })[] {
  const stamped = entries.map((entry) => ({ ...entry, at: at.toISOString() }));
  return [...history, ...stamped].slice(-historyLimit);
}

export type { Effect };

/** Lanes with work a crash or a lost job left behind (the sweeper's `findDue`). */
export async function findDueLanes(db: Database, limit: number) {
  const ids = await repository.findDueLanes(db, limit);
  return ids.map((id) => ({ jobName: flowTurnJob, id, payload: { conversationId: id } }));
}

/** Outbox rows due (sends not applied, wake-ups whose time came). */
export async function findDueOutbox(db: Database, limit: number) {
  const ids = await repository.findDueOutbox(db, limit);
  return ids.map((id) => ({ jobName: flowEffectJob, id, payload: { id } }));
}
