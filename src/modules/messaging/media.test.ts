import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metaTextWebhook, signMetaWebhook } from '../../../test/helpers/meta-webhook.js';
import { multipart, tinyPng } from '../../../test/helpers/multipart.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import type { DomainEvent } from '../../platform/events/event-bus.port.js';
import { createSilentLogger } from '../../platform/observability/logger.js';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import { createMediaService } from './index.js';

/**
 * Media end to end on the real runtime: Meta webhooks with media, downloads from a loopback
 * stand-in for the Graph API (lookup → URL → bytes), local-disk storage in a temporary DATA_DIR,
 * the upload and download endpoints, and outbound media uploaded to the fake Graph API.
 */

const appSecret = 'meta-app-secret';
const accessToken = 'graph-token';
const phoneNumberId = '1122334455667';

const png = tinyPng;
const jpegOf = (size: number) =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0'),
    Buffer.alloc(size - 11, 0x5a),
  ]);
const webpOf = (size: number) =>
  Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.alloc(4),
    Buffer.from('WEBPVP8 '),
    Buffer.alloc(size - 16, 1),
  ]);
const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n');
const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

type GraphMedia = { bytes: Buffer; mimeType: string; failures: number; announceSize: boolean };
type GraphRequest = { method: string; path: string; authorization?: string; body: Buffer };

/** The loopback Graph API: media lookups, media bytes, uploads and sends. */
const graph = {
  media: new Map<string, GraphMedia>(),
  requests: [] as GraphRequest[],
  sendFailures: 0,
  uploads: 0,
  sends: 0,
};
let server: Server;
let graphUrl: string;
let t: TestApp;
let dataDir: string;
let token: string;
let tenantId: string;
let channelId: string;
const events: DomainEvent[] = [];

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function handleGraph(request: GraphRequest, response: ServerResponse) {
  if (request.method === 'POST' && request.path === `/v23.0/${phoneNumberId}/media`) {
    graph.uploads += 1;
    return json(response, 200, { id: `meta-upload-${graph.uploads}` });
  }
  if (request.method === 'POST' && request.path === `/v23.0/${phoneNumberId}/messages`) {
    if (graph.sendFailures > 0) {
      graph.sendFailures -= 1;
      return json(response, 500, {
        error: { code: 2, message: 'Service temporarily unavailable' },
      });
    }
    graph.sends += 1;
    return json(response, 200, { messages: [{ id: `wamid.sent.${graph.sends}` }] });
  }
  const file = /^\/files\/([^/]+)$/.exec(request.path);
  if (request.method === 'GET' && file) {
    const media = graph.media.get(file[1] ?? '');
    if (!media) return json(response, 404, {});
    response.writeHead(200, {
      'content-type': media.mimeType,
      ...(media.announceSize ? { 'content-length': String(media.bytes.length) } : {}),
    });
    return response.end(media.bytes);
  }
  const lookup = /^\/v23\.0\/([^/]+)$/.exec(request.path);
  if (request.method === 'GET' && lookup) {
    const id = lookup[1] ?? '';
    const media = graph.media.get(id);
    if (!media) {
      return json(response, 400, { error: { code: 100, message: 'Unsupported get request' } });
    }
    if (media.failures > 0) {
      media.failures -= 1;
      return json(response, 500, {
        error: { code: 2, message: 'Service temporarily unavailable' },
      });
    }
    return json(response, 200, {
      messaging_product: 'whatsapp',
      id,
      url: `${graphUrl}/files/${id}`,
      mime_type: media.mimeType,
      sha256: sha256Hex(media.bytes),
      ...(media.announceSize ? { file_size: String(media.bytes.length) } : {}),
    });
  }
  return json(response, 404, { error: { message: `no route ${request.path}` } });
}

