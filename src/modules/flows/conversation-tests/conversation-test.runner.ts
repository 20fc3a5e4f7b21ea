import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Principal } from '../../../platform/auth/principal.js';
import type { Database } from '../../../platform/db/database.js';
import type { PeriodicJob } from '../../../platform/queue/periodic-job.js';
import type { Queue } from '../../../platform/queue/queue.port.js';
import type { MessageContent } from '../../../shared/messaging/message-content.js';
import type { ChannelsService, MediaService, SandboxService } from '../../messaging/index.js';
import type { FlowDefinitionsService } from '../definitions.service.js';
import type { FlowRuntime } from '../runtime.service.js';
import {
  checkMessage,
  describeExpectation,
  describeMessage,
  foldTitle,
} from './bot-expectations.js';
import type { LoadedConversationTests } from './conversation-test.parser.js';
import {
  type BotExpectation,
  type ConversationTest,
  durationMs,
  type UserStep,
  type WaitStep,
} from './conversation-test.schema.js';
import {
  bringWakesForward,
  findNextWake,
  listWorkInFlight,
} from './conversation-tests.repository.js';

/**
 * Runs conversation tests through the real composition: the flow is created, published and
 * bound as the default flow of a sandbox channel of its own, and every test is a new simulated
 * user on that channel. The user's steps enter the ordinary inbound pipeline; the bot's
 * answers are read from the sandbox phone's thread once the pipeline has nothing in flight.
 * `wait:` moves the conversation's wake-ups forward instead of waiting for real.
 */

/** The parts of a running Recado the runner drives (a `Runtime` has them all). */
export type ConversationTestHarness = {
  db: Database;
  queue: Pick<Queue, 'whenIdle'>;
  channels: Pick<ChannelsService, 'createChannel'>;
  flowDefinitions: Pick<FlowDefinitionsService, 'createFlow' | 'publishFlow' | 'addTrigger'>;
  sandbox: Pick<SandboxService, 'receive' | 'receiveMedia' | 'thread'>;
  media: Pick<MediaService, 'uploadMedia'>;
  flowRuntime: Pick<FlowRuntime, 'applyOutbox'>;
  /** Swept when work sits due with no job to run it (a released row waits for its sweeper). */
  sweepers: readonly Pick<PeriodicJob, 'sweepOnce'>[];
  /** The tenant the flows, channels and simulated users are created in. */
  tenantId: string;
};

export type ConversationTestFailure = {
  /** 1-based; null when the test could not start (the flow does not publish, ...). */
  step: number | null;
  stepKind: 'user' | 'bot' | 'wait' | null;
  message: string;
  /** The conversation up to the failure, one line per message or wait. */
  transcript: string[];
};

export type ConversationTestOutcome = {
  file: string;
  test: string;
  durationMs: number;
} & ({ ok: true } | { ok: false; failure: ConversationTestFailure });

export type ConversationTestRunner = ReturnType<typeof createConversationTestRunner>;

/** A step that did not go as the test says. */
class StepFailure extends Error {}

type Suite = { flowId: string; channels: Map<boolean, Promise<string>> };

type Conversation = {
  phone: string;
  channelId: string;
  name: string | undefined;
  conversationId: string | null;
  /** Outbound messages already read from the thread, in order. */
  seen: Set<string>;
  /** Every message the bot sent so far (buttons are tapped from these). */
  said: MessageContent[];
  /** Messages no `bot:` step has looked at yet. */
  unread: MessageContent[];
  transcript: string[];
};

const systemUserId = '00000000-0000-0000-0000-000000000000';
const threadLimit = 500;

/** What uploads are declared as (the media service sniffs the bytes anyway). */
const mimeByExtension: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.mp4': 'video/mp4',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
};

