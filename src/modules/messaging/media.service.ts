import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import {
  type AnyChannelProvider,
  type HttpClient,
  mediaTooLargeErrorCode,
  ProviderError,
} from '../../channels/index.js';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database, DbExecutor } from '../../platform/db/database.js';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import type { EventBus } from '../../platform/events/event-bus.port.js';
import type { Logger } from '../../platform/observability/logger.js';
import {
  claimDueRow,
  findDueRowIds,
  finishClaimedRow,
  type RowClaim,
  releaseClaimedRow,
} from '../../platform/queue/due-rows-sql.js';
import { buildDueRowDedupeKey } from '../../platform/queue/due-rows-sweeper.js';
import { computeBackoffMs, type Queue, RetryLaterError } from '../../platform/queue/queue.port.js';
import {
  isStorageObjectNotFound,
  type StorageDriver,
} from '../../platform/storage/storage.port.js';
import type { Media } from '../../shared/contracts/media.contract.js';
import {
  formatBytes,
  getBaseMimeType,
  getMediaKindLimit,
  type MediaKind,
  mediaKindMaxBytes,
  mediaKindMimeTypes,
  safeTextMimeTypes,
} from '../../shared/media-limits.js';
import {
  isMediaContent,
  type MediaContent,
  type MessageContent,
} from '../../shared/messaging/message-content.js';
import * as repository from './media.repository.js';

export const fetchMediaJob = 'messaging.fetch-media';

/** The event published when an inbound message's media is stored. */
export const messageMediaEvent = 'message.media';

/** Downloads of up to 100 MB over a slow link fit well inside this. */
const fetchLeaseMs = 10 * 60_000;
/** Provider tries per inbound media object before it fails for good. */
const maxFetchAttempts = 8;
/** Meta keeps uploaded media 30 days; an older cached id is uploaded again. */
const providerMediaIdTtlMs = 25 * 24 * 60 * 60 * 1000;
/** Lifetime of a signed link handed to a provider that fetches media by URL. */
const signedLinkTtlSeconds = 60 * 60;

/** Old Office files (doc, xls, ppt) share one container format that sniffing cannot tell apart. */
const legacyOfficeMimeTypes = [
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
];

/** A channel opened for its adapter, as `ChannelsService.openChannel` returns it. */
export type OpenedChannel = {
  row: { id: string; provider: string };
  provider: AnyChannelProvider;
  config: Record<string, unknown>;
};

export type MediaDeps = {
  db: Database;
  queue: Queue;
  events: EventBus;
  storage: StorageDriver;
  channels: {
    openChannel(id: string, tenantId?: string): Promise<OpenedChannel | undefined>;
  };
  logger: Logger;
  /** MEDIA_MAX_BYTES: caps every per-kind limit. */
  maxBytes: number;
  /** For providers that fetch media by URL: signed links to the content endpoint. */
  links: { publicUrl: string; signingKey: Buffer };
  http?: HttpClient;
  now?: () => Date;
};

export type StoreBytesInput = {
  tenantId: string;
  source: 'inbound' | 'upload';
  /** What the media will be (image, sticker...); inferred from the bytes when absent. */
  kind?: MediaKind | undefined;
  bytes: Buffer;
  /** What the sender said the type is; believed only for safe text formats. */
  declaredMimeType?: string | undefined;
  filename?: string | undefined;
  channelId?: string | undefined;
  messageId?: string | undefined;
};

/** An open stored object, ready to stream to a client. */
export type MediaDownload = {
  media: Media;
  body: Readable;
  sizeBytes: number;
  contentType: string;
  /** A safe name for Content-Disposition (never empty). */
  filename: string;
};

/**
 * Media (issue 3): bytes in the storage port, facts in `media_objects`. Every object is checked
 * before it is kept: size against the per-kind limit (capped by MEDIA_MAX_BYTES) and type by
 * sniffing the bytes, never by trusting a name or a declared type. Inbound media is fetched by
 * the durable `messaging.fetch-media` job (row = truth, sweeper = safety net).
 */
