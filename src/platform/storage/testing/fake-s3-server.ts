import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/**
 * A loopback stand-in for an S3-compatible service, for tests: objects in memory, path-style
 * (`/bucket/key`) and virtual-host (`bucket.<host>/key`) addressing, and every request's AWS
 * Signature V4 checked by an independent verifier below (not the library the driver signs with).
 * A request with a missing or wrong signature gets 403 SignatureDoesNotMatch, like S3.
 */

export type FakeS3Request = {
  method: string;
  style: 'path' | 'virtual-host';
  bucket: string;
  key: string;
  signedHeaders: string[];
  credentialScope: string;
  payloadHash: string;
};

export type FakeS3Server = {
  port: number;
  /** Every request that passed signature verification. */
  requests: FakeS3Request[];
  /** Requests refused for their signature, with the reason. */
  rejected: Array<{ method: string; url: string; reason: string }>;
  objects: Map<string, { body: Buffer; contentType: string }>;
  close(): Promise<void>;
};

export type FakeS3Options = {
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
};

export async function startFakeS3Server(options: FakeS3Options): Promise<FakeS3Server> {
  const requests: FakeS3Request[] = [];
  const rejected: FakeS3Server['rejected'] = [];
  const objects = new Map<string, { body: Buffer; contentType: string }>();

  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const host = request.headers.host ?? '';
    const hostname = host.replace(/:\d+$/, '');
    const isPathStyle = /^(\d+\.){3}\d+$/.test(hostname) || hostname === 'localhost';
    const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const bucket = isPathStyle ? (segments.shift() ?? '') : (hostname.split('.')[0] ?? '');
    const key = segments.join('/');

    const verdict = verifySigV4(
      { method, rawPath: url.pathname, query: url.searchParams, headers: request.headers, body },
      options,
    );
    if (!verdict.ok) {
      rejected.push({ method, url: request.url ?? '', reason: verdict.reason });
      return sendXmlError(response, 403, 'SignatureDoesNotMatch', verdict.reason);
    }
    requests.push({
      method,
      style: isPathStyle ? 'path' : 'virtual-host',
      bucket,
      key,
      signedHeaders: verdict.signedHeaders,
      credentialScope: verdict.credentialScope,
      payloadHash: verdict.payloadHash,
    });
    if (bucket !== options.bucket) {
      return sendXmlError(response, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
    const stored = objects.get(key);
    switch (method) {
      case 'PUT':
        objects.set(key, {
          body,
          contentType: request.headers['content-type'] ?? 'application/octet-stream',
        });
        response.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
        return response.end();
      case 'GET':
      case 'HEAD':
        if (!stored) {
          if (method === 'HEAD') {
            response.writeHead(404);
            return response.end();
          }
          return sendXmlError(response, 404, 'NoSuchKey', 'The specified key does not exist.');
        }
        response.writeHead(200, {
          'content-type': stored.contentType,
          'content-length': String(stored.body.length),
        });
        return response.end(method === 'GET' ? stored.body : undefined);
      case 'DELETE':
        objects.delete(key);
        response.writeHead(204);
        return response.end();
      default:
        return sendXmlError(response, 405, 'MethodNotAllowed', `${method} is not allowed`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    rejected,
    objects,
    close: () => closeServer(server),
  };
}

/**
 * A `send` for the S3 driver that delivers a signed request to 127.0.0.1:`port` whatever host
 * its URL names, keeping that host in the Host header (which the signature covers). Lets a test
 * use virtual-host addressing (`bucket.s3.test`) without DNS.
 */
export function createLoopbackSend(port: number): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const body = Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    headers.host = url.host;
    if (body.length > 0) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: request.method,
          path: url.pathname + url.search,
          headers,
        },
        (incoming) => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (typeof value === 'string') responseHeaders.set(name, value);
          }
          const status = incoming.statusCode ?? 500;
          const hasNoBody = request.method === 'HEAD' || [204, 304].includes(status);
          if (hasNoBody) incoming.resume();
          resolve(
            new Response(
              hasNoBody
                ? null
                : (Readable.toWeb(incoming) as unknown as globalThis.ReadableStream<Uint8Array>),
              { status, headers: responseHeaders },
            ),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}

type SignedRequest = {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
};

type Verdict =
  | { ok: true; signedHeaders: string[]; credentialScope: string; payloadHash: string }
  | { ok: false; reason: string };

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/**
 * Checks an `Authorization: AWS4-HMAC-SHA256 ...` header the way S3 does: rebuilds the
 * canonical request from what arrived, derives the signing key from the secret, compares.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export function verifySigV4(
  request: SignedRequest,
  credentials: Pick<FakeS3Options, 'accessKeyId' | 'secretAccessKey' | 'region'>,
  now = Date.now(),
): Verdict {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return { ok: false, reason: 'no Authorization header' };
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (!match) return { ok: false, reason: 'malformed Authorization header' };
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (accessKeyId !== credentials.accessKeyId) return { ok: false, reason: 'unknown access key' };
  if (region !== credentials.region) return { ok: false, reason: `wrong region ${region}` };
  if (service !== 's3') return { ok: false, reason: `wrong service ${service}` };
  const signedHeaders = signedHeaderList.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signedHeaders.includes(required)) {
      return { ok: false, reason: `${required} is not signed` };
    }
  }
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const dateMatch = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!dateMatch || !amzDate.startsWith(date)) return { ok: false, reason: 'bad x-amz-date' };
  const [, year, month, day, hour, minute, second] = dateMatch.map(Number) as number[];
  const signedAt = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  if (Math.abs(now - signedAt) > 15 * 60_000) {
    return { ok: false, reason: 'request time too skewed' };
  }
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(request.body)) {
    return { ok: false, reason: 'x-amz-content-sha256 does not match the body' };
  }

  const canonicalUri = request.rawPath
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
  const canonicalQuery = [...request.query.entries()]
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalRequest = [
    request.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const credentialScope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    credentialScope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service),
    'aws4_request',
  );
  const expected = hmac(signingKey, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return { ok: false, reason: 'signature does not match' };
  }
  return { ok: true, signedHeaders, credentialScope, payloadHash };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendXmlError(response: ServerResponse, status: number, code: string, message: string) {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