function metaMediaWebhook(input: {
  wamid: string;
  from: string;
  type: 'image' | 'document' | 'sticker';
  mediaId: string;
  bytes: Buffer;
  mimeType: string;
  caption?: string;
  filename?: string;
}): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '99887766',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '5511900000000', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Ana' }, wa_id: input.from }],
              messages: [
                {
                  from: input.from,
                  id: input.wamid,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: input.type,
                  [input.type]: {
                    id: input.mediaId,
                    mime_type: input.mimeType,
                    sha256: createHash('sha256').update(input.bytes).digest('base64'),
                    ...(input.caption ? { caption: input.caption } : {}),
                    ...(input.filename ? { filename: input.filename } : {}),
                  },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

async function postWebhook(body: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/webhooks/meta-cloud/${channelId}`,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signMetaWebhook(body, appSecret),
    },
    payload: body,
  });
  expect(response.statusCode).toBe(200);
}

/** A Meta media message arrives; resolves with its message row once the pipeline ran. */
async function receiveMedia(
  input: Omit<Parameters<typeof metaMediaWebhook>[0], 'from'> & {
    from?: string;
  },
) {
  await postWebhook(metaMediaWebhook({ from: '5511987654321', ...input }));
  return waitFor(async () => findMessage(input.wamid));
}

type Row = Record<string, unknown>;

async function query(statement: ReturnType<typeof sql>): Promise<Row[]> {
  return ((await t.database.db.execute(statement)) as unknown as { rows: Row[] }).rows;
}

async function findMessage(wamid: string) {
  const [row] = await query(
    sql`select id, content, conversation_id from messages where provider_message_id = ${wamid}`,
  );
  return row as { id: string; content: MessageContent; conversation_id: string } | undefined;
}

async function findMediaOf(messageId: string) {
  const rows = await query(
    sql`select id, status, error, attempts, storage_key from media_objects where message_id = ${messageId}`,
  );
  return rows as Array<{
    id: string;
    status: string;
    error: string | null;
    attempts: number;
    storage_key: string | null;
  }>;
}

/** Polls until `probe` gives a value (jobs and their delayed retries run in the background). */
async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForFinalMedia(messageId: string) {
  return waitFor(async () => {
    const [row] = await findMediaOf(messageId);
    return row && !['pending', 'running'].includes(row.status) ? row : undefined;
  });
}

function upload(
  file: { filename: string; type: string; data: Buffer },
  options: { kind?: string; authToken?: string } = {},
) {
  const body = multipart([{ name: 'file', ...file }]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/media${options.kind ? `?kind=${options.kind}` : ''}`,
    headers: { ...bearer(options.authToken ?? token), ...body.headers },
    payload: body.payload,
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const entry: GraphRequest = {
      method: request.method ?? 'GET',
      path: new URL(request.url ?? '/', 'http://graph').pathname,
      authorization: request.headers.authorization,
      body: await readBody(request),
    };
    graph.requests.push(entry);
    handleGraph(entry, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  graphUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dataDir = await mkdtemp(path.join(tmpdir(), 'recado-media-test-'));
  t = await createTestApp({ DATA_DIR: dataDir, PUBLIC_URL: 'http://recado.test' });
  const session = await login(t.app, testAdmin);
  token = session.accessToken;
  tenantId = session.tenant.id;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels',
    headers: bearer(token),
    payload: {
      provider: 'meta-cloud',
      name: 'Meta',
      config: {
        phoneNumberId,
        wabaId: '99887766',
        accessToken,
        appSecret,
        verifyToken: 'verify',
        graphApiBaseUrl: graphUrl,
      },
    },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  channelId = created.json<{ id: string }>().id;
  t.events.subscribe((event) => events.push(event));
});
afterAll(async () => {
  await t.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  graph.requests.length = 0;
  graph.sendFailures = 0;
});

describe('inbound media (Meta webhook → Graph API → storage)', () => {
  it('downloads an image, stores it, gives the message its mediaId, serves identical bytes', async () => {
    const bytes = jpegOf(40_000);
    graph.media.set('media.photo', {
      bytes,
      mimeType: 'image/jpeg',
      failures: 0,
      announceSize: true,
    });
    const message = await receiveMedia({
      wamid: 'wamid.photo',
      type: 'image',
      mediaId: 'media.photo',
      bytes,
      mimeType: 'image/jpeg',
      caption: 'Segue o comprovante',
    });
    const media = await waitForFinalMedia(message.id);
    expect(media.status).toBe('stored');
    const stored = await findMessage('wamid.photo');
    expect(stored?.content).toMatchObject({
      type: 'image',
      caption: 'Segue o comprovante',
      providerMediaId: 'media.photo',
      mediaId: media.id,
      sha256: sha256Hex(bytes),
      sizeBytes: bytes.length,
      mimeType: 'image/jpeg',
    });
    // Both Graph calls carried the channel's token.
    expect(graph.requests.map((r) => [r.method, r.path, r.authorization])).toEqual([
      ['GET', '/v23.0/media.photo', `Bearer ${accessToken}`],
      ['GET', '/files/media.photo', `Bearer ${accessToken}`],
    ]);
    expect(events.filter((event) => event.type === 'message.media')).toContainEqual(
      expect.objectContaining({
        tenantId,
        payload: {
          messageId: message.id,
          conversationId: message.conversation_id,
          mediaId: media.id,
        },
      }),
    );

    const metadata = await t.app.inject({
      url: `/api/v1/media/${media.id}`,
      headers: bearer(token),
    });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.json()).toMatchObject({
      id: media.id,
      kind: 'image',
      source: 'inbound',
      status: 'stored',
      mimeType: 'image/jpeg',
      sizeBytes: bytes.length,
      sha256: sha256Hex(bytes),
      messageId: message.id,
      channelId,
      contentUrl: `/api/v1/media/${media.id}/content`,
    });

    const content = await t.app.inject({
      url: `/api/v1/media/${media.id}/content`,
      headers: bearer(token),
    });
    expect(content.statusCode).toBe(200);
    expect(content.rawPayload.equals(bytes)).toBe(true);
    expect(content.headers['content-type']).toBe('image/jpeg');
    expect(content.headers['content-length']).toBe(String(bytes.length));
    expect(content.headers['x-content-type-options']).toBe('nosniff');
    expect(content.headers['content-security-policy']).toContain('sandbox');
    expect(content.headers['content-disposition']).toMatch(/^inline; filename="image-/);

    // The bytes live under DATA_DIR/media/<tenant>/<yyyy>/<mm>/<media id>.
    const files = await readdir(path.join(dataDir, 'media', tenantId), { recursive: true });
    expect(files.some((file) => file.endsWith(media.id))).toBe(true);
  });

  it('rejects an image over 5 MB with the reason, and keeps the message', async () => {
    const bytes = jpegOf(5 * 1024 * 1024 + 100_000);
    // No size announced: only counting the bytes as they stream can catch it.
    graph.media.set('media.huge', {
      bytes,
      mimeType: 'image/jpeg',
      failures: 0,
      announceSize: false,
    });
    const message = await receiveMedia({
      wamid: 'wamid.huge',
      type: 'image',
      mediaId: 'media.huge',
      bytes,
      mimeType: 'image/jpeg',
    });
    const media = await waitForFinalMedia(message.id);
    expect(media.status).toBe('rejected');
    expect(media.error).toContain('5 MB');
    expect(media.storage_key).toBeNull();
    const kept = await findMessage('wamid.huge');
    expect(kept?.content).toMatchObject({ type: 'image', providerMediaId: 'media.huge' });
    expect(kept?.content).not.toHaveProperty('mediaId');

    const content = await t.app.inject({
      url: `/api/v1/media/${media.id}/content`,
      headers: bearer(token),
    });
    expect(content.statusCode).toBe(409);
    expect(content.json().error.code).toBe('MEDIA_NOT_AVAILABLE');
    expect(content.json().error.message).toContain('5 MB');
  });

  it('rejects a sticker whose bytes are not WebP, naming what it is', async () => {
    graph.media.set('media.fake-sticker', {
      bytes: pdf,
      mimeType: 'image/webp',
      failures: 0,
      announceSize: true,
    });
    const message = await receiveMedia({
      wamid: 'wamid.fake-sticker',
      type: 'sticker',
      mediaId: 'media.fake-sticker',
      bytes: pdf,
      mimeType: 'image/webp',
    });
    const media = await waitForFinalMedia(message.id);
    expect(media.status).toBe('rejected');
    expect(media.error).toContain('application/pdf');
  });

  it('retries a Graph API 500 and stores the media once', async () => {
    const bytes = jpegOf(10_000);
    graph.media.set('media.flaky', {
      bytes,
      mimeType: 'image/jpeg',
      failures: 1,
      announceSize: true,
    });
    const message = await receiveMedia({
      wamid: 'wamid.flaky',
      type: 'image',
      mediaId: 'media.flaky',
      bytes,
      mimeType: 'image/jpeg',
    });
    const media = await waitForFinalMedia(message.id);
    expect(media.status).toBe('stored');
    expect(media.attempts).toBe(2);
    expect(await findMediaOf(message.id)).toHaveLength(1);
    expect(graph.requests.filter((r) => r.path === '/files/media.flaky')).toHaveLength(1);
    const files = await readdir(path.join(dataDir, 'media', tenantId), { recursive: true });
    expect(files.filter((file) => file.endsWith(media.id))).toHaveLength(1);
    expect(
      events.filter(
        (event) =>
          event.type === 'message.media' &&
          (event.payload as { messageId: string }).messageId === message.id,
      ),
    ).toHaveLength(1);

    // Running the job again on a stored row changes nothing.
    await t.runtime.media.processFetch(media.id);
    expect(graph.requests.filter((r) => r.path === '/files/media.flaky')).toHaveLength(1);
  });

  it('fails for good when Meta does not know the media id, keeping the message', async () => {
    const message = await receiveMedia({
      wamid: 'wamid.unknown-media',
      type: 'document',
      mediaId: 'media.never-uploaded',
      bytes: pdf,
      mimeType: 'application/pdf',
      filename: 'boleto.pdf',
    });
    const media = await waitForFinalMedia(message.id);
    expect(media.status).toBe('failed');
    expect(media.error).toContain('META_100');
    expect(media.attempts).toBe(1);
  });

  it('recovers a fetch whose job was lost, through the sweeper', async () => {
    const bytes = jpegOf(2_000);
    graph.media.set('media.swept', {
      bytes,
      mimeType: 'image/jpeg',
      failures: 0,
      announceSize: true,
    });
    // A message stored with its pending media row, but the job never enqueued (a crash).
    await postWebhook(
      metaTextWebhook({ wamid: 'wamid.swept-host', from: '5511911110000', text: 'x' }),
    );
    const host = await waitFor(async () => findMessage('wamid.swept-host'));
    const mediaId = await t.runtime.media.registerInbound(t.database.db, {
      tenantId,
      channelId,
      messageId: host.id,
      content: { type: 'image', providerMediaId: 'media.swept', mimeType: 'image/jpeg' },
    });
    expect(mediaId).toBeDefined();
    await Promise.all(t.runtime.sweepers.map((sweeper) => sweeper.sweepOnce()));
    expect((await waitForFinalMedia(host.id)).status).toBe('stored');
  });

  it('links media the sender uploaded first to the message instead of fetching it', async () => {
    const uploaded = await upload({ filename: 'foto.png', type: 'image/png', data: png });
    const mediaId = uploaded.json<{ id: string }>().id;
    await postWebhook(metaTextWebhook({ wamid: 'wamid.linked', from: '5511922220000', text: 'x' }));
    const host = await waitFor(async () => findMessage('wamid.linked'));
    const pending = await t.runtime.media.registerInbound(t.database.db, {
      tenantId,
      channelId,
      messageId: host.id,
      content: { type: 'image', mediaId },
    });
    expect(pending).toBeUndefined();
    const [linked] = await findMediaOf(host.id);
    expect(linked).toMatchObject({ id: mediaId, status: 'stored' });
    expect(graph.requests).toHaveLength(0);
  });
});

describe('uploads (POST /api/v1/media)', () => {
  it('believes the bytes, not the name: a PNG named .pdf is stored as image/png', async () => {
    const response = await upload({
      filename: 'nota-fiscal.pdf',
      type: 'application/pdf',
      data: png,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      kind: 'image',
      source: 'upload',
      status: 'stored',
      mimeType: 'image/png',
      declaredMimeType: 'application/pdf',
      filename: 'nota-fiscal.pdf',
      sizeBytes: png.length,
      sha256: sha256Hex(png),
    });
    const content = await t.app.inject({
      url: `/api/v1/media/${response.json<{ id: string }>().id}/content`,
      headers: bearer(token),
    });
    expect(content.headers['content-type']).toBe('image/png');
    expect(content.rawPayload.equals(png)).toBe(true);
  });

  it('keeps CSV as a document (text has no magic bytes) and serves it as an attachment', async () => {
    const csv = Buffer.from('nome;valor\nAna;10,50\nJoão;7,00\n', 'utf8');
    const response = await upload({ filename: 'relatório março.csv', type: 'text/csv', data: csv });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ kind: 'document', mimeType: 'text/csv' });
    const content = await t.app.inject({
      url: `/api/v1/media/${response.json<{ id: string }>().id}/content`,
      headers: bearer(token),
    });
    expect(content.headers['content-disposition']).toBe(
      `attachment; filename="relat_rio mar_o.csv"; filename*=UTF-8''relat%C3%B3rio%20mar%C3%A7o.csv`,
    );
  });

  it('refuses HTML, binary data claiming to be text, and a PDF sent as an image', async () => {
    const html = await upload({
      filename: 'x.html',
      type: 'text/html',
      data: Buffer.from('<html><script>alert(1)</script></html>'),
    });
    expect(html.statusCode).toBe(415);
    expect(html.json().error.code).toBe('MEDIA_TYPE_NOT_ALLOWED');
    const binary = await upload({
      filename: 'x.txt',
      type: 'text/plain',
      data: Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00]),
    });
    expect(binary.statusCode).toBe(415);
    const pdfAsImage = await upload(
      { filename: 'x.pdf', type: 'application/pdf', data: pdf },
      { kind: 'image' },
    );
    expect(pdfAsImage.statusCode).toBe(415);
    expect(pdfAsImage.json().error.message).toContain('image/jpeg or image/png');
  });

  it('refuses files over the kind limit with 413 naming the limit', async () => {
    const sticker = await upload(
      { filename: 's.webp', type: 'image/webp', data: webpOf(600 * 1024) },
      { kind: 'sticker' },
    );
    expect(sticker.statusCode).toBe(413);
    expect(sticker.json().error.code).toBe('MEDIA_TOO_LARGE');
    expect(sticker.json().error.message).toContain('500 KB');
    // Without a kind: sniffed as an image, then held to the image limit.
    const image = await upload({
      filename: 'big.jpg',
      type: 'image/jpeg',
      data: jpegOf(6 * 1024 * 1024),
    });
    expect(image.statusCode).toBe(413);
    expect(image.json().error.message).toContain('5 MB');
  });

  it('answers 4xx for bodies that are not one multipart file', async () => {
    const asJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: bearer(token),
      payload: { file: 'aGVsbG8=' },
    });
    expect(asJson.statusCode).toBe(415);
    expect(asJson.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const noFile = multipart([{ name: 'caption', data: Buffer.from('oi') }]);
    const withoutFile = await t.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...bearer(token), ...noFile.headers },
      payload: noFile.payload,
    });
    expect(withoutFile.statusCode).toBe(400);

    const truncated = multipart([
      { name: 'file', filename: 'a.png', type: 'image/png', data: png },
    ]);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: { ...bearer(token), ...truncated.headers },
      payload: truncated.payload.subarray(0, truncated.payload.length - 30),
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);

    const badKind = await upload(
      { filename: 'a.png', type: 'image/png', data: png },
      { kind: 'gif' },
    );
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.code).toBe('VALIDATION_FAILED');

    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      ...multipart([{ name: 'file', filename: 'a.png', type: 'image/png', data: png }]),
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lets clients read media but not upload it', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(token),
      payload: {
        email: 'cliente@example.com',
        name: 'Cliente',
        role: 'client',
        password: 'client password 123',
      },
    });
    expect(created.statusCode).toBe(201);
    const client = await login(t.app, {
      email: 'cliente@example.com',
      password: 'client password 123',
    });
    const refused = await upload(
      { filename: 'a.png', type: 'image/png', data: png },
      { authToken: client.accessToken },
    );
    expect(refused.statusCode).toBe(403);
    const mine = await upload({ filename: 'a.png', type: 'image/png', data: png });
    const read = await t.app.inject({
      url: `/api/v1/media/${mine.json<{ id: string }>().id}/content`,
      headers: bearer(client.accessToken),
    });
    expect(read.statusCode).toBe(200);
  });
});

