import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { channelCapabilities, findProvider, ProviderError } from '../../channels/index.js';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
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
import { computeBackoffMs, type Queue, RetryLaterError } from '../../platform/queue/queue.port.js';
import type { TokenBucketLimiter } from '../../platform/rate-limit/token-bucket.port.js';
import type { ChannelPacing } from '../../shared/contracts/channels.contract.js';
import type {
  Message,
  sendMessageRequestSchema,
} from '../../shared/contracts/messages.contract.js';
import {
  contentAsDelivered,
  isInteractiveContent,
} from '../../shared/messaging/interactive-fallback.js';
import { type MessageContent, summarizeContent } from '../../shared/messaging/message-content.js';
import { normalizePhone } from '../../shared/messaging/phone.js';
import { type ChannelsService, effectivePacing } from './channels.service.js';
import { resolveContact } from './contact-resolution.js';
import type { InboundService } from './inbound.service.js';
import type { MediaService } from './media.service.js';
import * as repository from './outbound.repository.js';
import type { TemplatesService } from './templates.service.js';

export const sendMessageJob = 'messages.send';

/** The 24-hour customer-service window of the official API. */
export const serviceWindowMs = 24 * 60 * 60 * 1000;
/** Meta's pair rate: about one message per 6 s to one recipient, bursts up to 45. */
const pairRateRule = { ratePerSecond: 1 / 6, burst: 45 };
/** A contact who wrote this recently is waiting for an answer: sends to them are replies. */
const recentInboundMs = 30 * 60_000;
/** Bulk sends booked further ahead than this go back to the table until their turn. */
const maxPacingWaitMs = 5_000;
/** Tries per message (provider errors, not limiter waits) before it fails for good. */
const maxSendAttempts = 10;
const leaseMs = 60_000;
/** Longest a worker sleeps for a limiter slot; beyond it the message goes back to the table. */
const maxLimiterWaitMs = 5_000;

export type OutboundDeps = {
  db: Database;
  queue: Queue;
  events: EventBus;
  limiter: TokenBucketLimiter;
  channels: ChannelsService;
  inbound: InboundService;
  /** Media by our id: checked when queued, uploaded to the provider (or linked) when sent. */
  media: Pick<MediaService, 'assertSendable' | 'prepareOutbound'>;
  /** Checks a template message against the channel's library and renders its text. */
  templates: Pick<TemplatesService, 'prepareTemplateContent'>;
  logger: Logger;
  http?: (url: string, init: RequestInit) => Promise<Response>;
  now?: () => Date;
};

/**
 * The outbound engine (ARCHITECTURE.md §3): every send is a `messages` row (`queued`) and a
 * `messages.send` job. The worker claims the row, takes a slot from the channel's limiter (and
 * the recipient's pair rate), calls the provider and records the result; retryable errors go
 * back to the table with a delay, permanent ones fail with the provider's code.
 */