export function createConversationTestRunner(
  harness: ConversationTestHarness,
  options: { settleTimeoutMs?: number } = {},
) {
  const { db, tenantId } = harness;
  const settleTimeoutMs = options.settleTimeoutMs ?? 20_000;
  const principal: Principal = {
    userId: systemUserId,
    tenantId,
    role: 'admin',
    isSuperAdmin: false,
  };
  const suites = new Map<LoadedConversationTests, Promise<Suite>>();
  let flowCount = 0;
  let phoneCount = 0;

  async function createSuite(loaded: LoadedConversationTests): Promise<Suite> {
    // Flow names are unique per tenant: the same flow may be under test in several files.
    const name = typeof loaded.flow.name === 'string' ? loaded.flow.name : undefined;
    const document = name
      ? { ...loaded.flow, name: `${name} (test ${++flowCount})`.slice(0, 120) }
      : loaded.flow;
    try {
      const flow = await harness.flowDefinitions.createFlow(principal, document);
      await harness.flowDefinitions.publishFlow(principal, flow.id);
      return { flowId: flow.id, channels: new Map() };
    } catch (error) {
      throw new StepFailure(
        `the flow ${loaded.spec.flow} cannot be published: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  function suiteOf(loaded: LoadedConversationTests): Promise<Suite> {
    let suite = suites.get(loaded);
    if (!suite) {
      suite = createSuite(loaded);
      suites.set(loaded, suite);
    }
    return suite;
  }

  /** A sandbox channel rendering buttons or not, with the flow as its default. */
  function channelOf(loaded: LoadedConversationTests, suite: Suite, buttons: boolean) {
    let channel = suite.channels.get(buttons);
    if (!channel) {
      channel = (async () => {
        const created = await harness.channels.createChannel(principal, {
          provider: 'sandbox',
          name: `Teste: ${path.basename(loaded.file)}${buttons ? '' : ' (texto simples)'}`.slice(
            0,
            120,
          ),
          // The simulated phone reports `delivered` at once and never reads: nothing lingers.
          config: { interactive: buttons, deliveredAfterMs: 0, readAfterMs: 0 },
        });
        await harness.flowDefinitions.addTrigger(principal, created.id, {
          kind: 'default',
          flowId: suite.flowId,
        });
        return created.id;
      })();
      suite.channels.set(buttons, channel);
    }
    return channel;
  }

  /** Waits until the pipeline has nothing due in flight: the bot has said all it will say. */
  async function settle(): Promise<void> {
    const deadline = Date.now() + settleTimeoutMs;
    let idleSince: number | undefined;
    for (;;) {
      try {
        await harness.queue.whenIdle(Math.max(1, deadline - Date.now()));
      } catch {
        // Reported below with what is still in flight.
      }
      const inFlight = await listWorkInFlight(db, tenantId);
      if (inFlight.length === 0) return;
      if (Date.now() >= deadline) {
        throw new StepFailure(
          `the bot did not finish answering within ${settleTimeoutMs / 1000} s (still in flight: ${inFlight
            .map((work) => `${work.count} ${work.kind}`)
            .join(', ')})`,
        );
      }
      // Jobs may be waiting out a short delay (a retry, the message before leaving first); a
      // row released without a job waits for its sweeper, so sweep when nothing moves.
      idleSince ??= Date.now();
      if (Date.now() - idleSince > 1_000) {
        await Promise.all(harness.sweepers.map((sweeper) => sweeper.sweepOnce()));
        idleSince = undefined;
      }
      await sleep(20);
    }
  }

  /** Settles, then reads what the bot said since the last read. */
  async function readThread(conversation: Conversation): Promise<void> {
    await settle();
    const thread = await harness.sandbox.thread(
      principal,
      conversation.channelId,
      conversation.phone,
      threadLimit,
    );
    conversation.conversationId = thread.conversationId;
    for (const message of thread.messages) {
      if (message.direction !== 'outbound' || conversation.seen.has(message.id)) continue;
      conversation.seen.add(message.id);
      conversation.said.push(message.content);
      conversation.unread.push(message.content);
      conversation.transcript.push(`bot:  ${describeMessage(message.content)}`);
    }
  }

  /** Before the user acts or time passes, everything the bot said must have been expected. */
  async function assertAllRead(conversation: Conversation, before: string): Promise<void> {
    await readThread(conversation);
    if (conversation.unread.length === 0) return;
    throw new StepFailure(
      `before ${before}, the bot said ${conversation.unread.length} message(s) no bot: step expects: ${conversation.unread
        .map(describeMessage)
        .join('; ')}`,
    );
  }

  async function userActs(
    loaded: LoadedConversationTests,
    conversation: Conversation,
    action: UserStep,
  ): Promise<void> {
    await assertAllRead(conversation, "the user's step");
    const from = {
      from: conversation.phone,
      ...(conversation.name ? { name: conversation.name } : {}),
    };
    if (action.text !== undefined) {
      conversation.transcript.push(`user: ${JSON.stringify(action.text)}`);
      await harness.sandbox.receive(principal, conversation.channelId, {
        ...from,
        text: action.text,
      });
    } else if (action.button !== undefined) {
      const id = findOffered(conversation.said, action.button);
      conversation.transcript.push(`user: [tap: ${JSON.stringify(action.button)}]`);
      await harness.sandbox.receive(principal, conversation.channelId, { ...from, reply: { id } });
    } else if (action.file !== undefined) {
      conversation.transcript.push(`user: [file ${action.file}]`);
      await sendFile(loaded, conversation, action.file, action.caption);
    } else if (action.location !== undefined) {
      conversation.transcript.push(
        `user: [location ${action.location.latitude}, ${action.location.longitude}]`,
      );
      await harness.sandbox.receive(principal, conversation.channelId, {
        ...from,
        location: action.location,
      });
    }
  }

  async function sendFile(
    loaded: LoadedConversationTests,
    conversation: Conversation,
    file: string,
    caption: string | undefined,
  ) {
    const bytes = await readFile(path.resolve(loaded.directory, file));
    const declaredMimeType = mimeByExtension[path.extname(file).toLowerCase()];
    await harness.sandbox.receiveMedia(
      principal,
      conversation.channelId,
      { from: conversation.phone, name: conversation.name },
      async (): Promise<MessageContent> => {
        const stored = await harness.media.uploadMedia(principal, {
          bytes,
          declaredMimeType,
          filename: path.basename(file),
        });
        const common = {
          mediaId: stored.id,
          ...(stored.mimeType ? { mimeType: stored.mimeType } : {}),
          ...(stored.sha256 ? { sha256: stored.sha256 } : {}),
          ...(stored.sizeBytes !== null ? { sizeBytes: stored.sizeBytes } : {}),
          ...(caption ? { caption } : {}),
        };
        return stored.kind === 'document'
          ? {
              type: 'document',
              ...common,
              ...(stored.filename ? { filename: stored.filename } : {}),
            }
          : { type: stored.kind, ...common };
      },
    );
  }

  async function botSays(conversation: Conversation, expectation: BotExpectation): Promise<void> {
    await readThread(conversation);
    if (expectation.none) {
      if (conversation.unread.length === 0) return;
      throw new StepFailure(
        `expected no more messages, but the bot said: ${conversation.unread.map(describeMessage).join('; ')}`,
      );
    }
    const message = conversation.unread.shift();
    if (!message) {
      throw new StepFailure(
        `expected ${describeExpectation(expectation)}, but the bot said nothing more`,
      );
    }
    const problems = checkMessage(message, expectation);
    if (problems.length > 0) {
      throw new StepFailure(
        `expected ${describeExpectation(expectation)}, but received ${describeMessage(message)}: ${problems.join('; ')}`,
      );
    }
  }

  /**
   * Time passes: each wake-up due within the span comes due in turn (the reminder, then the
   * close the reminder scheduled, ...), and the rest move closer by the whole span.
   */
  async function timePasses(conversation: Conversation, wait: WaitStep): Promise<void> {
    await assertAllRead(conversation, 'time passes');
    const span = durationMs(wait);
    conversation.transcript.push(`(${describeDuration(span)} later)`);
    const conversationId = conversation.conversationId;
    if (!conversationId) return;
    let remaining = span;
    for (;;) {
      const wake = await findNextWake(db, conversationId);
      if (!wake || wake.dueInMs > remaining) {
        await bringWakesForward(db, conversationId, remaining);
        return;
      }
      remaining -= wake.dueInMs;
      await bringWakesForward(db, conversationId, wake.dueInMs);
      await harness.flowRuntime.applyOutbox(wake.id);
      // What the wake-up made the bot say is read by the next step; the next wake-up may be
      // one this turn scheduled.
      await settle();
    }
  }

  async function runTest(
    loaded: LoadedConversationTests,
    test: ConversationTest,
  ): Promise<ConversationTestOutcome> {
    const startedAt = Date.now();
    const outcome = { file: loaded.file, test: test.name };
    const conversation: Conversation = {
      phone: `+55119${String(70_000_000 + ++phoneCount)}`,
      channelId: '',
      name: (test.contact ?? loaded.spec.contact)?.name,
      conversationId: null,
      seen: new Set(),
      said: [],
      unread: [],
      transcript: [],
    };
    let step: number | null = null;
    try {
      const suite = await suiteOf(loaded);
      const buttons = (test.channel ?? loaded.spec.channel).buttons;
      conversation.channelId = await channelOf(loaded, suite, buttons);
      for (const [index, current] of test.steps.entries()) {
        step = index + 1;
        if (current.user !== undefined) await userActs(loaded, conversation, current.user);
        else if (current.bot !== undefined) await botSays(conversation, current.bot);
        else if (current.wait !== undefined) await timePasses(conversation, current.wait);
      }
      return { ...outcome, ok: true, durationMs: Date.now() - startedAt };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        ...outcome,
        ok: false,
        durationMs: Date.now() - startedAt,
        failure: {
          step,
          stepKind: step === null ? null : stepKind(test.steps[step - 1]),
          message: error instanceof StepFailure ? message : `unexpected error: ${message}`,
          transcript: conversation.transcript,
        },
      };
    }
  }

  return {
    /** Runs one test of a loaded file (the file's flow and channels are set up once). */
    runTest,
    /** Runs every test of a loaded file, in order. */
    async runFile(loaded: LoadedConversationTests): Promise<ConversationTestOutcome[]> {
      const outcomes: ConversationTestOutcome[] = [];
      for (const test of loaded.spec.tests) outcomes.push(await runTest(loaded, test));
      return outcomes;
    },
  };
}

/** The id of the button or list row titled (or identified) `wanted`, latest offer first. */
function findOffered(said: readonly MessageContent[], wanted: string): string {
  const offered: string[] = [];
  for (const content of [...said].reverse()) {
    const options =
      content.type === 'buttons'
        ? content.buttons
        : content.type === 'list'
          ? content.sections.flatMap((section) => section.rows)
          : [];
    const match =
      options.find((option) => option.id === wanted) ??
      options.find((option) => foldTitle(option.title) === foldTitle(wanted));
    if (match) return match.id;
    offered.push(...options.map((option) => option.title));
  }
  throw new StepFailure(
    offered.length === 0
      ? `the user cannot tap "${wanted}": the bot offered no buttons or list (on a channel without buttons they arrive as numbered text: answer with the number instead)`
      : `the user cannot tap "${wanted}": the bot offered only ${offered.map((title) => `"${title}"`).join(', ')}`,
  );
}

function stepKind(
  step: ConversationTest['steps'][number] | undefined,
): 'user' | 'bot' | 'wait' | null {
  if (!step) return null;
  return step.user !== undefined ? 'user' : step.bot !== undefined ? 'bot' : 'wait';
}

function describeDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes >= 60 * 24 && Number.isInteger(minutes / (60 * 24))) return `${minutes / 1440} d`;
  if (minutes >= 60 && Number.isInteger(minutes / 60)) return `${minutes / 60} h`;
  if (ms >= 60_000) return `${Number(minutes.toFixed(2))} min`;
  return `${ms / 1000} s`;
}

/** A failure in words: the step, what went wrong, and the conversation up to it. */
export function describeFailure(outcome: ConversationTestOutcome): string {
  if (outcome.ok) return '';
  const { failure } = outcome;
  const where =
    failure.step === null
      ? 'before the first step'
      : `step ${failure.step}${failure.stepKind ? ` (${failure.stepKind})` : ''}`;
  const transcript =
    failure.transcript.length === 0
      ? ['  (nothing was said)']
      : failure.transcript.map((line) => `  ${line}`);
  return [
    `${outcome.file} › ${outcome.test} › ${where}: ${failure.message}`,
    'Conversation so far:',
    ...transcript,
  ].join('\n');
}