describe('tenant isolation and bad ids', () => {
  it('answers 404 to another tenant, for metadata, bytes and sending', async () => {
    const mine = await upload({ filename: 'a.png', type: 'image/png', data: png });
    const mediaId = mine.json<{ id: string }>().id;
    const tenant = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      headers: bearer(token),
      payload: {
        name: 'Outra Empresa',
        slug: 'outra-empresa',
        admin: { email: 'admin@outra.example', name: 'Bia', password: 'outra senha segura' },
      },
    });
    expect(tenant.statusCode).toBe(201);
    const other = await login(t.app, {
      email: 'admin@outra.example',
      password: 'outra senha segura',
    });
    for (const url of [`/api/v1/media/${mediaId}`, `/api/v1/media/${mediaId}/content`]) {
      const response = await t.app.inject({ url, headers: bearer(other.accessToken) });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
    const otherChannel = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(other.accessToken),
      payload: {
        provider: 'meta-cloud',
        name: 'Meta B',
        config: {
          phoneNumberId: '5566778899',
          wabaId: '11223344',
          accessToken: 'other-token',
          appSecret: 'other-secret',
          verifyToken: 'other-verify',
          graphApiBaseUrl: graphUrl,
        },
      },
    });
    expect(otherChannel.statusCode).toBe(201);
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(other.accessToken),
      payload: {
        channelId: otherChannel.json<{ id: string }>().id,
        to: { phone: '+5511944440000' },
        content: { type: 'image', mediaId },
      },
    });
    expect(sent.statusCode).toBe(404);
    expect(sent.json().error.details).toEqual([
      { path: 'body.content.mediaId', message: 'does not exist in this tenant' },
    ]);
  });

  it('answers 400 for a malformed id, 404 for an unknown one, 401 without a token', async () => {
    expect(
      (await t.app.inject({ url: '/api/v1/media/not-a-uuid', headers: bearer(token) })).statusCode,
    ).toBe(400);
    expect(
      (await t.app.inject({ url: `/api/v1/media/${randomUUID()}/content`, headers: bearer(token) }))
        .statusCode,
    ).toBe(404);
    const mine = await upload({ filename: 'a.png', type: 'image/png', data: png });
    expect(
      (await t.app.inject({ url: `/api/v1/media/${mine.json<{ id: string }>().id}/content` }))
        .statusCode,
    ).toBe(401);
  });
});