export function createMediaService(deps: MediaDeps) {
  const { db, queue, storage } = deps;
  const logger = deps.logger.child({ module: 'messaging.media' });
  const http: HttpClient = deps.http ?? ((url, init) => fetch(url, init));
  const now = deps.now ?? (() => new Date());

  function limitFor(kind: MediaKind): number {
    return getMediaKindLimit(kind, deps.maxBytes);
  }

  function assertWithinLimit(kind: MediaKind, sizeBytes: number): void {
    const limit = limitFor(kind);
    if (sizeBytes <= limit) return;
    throw new AppError(
      'MEDIA_TOO_LARGE',
      `The ${kind} is ${formatBytes(sizeBytes)}; ${kind} files may be at most ${formatBytes(limit)}.`,
      { kind, sizeBytes, limitBytes: limit },
    );
  }

  /** Sniffs the bytes and checks the type against what `kind` may hold. */
  async function inspect(
    requestedKind: MediaKind | undefined,
    bytes: Buffer,
    declaredMimeType: string | undefined,
  ): Promise<{ kind: MediaKind; mimeType: string }> {
    const declared = declaredMimeType ? getBaseMimeType(declaredMimeType) : undefined;
    let mimeType = (await fileTypeFromBuffer(bytes))?.mime;
    if (!mimeType && declared && safeTextMimeTypes.includes(declared) && looksLikeText(bytes)) {
      mimeType = declared;
    }
    if (mimeType === 'application/x-cfb' && declared && legacyOfficeMimeTypes.includes(declared)) {
      mimeType = declared;
    }
    // An MP4 container holding only sound sniffs as video; as audio it is audio/mp4.
    if (requestedKind === 'audio' && mimeType === 'video/mp4') mimeType = 'audio/mp4';
    if (!mimeType) {
      throw new AppError(
        'MEDIA_TYPE_NOT_ALLOWED',
        `The file's type could not be recognised from its content${declared ? ` (it claims ${declared})` : ''}; WhatsApp accepts ${describeAllowed(requestedKind ?? 'document')}.`,
        { kind: requestedKind ?? null, declaredMimeType: declared ?? null },
      );
    }
    const kind = requestedKind ?? inferKind(mimeType);
    if (!mediaKindMimeTypes[kind].includes(getBaseMimeType(mimeType))) {
      throw new AppError(
        'MEDIA_TYPE_NOT_ALLOWED',
        `The file is ${getBaseMimeType(mimeType)}; a WhatsApp ${kind} must be ${describeAllowed(kind)}.`,
        { kind, mimeType: getBaseMimeType(mimeType), allowed: mediaKindMimeTypes[kind] },
      );
    }
    return { kind, mimeType };
  }

  function buildStorageKey(tenantId: string, id: string, createdAt: Date): string {
    const month = String(createdAt.getUTCMonth() + 1).padStart(2, '0');
    return `${tenantId}/${createdAt.getUTCFullYear()}/${month}/${id}`;
  }

  function signLink(id: string, expires: number): string {
    return createHmac('sha256', deps.links.signingKey).update(`${id}.${expires}`).digest('hex');
  }

  function createSignedUrl(id: string): string {
    const expires = Math.floor(now().getTime() / 1000) + signedLinkTtlSeconds;
    const base = deps.links.publicUrl.replace(/\/+$/, '');
    return `${base}/api/v1/media/${id}/content?expires=${expires}&signature=${signLink(id, expires)}`;
  }

  async function openStored(row: repository.MediaRow): Promise<MediaDownload> {
    if (row.status !== 'stored' || !row.storageKey || !row.mimeType) {
      throw notAvailable(row);
    }
    try {
      const object = await storage.get(row.storageKey);
      return {
        media: toMedia(row),
        body: object.body,
        sizeBytes: object.sizeBytes,
        contentType: row.mimeType,
        filename: buildDownloadFilename(row),
      };
    } catch (error) {
      if (!isStorageObjectNotFound(error)) throw error;
      logger.error({ mediaId: row.id, storageKey: row.storageKey }, 'stored media bytes missing');
      throw new AppError('NOT_FOUND', `The bytes of media ${row.id} are missing from storage.`);
    }
  }

  async function readStoredBytes(row: repository.MediaRow): Promise<Buffer> {
    const { body } = await openStored(row);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function storeBytes(input: StoreBytesInput): Promise<repository.MediaRow> {
    if (input.kind) assertWithinLimit(input.kind, input.bytes.length);
    const checked = await inspect(input.kind, input.bytes, input.declaredMimeType);
    assertWithinLimit(checked.kind, input.bytes.length);
    const id = randomUUID();
    const createdAt = now();
    const storageKey = buildStorageKey(input.tenantId, id, createdAt);
    await storage.put(storageKey, input.bytes, { contentType: checked.mimeType });
    try {
      return await repository.insertMedia(db, {
        id,
        tenantId: input.tenantId,
        channelId: input.channelId ?? null,
        messageId: input.messageId ?? null,
        source: input.source,
        kind: checked.kind,
        status: 'stored',
        storageKey,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        sizeBytes: input.bytes.length,
        mimeType: checked.mimeType,
        declaredMimeType: input.declaredMimeType?.slice(0, 255) ?? null,
        filename: sanitizeFilename(input.filename),
        createdAt,
        updatedAt: createdAt,
      });
    } catch (error) {
      await storage.delete(storageKey).catch(() => undefined);
      throw error;
    }
  }

  /** Ends a fetch for good (`rejected`: broke a limit; `failed`: could not be fetched). */
  async function finishFetch(
    claim: RowClaim,
    row: repository.MediaRow,
    status: 'rejected' | 'failed',
    reason: string,
  ) {
    await repository.recordMediaError(db, row.id, reason);
    await finishClaimedRow(db, repository.mediaTable, claim, status);
    logger.warn({ mediaId: row.id, messageId: row.messageId, status, reason }, 'media not stored');
  }

  async function fetchAndStore(claim: RowClaim, row: repository.MediaRow, signal?: AbortSignal) {
    const opened = row.channelId
      ? await deps.channels.openChannel(row.channelId, row.tenantId)
      : undefined;
    if (!opened) {
      return finishFetch(claim, row, 'failed', 'The channel of this media no longer exists.');
    }
    const { provider } = opened;
    if (!provider.downloadMedia) {
      return finishFetch(
        claim,
        row,
        'failed',
        `The ${provider.id} provider cannot download media.`,
      );
    }
    const attempt = await repository.countFetchAttempt(db, row.id);
    const limit = limitFor(row.kind);
    let bytes: Buffer;
    let providerMimeType: string | undefined;
    try {
      const downloaded = await provider.downloadMedia(
        { config: opened.config, http },
        { providerMediaId: row.providerMediaId ?? undefined, url: row.sourceUrl ?? undefined },
        { maxBytes: limit, signal },
      );
      bytes = downloaded.bytes;
      providerMimeType = downloaded.mimeType;
    } catch (error) {
      const mapped =
        error instanceof ProviderError
          ? error
          : new ProviderError({ code: 'INTERNAL', reason: String(error), retryable: true });
      if (mapped.code === mediaTooLargeErrorCode) {
        return finishFetch(
          claim,
          row,
          'rejected',
          `The ${row.kind} is larger than the ${formatBytes(limit)} limit for ${row.kind} files. ${mapped.message}.`,
        );
      }
      if (!mapped.retryable || attempt >= maxFetchAttempts) {
        const reason = mapped.retryable
          ? `Gave up after ${attempt} tries: ${mapped.message}`
          : mapped.message;
        return finishFetch(claim, row, 'failed', `${reason} (${mapped.code})`);
      }
      const delayMs = mapped.retryAfterMs ?? computeBackoffMs(attempt, 1_000, 10 * 60_000);
      await repository.recordMediaError(db, row.id, `${mapped.message} (${mapped.code})`);
      await releaseClaimedRow(db, repository.mediaTable, claim, delayMs);
      logger.info(
        { mediaId: row.id, code: mapped.code, attempt, delayMs },
        'media download will be retried',
      );
      throw new RetryLaterError(mapped.message, delayMs);
    }

    let checked: { kind: MediaKind; mimeType: string };
    try {
      assertWithinLimit(row.kind, bytes.length);
      checked = await inspect(row.kind, bytes, row.declaredMimeType ?? providerMimeType);
    } catch (error) {
      if (isAppError(error)) return finishFetch(claim, row, 'rejected', error.message);
      throw error;
    }
    // The key is the row's own: a repeated run overwrites the same object, never adds one.
    const storageKey = buildStorageKey(row.tenantId, row.id, row.createdAt);
    await storage.put(storageKey, bytes, { contentType: checked.mimeType });
    const fields = {
      mediaId: row.id,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sizeBytes: bytes.length,
      mimeType: checked.mimeType,
    };
    const outcome = await db.transaction(async (tx) => {
      if (!(await finishClaimedRow(tx, repository.mediaTable, claim))) return { lost: true };
      await repository.recordStoredMedia(tx, row.id, {
        storageKey,
        sha256: fields.sha256,
        sizeBytes: fields.sizeBytes,
        mimeType: fields.mimeType,
      });
      const message = row.messageId
        ? await repository.attachMediaToMessageContent(tx, row.messageId, fields)
        : undefined;
      return { lost: false, message };
    });
    if (outcome.lost) return; // Another worker took the row over after our lease ran out.
    logger.info({ mediaId: row.id, sizeBytes: bytes.length }, 'media stored');
    if (row.messageId && outcome.message) {
      await deps.events.publish({
        type: messageMediaEvent,
        tenantId: row.tenantId,
        payload: {
          messageId: row.messageId,
          conversationId: outcome.message.conversationId,
          mediaId: row.id,
        },
      });
    }
  }

  return {
    /** Checks and stores bytes (limits, sniffed type); the row is `stored` at once. */
    storeBytes,

    /** The most an upload of `kind` (or of any kind) may weigh, for multipart limits. */
    getUploadLimit(kind?: MediaKind): number {
      if (kind) return limitFor(kind);
      return Math.min(deps.maxBytes, Math.max(...Object.values(mediaKindMaxBytes)));
    },

    /** `POST /api/v1/media`: an operator's upload, to send later by its id. */
    async uploadMedia(
      principal: Principal,
      input: Omit<StoreBytesInput, 'tenantId' | 'source' | 'messageId' | 'channelId'>,
    ): Promise<Media> {
      assertRole(principal, 'operator');
      const row = await storeBytes({ ...input, tenantId: principal.tenantId, source: 'upload' });
      logger.info(
        { tenantId: principal.tenantId, mediaId: row.id, kind: row.kind, sizeBytes: row.sizeBytes },
        'media uploaded',
      );
      return toMedia(row);
    },

    /**
     * Inside the transaction that stores an inbound message: records its media. Content that
     * already carries our `mediaId` (uploaded first, as the sandbox does) is linked to the
     * message; a provider reference becomes a `pending` row, whose id is returned for
     * `requestFetch` once the transaction commits (the sweeper finds it if that never happens).
     */
    async registerInbound(
      executor: DbExecutor,
      input: { tenantId: string; channelId: string; messageId: string; content: MessageContent },
    ): Promise<string | undefined> {
      const { content } = input;
      if (!isMediaContent(content)) return undefined;
      if (content.mediaId) {
        await repository.linkMediaToMessage(executor, input.tenantId, content.mediaId, {
          messageId: input.messageId,
          channelId: input.channelId,
        });
        return undefined;
      }
      if (!content.providerMediaId && !content.url) return undefined;
      const existing = await repository.findMediaByMessage(executor, input.messageId);
      if (existing) return existing.status === 'pending' ? existing.id : undefined;
      const row = await repository.insertMedia(executor, {
        tenantId: input.tenantId,
        channelId: input.channelId,
        messageId: input.messageId,
        source: 'inbound',
        kind: content.type,
        providerMediaId: content.providerMediaId ?? null,
        sourceUrl: content.url ?? null,
        declaredMimeType: content.mimeType?.slice(0, 255) ?? null,
        filename: sanitizeFilename(content.type === 'document' ? content.filename : undefined),
        status: 'pending',
      });
      return row.id;
    },

    /** Enqueues the fetch of a pending media row (de-duplicated per row). */
    async requestFetch(mediaId: string): Promise<void> {
      await queue.enqueue(
        fetchMediaJob,
        { mediaId },
        { dedupeKey: buildDueRowDedupeKey(fetchMediaJob, mediaId) },
      );
    },

    /**
     * The `messaging.fetch-media` job: downloads through the channel's provider, checks, stores.
     * Retryable provider errors back off (the row goes back to pending); a limit broken makes
     * it `rejected` with the reason; the message is kept either way.
     */
    async processFetch(mediaId: string, signal?: AbortSignal): Promise<void> {
      const claim = await claimDueRow(db, repository.mediaTable, mediaId, fetchLeaseMs);
      if (!claim) return;
      const row = await repository.findMediaById(db, mediaId);
      if (!row) return;
      try {
        await fetchAndStore(claim, row, signal);
      } catch (error) {
        if (error instanceof RetryLaterError) throw error;
        // Storage or database trouble: hand the row back so the job's retry can take it.
        await repository.recordMediaError(db, row.id, String(error)).catch(() => undefined);
        await releaseClaimedRow(db, repository.mediaTable, claim, 5_000).catch(() => undefined);
        throw error;
      }
    },

    /** The media of a stored message (any status), for modules that react to it (flows). */
    async mediaOfMessage(tenantId: string, messageId: string): Promise<Media | undefined> {
      const row = await repository.findMediaByMessage(db, messageId);
      return row && row.tenantId === tenantId ? toMedia(row) : undefined;
    },

    /**
     * A stored object's bytes for another module (expenses reads receipt photos), in the
     * tenant. NOT_FOUND when missing, MEDIA_NOT_AVAILABLE while pending or when rejected
     * (`details.status`), MEDIA_TOO_LARGE (before reading) past `maxBytes`.
     */
    async readBytes(
      tenantId: string,
      id: string,
      options: { maxBytes?: number } = {},
    ): Promise<{ media: Media; bytes: Buffer }> {
      const row = await repository.findMedia(db, tenantId, id);
      if (!row) throw new AppError('NOT_FOUND', `Media ${id} does not exist in this tenant.`);
      if (
        options.maxBytes !== undefined &&
        row.sizeBytes !== null &&
        row.sizeBytes > options.maxBytes
      ) {
        throw new AppError(
          'MEDIA_TOO_LARGE',
          `Media ${id} is ${formatBytes(row.sizeBytes)}; at most ${formatBytes(options.maxBytes)} can be read here.`,
          { sizeBytes: row.sizeBytes, limitBytes: options.maxBytes },
        );
      }
      return { media: toMedia(row), bytes: await readStoredBytes(row) };
    },

    async getMedia(principal: Principal, id: string): Promise<Media> {
      const row = await repository.findMedia(db, principal.tenantId, id);
      if (!row) throw new AppError('NOT_FOUND', `Media ${id} does not exist in this tenant.`);
      return toMedia(row);
    },

    /** The stored bytes for the dashboard (any member of the tenant). */
    async openForDownload(principal: Principal, id: string): Promise<MediaDownload> {
      const row = await repository.findMedia(db, principal.tenantId, id);
      if (!row) throw new AppError('NOT_FOUND', `Media ${id} does not exist in this tenant.`);
      return openStored(row);
    },

    /** The stored bytes for a signed link (a provider fetching outbound media by URL). */
    async openSignedDownload(
      id: string,
      link: { expires: number; signature: string },
    ): Promise<MediaDownload> {
      const expected = Buffer.from(signLink(id, link.expires), 'hex');
      const given = Buffer.from(link.signature, 'hex');
      const isValid =
        given.length === expected.length &&
        timingSafeEqual(given, expected) &&
        link.expires * 1000 > now().getTime();
      if (!isValid) {
        throw new AppError('FORBIDDEN', 'This media link is not valid or has expired.');
      }
      const row = await repository.findMediaById(db, id);
      if (!row) throw new AppError('NOT_FOUND', `Media ${id} does not exist.`);
      return openStored(row);
    },

    /**
     * Checks, when a message is queued, that its media (our `mediaId`) exists in the tenant and
     * suits the content type, so a bad id is a 4xx now rather than a failed send later.
     */
    async assertSendable(tenantId: string, content: MessageContent): Promise<void> {
      if (!isMediaContent(content) || !content.mediaId) return;
      const row = await repository.findMedia(db, tenantId, content.mediaId);
      if (!row) {
        throw new AppError('NOT_FOUND', `Media ${content.mediaId} does not exist in this tenant.`, [
          { path: 'body.content.mediaId', message: 'does not exist in this tenant' },
        ]);
      }
      if (row.status !== 'stored' && row.status !== 'pending' && row.status !== 'running') {
        throw notAvailable(row);
      }
      if (row.mimeType) assertSuits(content.type, row.mimeType);
    },

    /**
     * Outbound media as the provider can send it: content with our `mediaId` is uploaded to
     * the provider when it takes uploads (the provider's id is cached on the row so a retried
     * send does not upload again), else given a signed link to our content endpoint. Content
     * with a `url` or a provider id passes as is. Failures are `ProviderError`s so the send's
     * retry policy applies.
     */
    async prepareOutbound(
      tenantId: string,
      content: MessageContent,
      opened: OpenedChannel,
    ): Promise<MessageContent> {
      if (!isMediaContent(content) || !content.mediaId) return content;
      const row = await repository.findMedia(db, tenantId, content.mediaId);
      if (!row) {
        throw new ProviderError({
          code: 'MEDIA_NOT_FOUND',
          reason: `Media ${content.mediaId} does not exist in this tenant`,
          retryable: false,
        });
      }
      if (row.status === 'pending' || row.status === 'running') {
        throw new ProviderError({
          code: 'MEDIA_NOT_READY',
          reason: `Media ${row.id} is still being downloaded`,
          retryable: true,
          retryAfterMs: 5_000,
        });
      }
      if (row.status !== 'stored' || !row.mimeType) {
        throw new ProviderError({
          code: 'MEDIA_NOT_AVAILABLE',
          reason: `Media ${row.id} is ${row.status}: ${row.error ?? 'no bytes stored'}`,
          retryable: false,
        });
      }
      try {
        assertSuits(content.type, row.mimeType);
      } catch (error) {
        throw new ProviderError({
          code: 'MEDIA_TYPE_NOT_ALLOWED',
          reason: error instanceof Error ? error.message : String(error),
          retryable: false,
        });
      }
      const prepared = withStoredFacts(content, row);
      const { provider } = opened;
      if (!provider.uploadMedia) return { ...prepared, url: createSignedUrl(row.id) };
      const isCached =
        row.source === 'upload' &&
        row.providerMediaId !== null &&
        row.channelId === opened.row.id &&
        now().getTime() - row.updatedAt.getTime() < providerMediaIdTtlMs;
      if (isCached && row.providerMediaId) {
        return { ...prepared, providerMediaId: row.providerMediaId };
      }
      const { providerMediaId } = await provider.uploadMedia(
        { config: opened.config, http },
        {
          bytes: await readStoredBytes(row),
          mimeType: row.mimeType,
          filename: row.filename ?? undefined,
        },
      );
      // Inbound rows keep the provider's inbound id; only uploads cache the sending id.
      if (row.source === 'upload') {
        await repository.cacheProviderMediaId(db, row.id, opened.row.id, providerMediaId);
      }
      logger.info({ mediaId: row.id, channelId: opened.row.id }, 'media uploaded to the provider');
      return { ...prepared, providerMediaId };
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;

/** Media rows a crash left pending or running, for the sweeper. */
export async function findDueMediaFetches(db: Database, limit: number) {
  const ids = await findDueRowIds(db, repository.mediaTable, limit);
  return ids.map((id) => ({ jobName: fetchMediaJob, id, payload: { mediaId: id } }));
}

export function toMedia(row: repository.MediaRow): Media {
  return {
    id: row.id,
    kind: row.kind,
    source: row.source,
    status: row.status,
    mimeType: row.mimeType,
    declaredMimeType: row.declaredMimeType,
    filename: row.filename,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    error: row.error,
    messageId: row.messageId,
    channelId: row.channelId,
    contentUrl: `/api/v1/media/${row.id}/content`,
    createdAt: row.createdAt.toISOString(),
  };
}

function notAvailable(row: repository.MediaRow): AppError {
  const reason =
    row.status === 'pending' || row.status === 'running'
      ? 'it is still being downloaded from the provider'
      : row.status === 'rejected'
        ? `it was rejected: ${row.error ?? 'it broke a media limit'}`
        : `it could not be fetched: ${row.error ?? 'unknown error'}`;
  return new AppError('MEDIA_NOT_AVAILABLE', `Media ${row.id} is not available: ${reason}`, {
    status: row.status,
  });
}

/** Throws when a stored type cannot be sent as `type` (a PDF as an image...). */
function assertSuits(type: MediaKind, mimeType: string): void {
  if (mediaKindMimeTypes[type].includes(getBaseMimeType(mimeType))) return;
  throw new AppError(
    'MEDIA_TYPE_NOT_ALLOWED',
    `This media is ${getBaseMimeType(mimeType)}; a WhatsApp ${type} must be ${describeAllowed(type)}.`,
    [{ path: 'body.content.type', message: `does not suit media of type ${mimeType}` }],
  );
}

/** The stored facts win over what the caller wrote (type, size, name of a document). */
function withStoredFacts(content: MediaContent, row: repository.MediaRow): MediaContent {
  const facts = {
    mimeType: row.mimeType ?? undefined,
    sha256: row.sha256 ?? undefined,
    sizeBytes: row.sizeBytes ?? undefined,
  };
  if (content.type === 'document') {
    return { ...content, ...facts, filename: content.filename ?? row.filename ?? undefined };
  }
  return { ...content, ...facts };
}

function inferKind(mimeType: string): MediaKind {
  const base = getBaseMimeType(mimeType);
  if (base === 'image/webp') return 'sticker';
  if (mediaKindMimeTypes.image.includes(base)) return 'image';
  if (base.startsWith('audio/')) return 'audio';
  if (base.startsWith('video/')) return 'video';
  return 'document';
}

function describeAllowed(kind: MediaKind): string {
  const names = mediaKindMimeTypes[kind];
  return names.length === 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** Text has no NUL bytes (checked on the first 64 KB; UTF-8 and Latin-1 CSVs both pass). */
function looksLikeText(bytes: Buffer): boolean {
  return !bytes.subarray(0, 65_536).includes(0);
}

/** The last path segment, without control characters, at most 255 characters; null if empty. */
export function sanitizeFilename(filename: string | undefined | null): string | null {
  if (!filename) return null;
  const base = filename.split(/[/\\]/).at(-1) ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned ? cleaned.slice(0, 255) : null;
}

const extensionByMimeType: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
};

function buildDownloadFilename(row: repository.MediaRow): string {
  if (row.filename) return row.filename;
  const extension = row.mimeType ? extensionByMimeType[getBaseMimeType(row.mimeType)] : undefined;
  return `${row.kind}-${row.id.slice(0, 8)}${extension ? `.${extension}` : ''}`;
}
