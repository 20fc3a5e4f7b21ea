import { createHash } from 'node:crypto';
import {
  channelCapabilities,
  type InboundMessageEvent,
  type ProviderCapabilities,
  type SessionEvent,
  type StatusEvent,
  type WebhookRequest,
} from '../../channels/index.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { EventBus } from '../../platform/events/event-bus.port.js';
import type { Logger } from '../../platform/observability/logger.js';
import {
  claimDueRow,
  findDueRowIds,
  finishClaimedRow,
  releaseClaimedRow,
} from '../../platform/queue/due-rows-sql.js';
import { buildDueRowDedupeKey } from '../../platform/queue/due-rows-sweeper.js';
import type { Queue } from '../../platform/queue/queue.port.js';
import {
  isInteractiveContent,
  listOfferedOptions,
  matchNumberedReply,
} from '../../shared/messaging/interactive-fallback.js';
import { type MessageContent, summarizeContent } from '../../shared/messaging/message-content.js';
import type { ChannelsService } from './channels.service.js';
import { resolveContact } from './contact-resolution.js';
import * as repository from './inbound.repository.js';
import type { MediaService } from './media.service.js';
import { listRecentOutboundContents } from './outbound.repository.js';
import type { SessionsService } from './sessions.service.js';

export const processWebhookJob = 'messaging.process-webhook';

/** What the inbound pipeline hands to routing (flows, inbox) once a message is stored. */
export type ReceivedMessage = {
  tenantId: string;
  channelId: string;
  conversationId: string;
  contactId: string;
  messageId: string;
  event: InboundMessageEvent;
};

/** The routing port: flows and the inbox plug in here later. Handlers must be idempotent. */
export type InboundRouter = (message: ReceivedMessage) => Promise<void>;

export type InboundDeps = {
  db: Database;
  queue: Queue;
  events: EventBus;
  channels: ChannelsService;
  sessions: Pick<SessionsService, 'applyState'>;
  logger: Logger;
  /** Inbound media: a pending row per media message, fetched by its own job. */
  media: MediaService;
  routers?: InboundRouter[];
};

/** How long a worker holds a delivery before another may take it over. */
const leaseMs = 60_000;

/**
 * Inbound pipeline (ARCHITECTURE.md §3): verify → store the raw delivery → enqueue → 200; then a
 * worker normalizes it. Effects are idempotent by constraint (one message per provider id, one
 * status report per status), so a redelivered webhook or a retried job changes nothing twice.
 */
