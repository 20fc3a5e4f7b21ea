import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { channelCapabilities, findProvider, type SandboxEvent } from '../../channels/index.js';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors/app-error.js';
import type {
  SandboxThread,
  sandboxInboundRequestSchema,
} from '../../shared/contracts/sandbox.contract.js';
import { contentAsDelivered } from '../../shared/messaging/interactive-fallback.js';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import { normalizePhone } from '../../shared/messaging/phone.js';
import type { ChannelsService } from './channels.service.js';
import type { InboundService } from './inbound.service.js';
import { listRecentOutboundContents } from './outbound.repository.js';
import * as repository from './sandbox.repository.js';

export type SandboxDeps = {
  db: Database;
  channels: ChannelsService;
  inbound: InboundService;
  now?: () => Date;
};

/** How far back a tapped button or list row is looked for among the business's messages. */
const offersSearched = 20;

/**
 * The sandbox phone: simulated WhatsApp users writing to a `sandbox` channel. What they send
 * becomes a sandbox event in the ordinary inbound pipeline (stored, deduplicated, processed by a
 * worker, routed to flows), so a bot behaves here exactly as it will on a real number.
 */
export function createSandboxService(deps: SandboxDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function sandboxChannel(principal: Principal, channelId: string) {
    const channel = await deps.channels.getChannel(principal, channelId);
    if (channel.provider !== 'sandbox') {
      throw new AppError(
        'NOT_FOUND',
        `Channel ${channelId} is a ${channel.provider} channel, not a sandbox channel.`,
      );
    }
    return channel;
  }

  function parsePhone(value: string, path: string): string {
    const phone = normalizePhone(value);
    if (!phone.ok) {
      throw new AppError('VALIDATION_FAILED', `"${value}" is not a valid phone number.`, [
        { path, message: `is not a valid phone number (${phone.reason})` },
      ]);
    }
    return phone.e164;
  }

  /** Finds the button or list row with `id` among the latest options the business offered. */
  async function findOffer(
    tenantId: string,
    channelId: string,
    phone: string,
    id: string,
  ): Promise<MessageContent> {
    const found = await repository.findSandboxConversation(db, { tenantId, channelId, phone });
    const offers = found?.conversationId
      ? await listRecentOutboundContents(db, tenantId, found.conversationId, offersSearched)
      : [];
    for (const { content } of offers) {
      if (content.type === 'buttons') {
        const button = content.buttons.find((candidate) => candidate.id === id);
        if (button) return { type: 'interactive-reply', kind: 'button', id, title: button.title };
      }
      if (content.type === 'list') {
        for (const section of content.sections) {
          const row = section.rows.find((candidate) => candidate.id === id);
          if (row) {
            return {
              type: 'interactive-reply',
              kind: 'list',
              id,
              title: row.title,
              ...(row.description ? { description: row.description } : {}),
            };
          }
        }
      }
    }
    throw new AppError(
      'VALIDATION_FAILED',
      `No button or list row "${id}" was offered to ${phone} in the recent messages.`,
      [{ path: 'body.reply.id', message: 'is not an option offered in the recent messages' }],
    );
  }

  async function deliver(
    principal: Principal,
    channelId: string,
    from: { phone: string; name?: string | undefined },
    content: MessageContent,
  ) {
    const id = `sandbox.in.${randomUUID()}`;
    const event: SandboxEvent = {
      kind: 'message',
      id,
      from: { phone: from.phone, ...(from.name ? { name: from.name } : {}) },
      timestamp: now().toISOString(),
      content,
    };
    await deps.inbound.acceptInternal({
      tenantId: principal.tenantId,
      channelId,
      provider: 'sandbox',
      body: JSON.stringify(event),
    });
    return { providerMessageId: id, from: from.phone };
  }

  return {
    /** A simulated user sends text, a location or a tap on an offered button/list row. */
    async receive(
      principal: Principal,
      channelId: string,
      input: z.infer<typeof sandboxInboundRequestSchema>,
    ) {
      assertRole(principal, 'operator');
      await sandboxChannel(principal, channelId);
      const phone = parsePhone(input.from, 'body.from');
      let content: MessageContent;
      if (input.text !== undefined) content = { type: 'text', text: input.text };
      else if (input.location !== undefined) content = { type: 'location', ...input.location };
      else if (input.reply !== undefined) {
        content = await findOffer(principal.tenantId, channelId, phone, input.reply.id);
      } else {
        throw new AppError('VALIDATION_FAILED', 'Give exactly one of text, reply or location.');
      }
      return deliver(principal, channelId, { phone, name: input.name }, content);
    },

    /**
     * A simulated user sends media: the sender is checked first, then `store` keeps the bytes
     * (through the media service) and gives the content that refers to them.
     */
    async receiveMedia(
      principal: Principal,
      channelId: string,
      input: { from: string | undefined; name?: string | undefined },
      store: () => Promise<MessageContent>,
    ) {
      assertRole(principal, 'operator');
      await sandboxChannel(principal, channelId);
      if (!input.from) {
        throw new AppError('VALIDATION_FAILED', 'Give the simulated user\'s phone in "from".', [
          { path: 'body.from', message: 'is required (send it before the file part)' },
        ]);
      }
      const phone = parsePhone(input.from, 'body.from');
      return deliver(principal, channelId, { phone, name: input.name }, await store());
    },

    /** Checks the caller may post to this sandbox channel (before accepting an upload). */
    async assertSandboxChannel(principal: Principal, channelId: string) {
      assertRole(principal, 'operator');
      await sandboxChannel(principal, channelId);
    },

    /** The thread as the simulated user sees it: their messages and what reached their phone. */
    async thread(
      principal: Principal,
      channelId: string,
      phoneInput: string,
      limit: number,
    ): Promise<SandboxThread> {
      const channel = await sandboxChannel(principal, channelId);
      const provider = findProvider(channel.provider);
      const renders = provider ? channelCapabilities(provider, channel.config).sends : [];
      const phone = parsePhone(phoneInput, 'params.phone');
      const found = await repository.findSandboxConversation(db, {
        tenantId: principal.tenantId,
        channelId,
        phone,
      });
      const rows = found?.conversationId
        ? await repository.listRecentMessages(db, principal.tenantId, found.conversationId, limit)
        : [];
      return {
        channelId,
        phone,
        contactName: found?.contactName ?? null,
        conversationId: found?.conversationId ?? null,
        messages: rows
          .filter(
            (row) =>
              row.direction === 'inbound' || ['sent', 'delivered', 'read'].includes(row.status),
          )
          .reverse()
          .map((row) => ({
            id: row.id,
            direction: row.direction,
            // What reached the phone: buttons and lists it cannot render came as numbered text.
            content: contentAsDelivered(row.content, renders),
            status: row.status,
            createdAt: row.occurredAt.toISOString(),
          })),
      };
    },
  };
}

export type SandboxService = ReturnType<typeof createSandboxService>;
