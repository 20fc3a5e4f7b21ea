import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider.port.js';
import type { MetaCloudConfig } from './meta-cloud.config.js';
import { matchesMetaSha256 } from './meta-cloud.media.js';
import { metaCloudProvider } from './meta-cloud.provider.js';

/**
 * The Meta adapter's media calls against a loopback stand-in for the Graph API: a media lookup
 * route, a bytes route (the "lookaside" URL the lookup returns) and the upload route.
 */

type Recorded = {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Buffer;
};
type Handler = (request: Recorded, response: ServerResponse) => void;

const token = 'EAAG-test-token';
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0'),
  Buffer.alloc(4000, 7),
]);
const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sha256Base64 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

let server: Server;
let baseUrl: string;
let config: MetaCloudConfig;
const recorded: Recorded[] = [];
let handlers: Handler[] = [];

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The lookup answer Meta gives for a media id, pointing at this server's bytes route. */
function lookup(bytes: Buffer, overrides: Record<string, unknown> = {}): Handler {
  return (_request, response) =>
    json(response, 200, {
      messaging_product: 'whatsapp',
      id: '1003383421387256',
      url: `${baseUrl}/lookaside/whatsapp_business/attachments/?mid=1003383421387256`,
      mime_type: 'image/jpeg',
      sha256: sha256Hex(bytes),
      file_size: String(bytes.length),
      ...overrides,
    });
}

function bytesOf(bytes: Buffer, headers: Record<string, string> = {}): Handler {
  return (_request, response) => {
    response.writeHead(200, {
      'content-type': 'image/jpeg',
      'content-length': String(bytes.length),
      ...headers,
    });
    response.end(bytes);
  };
}

const context = () => ({ config, http: (url: string, init: RequestInit) => fetch(url, init) });

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const entry: Recorded = {
      method: request.method ?? 'GET',
      url: request.url ?? '',
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body: await readBody(request),
    };
    recorded.push(entry);
    const handler = handlers.shift();
    if (!handler) return json(response, 500, { error: { message: 'no scripted answer' } });
    handler(entry, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = metaCloudProvider.configSchema.parse({
    phoneNumberId: '1122334455667',
    wabaId: '99887766',
    accessToken: token,
    appSecret: 'secret',
    verifyToken: 'verify',
    graphApiBaseUrl: baseUrl,
  });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  recorded.length = 0;
  handlers = [];
});

async function download(reference: { providerMediaId?: string; url?: string }, maxBytes = 1e6) {
  const downloadMedia = metaCloudProvider.downloadMedia;
  if (!downloadMedia) throw new Error('the Meta adapter must download media');
  return downloadMedia(context(), reference, { maxBytes });
}