describe('outbound media', () => {
  const customer = '5511933330000';

  async function openWindow() {
    await postWebhook(
      metaTextWebhook({ wamid: `wamid.window.${randomUUID()}`, from: customer, text: 'Oi' }),
    );
    await t.runtime.queue.whenIdle(10_000);
  }

  async function send(content: Record<string, unknown>) {
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      headers: bearer(token),
      payload: { channelId, to: { phone: `+${customer}` }, content },
    });
  }

  async function settled(id: string) {
    return waitFor(async () => {
      const view = (
        await t.app.inject({ url: `/api/v1/messages/${id}`, headers: bearer(token) })
      ).json<{ status: string; errorCode: string | null }>();
      return view.status === 'queued' || view.status === 'sending' ? undefined : view;
    }, 30_000);
  }

  it('uploads our media to Meta once and sends it by the provider id, even across retries', async () => {
    await openWindow();
    const mediaId = (
      await upload({ filename: 'cardapio.png', type: 'image/png', data: png })
    ).json<{
      id: string;
    }>().id;
    graph.requests.length = 0;
    const uploadsBefore = graph.uploads;
    graph.sendFailures = 1;
    const response = await send({ type: 'image', mediaId, caption: 'Cardápio de hoje' });
    expect(response.statusCode).toBe(202);
    expect((await settled(response.json<{ id: string }>().id)).status).toBe('sent');
    expect(graph.uploads - uploadsBefore).toBe(1);
    const uploadRequest = graph.requests.find((r) => r.path.endsWith('/media'));
    expect(uploadRequest?.authorization).toBe(`Bearer ${accessToken}`);
    expect(uploadRequest?.body.includes(png)).toBe(true);
    const sends = graph.requests.filter((r) => r.path.endsWith('/messages'));
    expect(sends).toHaveLength(2);
    for (const request of sends) {
      expect(JSON.parse(request.body.toString())).toMatchObject({
        type: 'image',
        image: { id: `meta-upload-${uploadsBefore + 1}`, caption: 'Cardápio de hoje' },
      });
    }
    // A second message with the same media reuses the uploaded id.
    const again = await send({ type: 'image', mediaId });
    expect((await settled(again.json<{ id: string }>().id)).status).toBe('sent');
    expect(graph.uploads - uploadsBefore).toBe(1);
  });

  it('refuses at queue time an unknown mediaId or one of the wrong type', async () => {
    const unknown = await send({ type: 'image', mediaId: randomUUID() });
    expect(unknown.statusCode).toBe(404);
    const document = (
      await upload({ filename: 'a.pdf', type: 'application/pdf', data: pdf })
    ).json<{
      id: string;
    }>().id;
    const wrongType = await send({ type: 'video', mediaId: document });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('MEDIA_TYPE_NOT_ALLOWED');
  });

  it('gives providers without uploads a signed link that works without a token, and only intact', async () => {
    const mediaId = (await upload({ filename: 'a.png', type: 'image/png', data: png })).json<{
      id: string;
    }>().id;
    const opened = await t.runtime.channels.openChannel(channelId, tenantId);
    if (!opened) throw new Error('channel not found');
    const withoutUploads = { ...opened, provider: { ...opened.provider, uploadMedia: undefined } };
    const prepared = (await t.runtime.media.prepareOutbound(
      tenantId,
      { type: 'image', mediaId },
      withoutUploads,
    )) as { url?: string; mimeType?: string };
    expect(prepared.mimeType).toBe('image/png');
    const link = new URL(prepared.url ?? '');
    expect(link.origin).toBe('http://recado.test');
    const fetched = await t.app.inject({ url: link.pathname + link.search });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.rawPayload.equals(png)).toBe(true);

    const tampered = new URL(link);
    tampered.searchParams.set('expires', String(Number(link.searchParams.get('expires')) + 3600));
    expect((await t.app.inject({ url: tampered.pathname + tampered.search })).statusCode).toBe(403);
    const otherMedia = link.pathname.replace(mediaId, randomUUID());
    expect((await t.app.inject({ url: otherMedia + link.search })).statusCode).toBe(403);
    const badSignature = await t.app.inject({
      url: `${link.pathname}?expires=${link.searchParams.get('expires')}&signature=xyz`,
    });
    expect(badSignature.statusCode).toBe(400);
  });

  it('refuses a signed link once it has expired', async () => {
    const mediaId = (await upload({ filename: 'a.png', type: 'image/png', data: png })).json<{
      id: string;
    }>().id;
    const deps = {
      db: t.database.db,
      queue: t.runtime.queue,
      events: t.runtime.events,
      storage: t.runtime.storage,
      channels: t.runtime.channels,
      logger: createSilentLogger(),
      maxBytes: t.config.MEDIA_MAX_BYTES,
      links: { publicUrl: 'http://recado.test', signingKey: Buffer.from('test link key') },
    };
    const today = createMediaService(deps);
    const later = createMediaService({ ...deps, now: () => new Date(Date.now() + 2 * 3600_000) });
    const opened = await t.runtime.channels.openChannel(channelId, tenantId);
    if (!opened) throw new Error('channel not found');
    const prepared = (await today.prepareOutbound(
      tenantId,
      { type: 'image', mediaId },
      { ...opened, provider: { ...opened.provider, uploadMedia: undefined } },
    )) as { url: string };
    const link = new URL(prepared.url);
    const signature = link.searchParams.get('signature') ?? '';
    const expires = Number(link.searchParams.get('expires'));
    const download = await today.openSignedDownload(mediaId, { expires, signature });
    download.body.destroy();
    expect(download.contentType).toBe('image/png');
    await expect(later.openSignedDownload(mediaId, { expires, signature })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