export function createInboundService(deps: InboundDeps) {
  const { db, queue } = deps;
  const logger = deps.logger.child({ module: 'messaging.inbound' });
  const routers = deps.routers ?? [];

  async function loadChannel(providerId: string, channelId: string) {
    const opened = await deps.channels.openChannel(channelId);
    if (!opened || opened.row.provider !== providerId) {
      throw new AppError('NOT_FOUND', `No ${providerId} channel ${channelId}.`);
    }
    return { channel: opened.row, provider: opened.provider, config: opened.config };
  }

  /**
   * On a channel that cannot render buttons or lists, a typed "2" answering the numbered text
   * that stood in for them is the tap on the second option.
   */
  async function readNumberedReply(
    tenantId: string,
    conversationId: string,
    capabilities: ProviderCapabilities,
    content: MessageContent,
  ): Promise<MessageContent> {
    if (content.type !== 'text') return content;
    if (capabilities.sends.includes('buttons') && capabilities.sends.includes('list')) {
      return content;
    }
    const [last] = await listRecentOutboundContents(db, tenantId, conversationId, 1);
    const offer = last?.content;
    if (!offer || !isInteractiveContent(offer) || capabilities.sends.includes(offer.type)) {
      return content;
    }
    const option = matchNumberedReply(content.text, listOfferedOptions(offer));
    return option ? { type: 'interactive-reply', ...option } : content;
  }

  async function handleMessage(
    tenantId: string,
    channelId: string,
    capabilities: ProviderCapabilities,
    incoming: InboundMessageEvent,
  ): Promise<void> {
    const { contact } = await resolveContact(db, tenantId, incoming.from);
    const conversation = await repository.upsertInboundConversation(db, {
      tenantId,
      channelId,
      contactId: contact.id,
      at: incoming.timestamp,
    });
    const event = {
      ...incoming,
      content: await readNumberedReply(tenantId, conversation.id, capabilities, incoming.content),
    };
    // The message and its media row commit together, so no media is left unfetched.
    const stored = await db.transaction(async (tx) => {
      const inserted = await repository.insertInboundMessage(tx, {
        tenantId,
        conversationId: conversation.id,
        channelId,
        contactId: contact.id,
        providerMessageId: event.providerMessageId,
        content: event.content,
        occurredAt: event.timestamp,
      });
      if (!inserted) return undefined;
      const pendingMediaId = await deps.media.registerInbound(tx, {
        tenantId,
        channelId,
        messageId: inserted.id,
        content: event.content,
      });
      return { message: inserted, pendingMediaId };
    });
    if (!stored) return; // Seen before: acknowledged and dropped.
    const { message } = stored;
    if (stored.pendingMediaId) await deps.media.requestFetch(stored.pendingMediaId);
    await deps.events.publish({
      type: 'message.received',
      tenantId,
      payload: {
        messageId: message.id,
        conversationId: conversation.id,
        contactId: contact.id,
        channelId,
        contentType: event.content.type,
        preview: summarizeContent(event.content).slice(0, 140),
      },
    });
    const received: ReceivedMessage = {
      tenantId,
      channelId,
      conversationId: conversation.id,
      contactId: contact.id,
      messageId: message.id,
      event,
    };
    for (const route of routers) await route(received);
  }

  async function handleSession(
    delivery: { tenantId: string; channelId: string; provider: string },
    event: SessionEvent,
  ) {
    await deps.sessions.applyState(
      delivery.tenantId,
      delivery.channelId,
      delivery.provider,
      event.state,
    );
  }

  async function handleStatus(tenantId: string, channelId: string, event: StatusEvent) {
    const report = await repository.insertStatusEvent(db, {
      tenantId,
      channelId,
      providerMessageId: event.providerMessageId,
      status: event.status,
      occurredAt: event.timestamp,
      errorCode: event.error?.code ?? null,
      errorReason: event.error?.reason ?? null,
    });
    if (!report) return;
    const message = await repository.findMessageByProviderId(
      db,
      channelId,
      event.providerMessageId,
    );
    // A report for a message not stored yet waits; it is applied when the message appears.
    if (!message) return;
    await applyStatusReport(message.id, report);
  }

  /** Stores a raw delivery under its content hash (a redelivery is a no-op) and enqueues it. */
  async function storeDelivery(input: {
    tenantId: string;
    channelId: string;
    provider: string;
    contentType: string | null;
    rawBody: Buffer;
    delayMs?: number | undefined;
    /** Overrides the body hash (see `ChannelProvider.deliveryKey`). */
    deliveryKey?: string | undefined;
  }) {
    const delayMs = Math.max(0, input.delayMs ?? 0);
    const delivery = await repository.insertDelivery(db, {
      tenantId: input.tenantId,
      channelId: input.channelId,
      provider: input.provider,
      deliveryKey: input.deliveryKey ?? createHash('sha256').update(input.rawBody).digest('hex'),
      contentType: input.contentType,
      body: input.rawBody.toString('utf8'),
      ...(delayMs > 0 ? { dueAt: new Date(Date.now() + delayMs) } : {}),
    });
    if (!delivery) return { duplicate: true as const };
    await queue.enqueue(
      processWebhookJob,
      { deliveryId: delivery.id },
      { dedupeKey: buildDueRowDedupeKey(processWebhookJob, delivery.id), delayMs },
    );
    return { duplicate: false as const, deliveryId: delivery.id };
  }

  async function applyStatusReport(
    messageId: string,
    report: NonNullable<Awaited<ReturnType<typeof repository.insertStatusEvent>>>,
  ) {
    const moved = await repository.advanceMessageStatus(db, messageId, {
      status: report.status,
      at: report.occurredAt,
      errorCode: report.errorCode,
      errorReason: report.errorReason,
    });
    await repository.markStatusEventApplied(db, report.id, messageId);
    if (moved) {
      await deps.events.publish({
        type: 'message.status',
        tenantId: report.tenantId,
        payload: { messageId, status: report.status, errorCode: report.errorCode },
      });
    }
  }

  return {
    /** Applies status reports that arrived before the message got its provider id. */
    async applyPendingStatuses(channelId: string, providerMessageId: string, messageId: string) {
      for (const report of await repository.listPendingStatusEvents(
        db,
        channelId,
        providerMessageId,
      )) {
        await applyStatusReport(messageId, report);
      }
    },

    /** Subscription challenge (Meta's GET). */
    async answerChallenge(providerId: string, channelId: string, request: WebhookRequest) {
      const { provider, config } = await loadChannel(providerId, channelId);
      const answer = provider.answerChallenge?.(config, request);
      if (answer === undefined) {
        throw new AppError('FORBIDDEN', 'The verification token does not match this channel.');
      }
      return answer;
    },

    /** Verifies and stores a webhook; the caller answers 200 once this resolves. */
    async acceptWebhook(providerId: string, channelId: string, request: WebhookRequest) {
      const { channel, provider, config } = await loadChannel(providerId, channelId);
      if (!provider.verifyWebhook(config, request, { webhookToken: channel.webhookToken })) {
        logger.warn({ channelId, provider: providerId }, 'webhook rejected: bad signature');
        throw new AppError('INVALID_SIGNATURE', 'The webhook signature is missing or wrong.');
      }
      return storeDelivery({
        tenantId: channel.tenantId,
        channelId,
        provider: providerId,
        contentType: request.headers['content-type'] ?? null,
        rawBody: request.rawBody,
        deliveryKey: provider.deliveryKey?.(request),
      });
    },

    /**
     * Events produced inside Recado (the sandbox phone and its simulated delivery reports):
     * trusted, so not verified, and optionally due later. Same pipeline as a webhook from there.
     */
    async acceptInternal(input: {
      tenantId: string;
      channelId: string;
      provider: string;
      body: string;
      delayMs?: number;
    }) {
      return storeDelivery({
        tenantId: input.tenantId,
        channelId: input.channelId,
        provider: input.provider,
        contentType: 'application/json',
        rawBody: Buffer.from(input.body, 'utf8'),
        delayMs: input.delayMs,
      });
    },

    /** The `messaging.process-webhook` job. */
    async processDelivery(deliveryId: string): Promise<void> {
      const claim = await claimDueRow(db, repository.deliveriesTable, deliveryId, leaseMs);
      if (!claim) return; // Done already, or another worker holds it.
      const delivery = await repository.findDelivery(db, deliveryId);
      if (!delivery) return;
      const { channel, provider, config } = await loadChannel(
        delivery.provider,
        delivery.channelId,
      );
      const capabilities = channelCapabilities(provider, channel.config);
      let events: ReturnType<typeof provider.parseWebhook>;
      try {
        events = provider.parseWebhook(config, {
          method: 'POST',
          url: '',
          headers: { 'content-type': delivery.contentType ?? undefined },
          query: {},
          rawBody: Buffer.from(delivery.body, 'utf8'),
        });
      } catch (error) {
        // Unreadable for good: keep the raw body for inspection, never retry.
        await repository.recordDeliveryError(db, deliveryId, String(error));
        await finishClaimedRow(db, repository.deliveriesTable, claim, 'failed');
        logger.error({ err: error, deliveryId }, 'webhook delivery could not be parsed');
        return;
      }
      try {
        for (const event of events) {
          if (event.kind === 'message') {
            await handleMessage(delivery.tenantId, delivery.channelId, capabilities, event);
          } else if (event.kind === 'status') {
            await handleStatus(delivery.tenantId, delivery.channelId, event);
          } else if (event.kind === 'session') {
            await handleSession(delivery, event);
          } else {
            logger.info(
              { channelId: delivery.channelId, notice: event.description },
              'provider notice',
            );
          }
        }
      } catch (error) {
        // Hand the delivery back so the job's retry (or the sweeper) can take it at once;
        // events already applied are skipped next time by their unique keys.
        await repository.recordDeliveryError(db, deliveryId, String(error));
        await releaseClaimedRow(db, repository.deliveriesTable, claim);
        throw error;
      }
      await finishClaimedRow(db, repository.deliveriesTable, claim);
    },
  };
}

export type InboundService = ReturnType<typeof createInboundService>;

/** Deliveries a crash left pending or running, for the sweeper. */
export async function findDueDeliveries(db: Database, limit: number) {
  const ids = await findDueRowIds(db, repository.deliveriesTable, limit);
  return ids.map((id) => ({ jobName: processWebhookJob, id, payload: { deliveryId: id } }));
}