async function downloadError(
  reference: { providerMediaId?: string; url?: string },
  maxBytes = 1e6,
): Promise<ProviderError> {
  const error = await download(reference, maxBytes).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${error}`);
  return error;
}

describe('meta-cloud media download', () => {
  it('looks the id up, then fetches the bytes, both with the channel token', async () => {
    handlers = [lookup(jpeg), bytesOf(jpeg)];
    const media = await download({ providerMediaId: '1003383421387256' });
    expect(media.bytes.equals(jpeg)).toBe(true);
    expect(media.mimeType).toBe('image/jpeg');
    expect(recorded.map((r) => [r.method, r.url, r.authorization])).toEqual([
      ['GET', '/v23.0/1003383421387256?phone_number_id=1122334455667', `Bearer ${token}`],
      ['GET', '/lookaside/whatsapp_business/attachments/?mid=1003383421387256', `Bearer ${token}`],
    ]);
  });

  it('accepts the hash in base64 too (the form webhooks use)', async () => {
    handlers = [lookup(jpeg, { sha256: sha256Base64(jpeg) }), bytesOf(jpeg)];
    expect((await download({ providerMediaId: '1' })).bytes.length).toBe(jpeg.length);
  });

  it('refuses bytes that do not match the announced SHA-256, as retryable', async () => {
    handlers = [lookup(jpeg), bytesOf(Buffer.concat([jpeg.subarray(0, 100)]))];
    const error = await downloadError({ providerMediaId: '1' });
    expect(error.code).toBe('META_MEDIA_CHECKSUM_MISMATCH');
    expect(error.retryable).toBe(true);
  });

  it('refuses before downloading when Meta announces a size over the limit', async () => {
    handlers = [lookup(jpeg, { file_size: '6000000' })];
    const error = await downloadError({ providerMediaId: '1' }, 5 * 1024 * 1024);
    expect(error.code).toBe('MEDIA_TOO_LARGE');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('5 MB');
    expect(recorded).toHaveLength(1);
  });

  it('stops reading once the bytes pass the limit when no size was announced', async () => {
    const big = Buffer.alloc(300_000, 1);
    handlers = [
      lookup(big, { file_size: undefined, sha256: undefined }),
      (_request, response) => {
        // Chunked, without Content-Length: only counting the bytes can catch it.
        response.writeHead(200, { 'content-type': 'image/jpeg' });
        response.write(big.subarray(0, 150_000));
        response.end(big.subarray(150_000));
      },
    ];
    const error = await downloadError({ providerMediaId: '1' }, 100_000);
    expect(error.code).toBe('MEDIA_TOO_LARGE');
    expect(error.message).toContain('97.7 KB');
  });

  it('refuses a Content-Length over the limit without reading the body', async () => {
    const big = Buffer.alloc(200_000, 1);
    handlers = [lookup(big, { file_size: undefined, sha256: undefined }), bytesOf(big)];
    const error = await downloadError({ providerMediaId: '1' }, 100_000);
    expect(error.code).toBe('MEDIA_TOO_LARGE');
    expect(error.message).toContain('195.3 KB');
  });

  it('maps a Meta error (expired token) to a permanent error with its code', async () => {
    handlers = [
      (_request, response) =>
        json(response, 401, {
          error: { message: 'Error validating access token', type: 'OAuthException', code: 190 },
        }),
    ];
    const error = await downloadError({ providerMediaId: '1' });
    expect(error.code).toBe('META_190');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('access token');
  });

  it('maps a 500 from Meta to a retryable error', async () => {
    handlers = [(_request, response) => json(response, 500, { error: { code: 2 } })];
    const error = await downloadError({ providerMediaId: '1' });
    expect(error.retryable).toBe(true);
  });

  it('maps an expired media URL (404 without JSON) to a permanent error', async () => {
    handlers = [
      lookup(jpeg),
      (_request, response) => {
        response.writeHead(404, { 'content-type': 'text/html' });
        response.end('<html>gone</html>');
      },
    ];
    const error = await downloadError({ providerMediaId: '1' });
    expect(error.code).toBe('META_HTTP_404');
    expect(error.retryable).toBe(false);
  });

  it('treats a lookup answer without a URL as a retryable invalid response', async () => {
    handlers = [(_request, response) => json(response, 200, { id: '1' })];
    const error = await downloadError({ providerMediaId: '1' });
    expect(error.code).toBe('META_INVALID_RESPONSE');
    expect(error.retryable).toBe(true);
  });

  it('never sends the token to a bare URL outside Meta', async () => {
    const error = await downloadError({ url: 'https://attacker.example/steal' });
    expect(error.code).toBe('MEDIA_NOT_FOUND');
    expect(recorded).toHaveLength(0);
  });

  it('maps an unreachable Graph API to a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const downloadMedia = metaCloudProvider.downloadMedia;
    const error = await downloadMedia?.(
      { ...context(), config: { ...config, graphApiBaseUrl: `http://127.0.0.1:${port}` } },
      { providerMediaId: '1' },
      { maxBytes: 1000 },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('META_NETWORK_ERROR');
    expect((error as ProviderError).retryable).toBe(true);
  });
});

describe('meta-cloud media upload', () => {
  async function upload() {
    const uploadMedia = metaCloudProvider.uploadMedia;
    if (!uploadMedia) throw new Error('the Meta adapter must upload media');
    return uploadMedia(context(), { bytes: jpeg, mimeType: 'image/jpeg', filename: 'foto.jpg' });
  }

  it('posts the bytes as multipart with messaging_product and the type, returns the id', async () => {
    handlers = [(_request, response) => json(response, 200, { id: '4490709327384033' })];
    expect(await upload()).toEqual({ providerMediaId: '4490709327384033' });
    const [sent] = recorded;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/v23.0/1122334455667/media');
    expect(sent?.authorization).toBe(`Bearer ${token}`);
    expect(sent?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(new Uint8Array(sent?.body ?? Buffer.alloc(0)), {
      headers: { 'content-type': sent?.contentType ?? '' },
    }).formData();
    expect(form.get('messaging_product')).toBe('whatsapp');
    expect(form.get('type')).toBe('image/jpeg');
    const file = form.get('file') as File;
    expect(file.name).toBe('foto.jpg');
    expect(file.type).toBe('image/jpeg');
    expect(Buffer.from(await file.arrayBuffer()).equals(jpeg)).toBe(true);
  });

  it('maps a Meta upload error with its code', async () => {
    handlers = [
      (_request, response) =>
        json(response, 400, { error: { message: 'Media upload error', code: 131053 } }),
    ];
    const error = await upload().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'META_131053', retryable: false });
  });

  it('maps throttling to a retryable error with a delay', async () => {
    handlers = [
      (_request, response) => {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
        response.end(JSON.stringify({ error: { code: 80007 } }));
      },
    ];
    const error = await upload().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000 });
  });
});

describe('matchesMetaSha256', () => {
  it('compares hex and base64, and ignores what is not a hash', () => {
    expect(matchesMetaSha256(jpeg, sha256Hex(jpeg))).toBe(true);
    expect(matchesMetaSha256(jpeg, sha256Hex(jpeg).toUpperCase())).toBe(true);
    expect(matchesMetaSha256(jpeg, sha256Base64(jpeg))).toBe(true);
    expect(matchesMetaSha256(jpeg, sha256Hex(Buffer.from('x')))).toBe(false);
    expect(matchesMetaSha256(jpeg, '4654+8g=')).toBeUndefined();
  });
});