export function createOutboundService(deps: OutboundDeps) {
  const { db, queue } = deps;
  const logger = deps.logger.child({ module: 'messaging.outbound' });
  const http = deps.http ?? ((url, init) => fetch(url, init));
  const now = deps.now ?? (() => new Date());

  async function publishStatus(message: repository.MessageRow, status: string) {
    await deps.events.publish({
      type: 'message.status',
      tenantId: message.tenantId,
      payload: {
        messageId: message.id,
        conversationId: message.conversationId,
        channelId: message.channelId,
        status,
        errorCode: message.errorCode,
      },
    });
  }

  async function failForGood(
    claim: NonNullable<Awaited<ReturnType<typeof claimDueRow>>>,
    message: repository.MessageRow,
    error: { code: string; reason: string },
  ) {
    await repository.recordSendFailure(db, message.id, error);
    if (await finishClaimedRow(db, repository.outboundTable, claim, 'failed')) {
      await repository.markFailedAt(db, message.id);
      logger.warn({ messageId: message.id, code: error.code }, 'message failed');
      await publishStatus({ ...message, errorCode: error.code }, 'failed');
    }
  }

  /** A slot under the channel's hourly ceiling, then one a random gap after the previous. */
  async function reservePacedSlot(channelId: string, pacing: ChannelPacing) {
    const hourly = await deps.limiter.reserve(
      `hourly:${channelId}`,
      { ratePerSecond: pacing.maxPerHour / 3600, burst: pacing.maxPerHour },
      maxPacingWaitMs,
    );
    if (!hourly.granted) return hourly;
    const gapMs = randomInt(pacing.minGapSeconds * 1000, pacing.maxGapSeconds * 1000 + 1);
    return deps.limiter.reserveSpaced(`paced:${channelId}`, gapMs, maxPacingWaitMs);
  }

  return {
    async sendMessage(
      principal: Principal,
      input: z.infer<typeof sendMessageRequestSchema>,
    ): Promise<Message> {
      assertRole(principal, 'operator');
      const tenantId = principal.tenantId;
      if (input.idempotencyKey) {
        const existing = await repository.findMessageByIdempotencyKey(
          db,
          tenantId,
          input.idempotencyKey,
        );
        if (existing) return toMessage(existing);
      }
      const channel = await deps.channels.getChannel(principal, input.channelId);
      const provider = findProvider(channel.provider);
      if (!provider)
        throw new AppError('CONFLICT', `The provider ${channel.provider} is not available.`);
      if (channel.status === 'disabled') {
        throw new AppError('CONFLICT', 'This channel is disabled; enable it before sending.');
      }
      const capabilities = channelCapabilities(provider, channel.config);
      if (
        !capabilities.sends.includes(input.content.type) &&
        !isInteractiveContent(input.content)
      ) {
        throw new AppError(
          'CONTENT_NOT_SUPPORTED',
          `${provider.id} channels cannot send ${input.content.type} messages.`,
          { provider: provider.id, supported: capabilities.sends },
        );
      }
      await deps.media.assertSendable(tenantId, input.content);
      const content = await deps.templates.prepareTemplateContent({
        tenantId,
        channelId: channel.id,
        provider,
        content: input.content,
      });
      let contact: Awaited<ReturnType<typeof repository.findContact>>;
      if ('contactId' in input.to) {
        contact = await repository.findContact(db, tenantId, input.to.contactId);
        if (!contact)
          throw new AppError('NOT_FOUND', `Contact ${input.to.contactId} does not exist.`);
      } else {
        const phone = normalizePhone(input.to.phone);
        if (!phone.ok) {
          throw new AppError(
            'VALIDATION_FAILED',
            `"${input.to.phone}" is not a valid phone number.`,
            [{ path: 'body.to.phone', message: `is not a valid phone number (${phone.reason})` }],
          );
        }
        contact = (await resolveContact(db, tenantId, { phone: phone.e164 })).contact;
      }
      if (contact.optedOutAt) {
        throw new AppError(
          'CONTACT_OPTED_OUT',
          'This contact opted out of messages from this business.',
        );
      }
      const conversation = await repository.ensureConversation(db, {
        tenantId,
        channelId: channel.id,
        contactId: contact.id,
      });
      const lastInbound = conversation.lastInboundAt?.getTime();
      const isWindowOpen =
        lastInbound !== undefined && now().getTime() - lastInbound < serviceWindowMs;
      if (
        provider.capabilities.hasServiceWindow &&
        input.content.type !== 'template' &&
        !isWindowOpen
      ) {
        throw new AppError(
          'OUTSIDE_SERVICE_WINDOW',
          'The contact has not written in the last 24 hours: WhatsApp only accepts an approved template now.',
          {
            lastInboundAt: conversation.lastInboundAt?.toISOString() ?? null,
            advice:
              'Send content of type "template" with an approved template name and its variables.',
          },
        );
      }
      const row =
        (await repository.insertQueuedMessage(db, {
          tenantId,
          conversationId: conversation.id,
          channelId: channel.id,
          contactId: contact.id,
          content,
          idempotencyKey: input.idempotencyKey,
          bulk:
            input.purpose === 'bulk' ||
            (input.purpose === undefined &&
              (lastInbound === undefined || now().getTime() - lastInbound > recentInboundMs)),
        })) ??
        (input.idempotencyKey
          ? await repository.findMessageByIdempotencyKey(db, tenantId, input.idempotencyKey)
          : undefined);
      if (!row) throw new AppError('INTERNAL', 'The message could not be queued.');
      await queue.enqueue(
        sendMessageJob,
        { messageId: row.id },
        { dedupeKey: buildDueRowDedupeKey(sendMessageJob, row.id) },
      );
      await deps.events.publish({
        type: 'message.created',
        tenantId,
        payload: {
          messageId: row.id,
          conversationId: row.conversationId,
          channelId: row.channelId,
        },
      });
      return toMessage(row);
    },

    async getMessage(principal: Principal, id: string): Promise<Message> {
      const row = await repository.findMessage(db, principal.tenantId, id);
      if (!row) throw new AppError('NOT_FOUND', `Message ${id} does not exist in this tenant.`);
      return toMessage(row);
    },

    /** The `messages.send` job. */
    async processSend(messageId: string, signal?: AbortSignal): Promise<void> {
      const claim = await claimDueRow(db, repository.outboundTable, messageId, leaseMs);
      if (!claim) return;
      const message = await repository.findMessageById(db, messageId);
      if (!message) return;
      if (await repository.hasEarlierUnsent(db, message)) {
        // Its turn comes after the conversation's earlier messages.
        const delayMs = 200 + randomInt(0, 200);
        await releaseClaimedRow(db, repository.outboundTable, claim, delayMs);
        throw new RetryLaterError('an earlier message of the conversation has not left', delayMs);
      }
      const opened = await deps.channels.openChannel(message.channelId, message.tenantId);
      const contact = await repository.findRecipient(db, message.tenantId, message.contactId);
      if (!opened || !contact?.phone) {
        await failForGood(claim, message, {
          code: 'CHANNEL_OR_CONTACT_GONE',
          reason:
            'The channel or the contact no longer exists, or the contact has no phone number.',
        });
        return;
      }
      // Slots first: waiting for the limiter is not a failed attempt.
      const { provider } = opened;
      const pacing = message.bulk ? effectivePacing(opened.row) : null;
      if (pacing) {
        const paced = await reservePacedSlot(opened.row.id, pacing);
        if (!paced.granted) {
          // Not its turn yet: back to the table (with a little spread so waiting sends do not
          // all come back in the same millisecond).
          const delayMs = paced.retryAfterMs + randomInt(0, 1_000);
          await releaseClaimedRow(db, repository.outboundTable, claim, delayMs);
          throw new RetryLaterError('bulk pacing', delayMs);
        }
        if (paced.waitMs > 0) await sleep(paced.waitMs, undefined, { signal });
        if (pacing.typing && provider.sendPresence) {
          await provider
            .sendPresence({ config: opened.config, http }, { phone: contact.phone }, 'typing')
            .catch((error: unknown) =>
              logger.debug({ err: error, messageId }, 'typing presence not shown'),
            );
          await sleep(typingDurationMs(message.content), undefined, { signal });
        }
      }
      const rate = opened.row.ratePerSecond ?? provider.capabilities.defaultRatePerSecond;
      const slot = await deps.limiter.reserve(
        `channel:${opened.row.id}`,
        { ratePerSecond: rate, burst: 1 },
        maxLimiterWaitMs,
      );
      let waitMs = slot.granted ? slot.waitMs : -1;
      if (waitMs >= 0 && provider.capabilities.hasServiceWindow) {
        const pair = await deps.limiter.reserve(
          `pair:${opened.row.id}:${contact.phone}`,
          pairRateRule,
          maxLimiterWaitMs,
        );
        waitMs = pair.granted ? Math.max(waitMs, pair.waitMs) : -1;
        if (!pair.granted) {
          await releaseClaimedRow(db, repository.outboundTable, claim, pair.retryAfterMs);
          throw new RetryLaterError('recipient pair rate', pair.retryAfterMs);
        }
      }
      if (!slot.granted) {
        await releaseClaimedRow(db, repository.outboundTable, claim, slot.retryAfterMs);
        throw new RetryLaterError('channel rate limit', slot.retryAfterMs);
      }
      if (waitMs > 0) await sleep(waitMs, undefined, { signal });

      const attempt = await repository.countSendAttempt(db, message.id);
      try {
        const prepared = await deps.media.prepareOutbound(
          message.tenantId,
          message.content,
          opened,
        );
        // Buttons and lists the channel cannot render go as numbered text; the inbound
        // pipeline reads the number back as the tap.
        const sendable = contentAsDelivered(
          prepared,
          channelCapabilities(provider, opened.row.config).sends,
        );
        const result = await provider.send(
          {
            config: opened.config,
            http,
            webhookUrl: opened.webhookUrl,
            scheduleWebhook: async (body, delayMs) => {
              await deps.inbound.acceptInternal({
                tenantId: message.tenantId,
                channelId: opened.row.id,
                provider: opened.row.provider,
                body,
                delayMs,
              });
            },
          },
          { to: { phone: contact.phone, waId: contact.waId ?? undefined }, content: sendable },
        );
        // The provider's id and `sent` commit together, fenced by the claim: a worker that lost
        // its lease records nothing, and a crash never leaves a row that has its provider id but
        // is still `sending` (the sweeper would send it again).
        const isRecorded = await db.transaction(async (tx) => {
          if (!(await finishClaimedRow(tx, repository.outboundTable, claim))) return false;
          await repository.recordProviderMessageId(tx, message.id, result.providerMessageId);
          return true;
        });
        if (isRecorded) {
          await publishStatus(message, 'sent');
          await deps.inbound.applyPendingStatuses(
            opened.row.id,
            result.providerMessageId,
            message.id,
          );
        }
      } catch (error) {
        const mapped =
          error instanceof ProviderError
            ? error
            : new ProviderError({
                code: 'INTERNAL',
                reason: String(error),
                retryable: true,
                cause: error,
              });
        if (!mapped.retryable || attempt >= maxSendAttempts) {
          await failForGood(claim, message, {
            code: mapped.retryable ? 'RETRIES_EXHAUSTED' : mapped.code,
            reason: mapped.retryable
              ? `Gave up after ${attempt} tries: ${mapped.message}`
              : mapped.message,
          });
          return;
        }
        const delayMs = mapped.retryAfterMs ?? computeBackoffMs(attempt, 1_000, 5 * 60_000);
        await repository.recordSendFailure(db, message.id, {
          code: mapped.code,
          reason: mapped.message,
        });
        await releaseClaimedRow(db, repository.outboundTable, claim, delayMs);
        logger.info(
          { messageId: message.id, code: mapped.code, attempt, delayMs },
          'send will be retried',
        );
        throw new RetryLaterError(mapped.message, delayMs);
      }
    },
  };
}

export type OutboundService = ReturnType<typeof createOutboundService>;

/** Messages a crash left queued or sending, for the sweeper. */
export async function findDueSends(db: Database, limit: number) {
  const ids = await findDueRowIds(db, repository.outboundTable, limit);
  return ids.map((id) => ({ jobName: sendMessageJob, id, payload: { messageId: id } }));
}

export function toMessage(row: repository.MessageRow): Message {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: row.id,
    channelId: row.channelId,
    conversationId: row.conversationId,
    contactId: row.contactId,
    direction: row.direction,
    status: row.status,
    content: row.content,
    providerMessageId: row.providerMessageId,
    errorCode: row.errorCode,
    errorReason: row.errorReason,
    createdAt: row.createdAt.toISOString(),
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    readAt: iso(row.readAt),
    failedAt: iso(row.failedAt),
  };
}

/** How long "typing…" shows before a paced send: about a person's typing speed, 1–5 s. */
export function typingDurationMs(content: MessageContent): number {
  const length = summarizeContent(content).length;
  return Math.min(5_000, Math.max(1_000, length * 40));
}
