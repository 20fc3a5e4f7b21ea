import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
// aws4fetch rather than @aws-sdk/client-s3: four object calls need only a SigV4 signer. It is
// one ~10 KB file with no dependencies, built on WebCrypto and fetch (both in Node 20), where
// the SDK would add dozens of packages and megabytes for the same PUT/GET/HEAD/DELETE.
import { AwsClient } from 'aws4fetch';
import {
  assertValidStorageKey,
  type StorageDriver,
  StorageObjectNotFoundError,
} from './storage.port.js';

export type S3StorageOptions = {
  /** e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000 */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** true: ENDPOINT/BUCKET/KEY (MinIO and most self-hosted services); false: BUCKET.ENDPOINT/KEY. */
  forcePathStyle: boolean;
  /** Key prefix inside the bucket (`recado/`), so one bucket can serve several deployments. */
  prefix?: string | undefined;
  /** Sends a signed request; `fetch` by default. Tests route virtual-host requests to loopback. */
  send?: ((request: Request) => Promise<Response>) | undefined;
};

const requestTimeoutMs = 120_000;

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Backblaze B2...), each
 * request signed with AWS Signature V4. PUT sends a Content-Length and a signed payload hash,
 * so a stream is read into memory first (media objects are bounded by MEDIA_MAX_BYTES). A PUT
 * is atomic on S3's side: readers see the whole old object or the whole new one.
 */
export function createS3Storage(options: S3StorageOptions): StorageDriver {
  const prefix = normalizePrefix(options.prefix ?? '');
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    service: 's3',
    region: options.region,
  });
  const send = options.send ?? ((request: Request) => fetch(request));

  async function call(
    method: 'PUT' | 'GET' | 'HEAD' | 'DELETE',
    key: string,
    init: { body?: Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Response> {
    assertValidStorageKey(key);
    const url = buildS3ObjectUrl(options, `${prefix}${key}`);
    const signed = await client.sign(url, {
      method,
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.body ? { body: viewOf(init.body) } : {}),
      ...(init.timeoutMs ? { signal: AbortSignal.timeout(init.timeoutMs) } : {}),
    });
    return send(signed);
  }

  async function fail(method: string, key: string, response: Response): Promise<never> {
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
    const message = /<Message>([^<]{1,300})<\/Message>/.exec(text)?.[1];
    const detail = [code, message].filter(Boolean).join(': ');
    throw new Error(
      `S3 ${method} of ${prefix}${key} in bucket ${options.bucket} answered HTTP ${response.status}${detail ? ` (${detail})` : ''}`,
    );
  }

  return {
    kind: 's3',

    async put(key, body, { contentType }) {
      const bytes = Buffer.isBuffer(body) ? body : await readAll(body);
      const response = await call('PUT', key, {
        body: bytes,
        headers: {
          'content-type': contentType,
          'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex'),
        },
        timeoutMs: requestTimeoutMs,
      });
      if (!response.ok) return fail('PUT', key, response);
      await response.body?.cancel();
      return { sizeBytes: bytes.length };
    },

    async get(key) {
      const response = await call('GET', key);
      if (response.status === 404) {
        await response.body?.cancel();
        throw new StorageObjectNotFoundError(key);
      }
      if (!response.ok || !response.body) return fail('GET', key, response);
      const sizeBytes = Number(response.headers.get('content-length'));
      if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
        await response.body.cancel();
        throw new Error(`S3 GET of ${prefix}${key} answered without a Content-Length`);
      }
      return {
        body: Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
        sizeBytes,
      };
    },

    async delete(key) {
      const response = await call('DELETE', key, { timeoutMs: 30_000 });
      if (!response.ok && response.status !== 404) return fail('DELETE', key, response);
      await response.body?.cancel();
    },

    async exists(key) {
      const response = await call('HEAD', key, { timeoutMs: 30_000 });
      await response.body?.cancel();
      if (response.status === 404) return false;
      if (!response.ok) return fail('HEAD', key, response);
      return true;
    },
  };
}

/**
 * The object's URL. Path style: `{endpoint}/{bucket}/{key}`; virtual-host style:
 * `{scheme}://{bucket}.{endpoint host}/{key}`. Key segments are percent-encoded.
 */
export function buildS3ObjectUrl(
  options: Pick<S3StorageOptions, 'endpoint' | 'bucket' | 'forcePathStyle'>,
  objectKey: string,
): string {
  const url = new URL(options.endpoint);
  const basePath = url.pathname.replace(/\/+$/, '');
  const encodedKey = objectKey.split('/').map(encodeURIComponent).join('/');
  if (options.forcePathStyle) {
    url.pathname = `${basePath}/${encodeURIComponent(options.bucket)}/${encodedKey}`;
  } else {
    url.hostname = `${options.bucket}.${url.hostname}`;
    url.pathname = `${basePath}/${encodedKey}`;
  }
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** `recado`, `/recado/`, `recado/` → `recado/`; empty stays empty. Refuses unsafe prefixes. */
function normalizePrefix(raw: string): string {
  const trimmed = raw.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertValidStorageKey(trimmed);
  return `${trimmed}/`;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/** The Buffer's bytes as a plain Uint8Array view (no copy), as fetch's body types want. */
function viewOf(bytes: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}
