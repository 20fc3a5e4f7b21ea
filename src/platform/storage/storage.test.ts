import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import { createStorage } from './create-storage.js';
import { createLocalDiskStorage } from './local-disk-storage.js';
import { buildS3ObjectUrl, createS3Storage } from './s3-storage.js';
import { describeStorageConformance, readStream } from './storage.conformance.js';
import { assertValidStorageKey } from './storage.port.js';
import {
  createLoopbackSend,
  type FakeS3Server,
  startFakeS3Server,
  verifySigV4,
} from './testing/fake-s3-server.js';

const credentials = {
  bucket: 'media-bucket',
  region: 'sa-east-1',
  accessKeyId: 'AKIDRECADOTEST',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

async function listFilesRecursively(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}

describeStorageConformance('local disk', async () => {
  const rootDir = await mkdtemp(path.join(tmpdir(), 'recado-storage-'));
  return {
    driver: createLocalDiskStorage({ rootDir }),
    cleanup: () => rm(rootDir, { recursive: true, force: true }),
  };
});

describeStorageConformance('s3, path-style', async () => {
  const server = await startFakeS3Server(credentials);
  return {
    driver: createS3Storage({
      ...credentials,
      endpoint: `http://127.0.0.1:${server.port}`,
      forcePathStyle: true,
      prefix: 'recado/',
    }),
    cleanup: async () => {
      expect(server.rejected).toEqual([]);
      for (const request of server.requests) {
        expect([request.style, request.bucket]).toEqual(['path', credentials.bucket]);
      }
      await server.close();
    },
  };
});

describeStorageConformance('s3, virtual-host', async () => {
  const server = await startFakeS3Server(credentials);
  return {
    driver: createS3Storage({
      ...credentials,
      endpoint: `http://s3.test:${server.port}`,
      forcePathStyle: false,
      prefix: 'recado/',
      send: createLoopbackSend(server.port),
    }),
    cleanup: async () => {
      expect(server.rejected).toEqual([]);
      expect(server.requests.length).toBeGreaterThan(0);
      for (const request of server.requests) {
        expect([request.style, request.bucket]).toEqual(['virtual-host', credentials.bucket]);
        expect(request.key).toMatch(/^recado\/tenant-a\//);
      }
      await server.close();
    },
  };
});

describe('local disk storage', () => {
  let rootDir: string;
  beforeAll(async () => {
    rootDir = await mkdtemp(path.join(tmpdir(), 'recado-storage-local-'));
  });
  afterAll(async () => {
    await rm(rootDir, { recursive: true, force: true });
  });

  it('writes one file per key under the root and leaves no temporary files', async () => {
    const storage = createLocalDiskStorage({ rootDir });
    await storage.put('t1/2025/06/abc', Buffer.from('hello'), { contentType: 'text/plain' });
    await storage.put('t1/2025/06/abc', Buffer.from('hello again'), { contentType: 'text/plain' });
    expect(await listFilesRecursively(rootDir)).toEqual([path.join('t1', '2025', '06', 'abc')]);
    expect(await readFile(path.join(rootDir, 't1', '2025', '06', 'abc'), 'utf8')).toBe(
      'hello again',
    );
  });

  it('keeps the previous version and no temporary file when a streamed write fails', async () => {
    const storage = createLocalDiskStorage({ rootDir });
    await storage.put('t1/failing', Buffer.from('old'), { contentType: 'text/plain' });
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(10_000, 1));
        this.destroy(new Error('connection reset by the sender'));
      },
    });
    await expect(
      storage.put('t1/failing', failing, { contentType: 'application/octet-stream' }),
    ).rejects.toThrow('connection reset');
    expect((await readStream((await storage.get('t1/failing')).body)).toString()).toBe('old');
    const leftovers = (await listFilesRecursively(rootDir)).filter((file) => file.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('creates nothing on disk until the first write', async () => {
    const lazyRoot = path.join(rootDir, 'not-yet');
    const storage = createLocalDiskStorage({ rootDir: lazyRoot });
    expect(await storage.exists('t1/x')).toBe(false);
    await expect(readdir(lazyRoot)).rejects.toThrow();
  });
});

describe('s3 storage', () => {
  let server: FakeS3Server;
  beforeAll(async () => {
    server = await startFakeS3Server(credentials);
  });
  afterAll(async () => {
    await server.close();
  });

  it('signs every request for the right bucket and key, with a signed payload hash', async () => {
    server.requests.length = 0;
    const storage = createS3Storage({
      ...credentials,
      endpoint: `http://127.0.0.1:${server.port}`,
      forcePathStyle: true,
      prefix: '/deploy-1',
    });
    const bytes = Buffer.from('%PDF-1.7 fake');
    await storage.put('tenant/2025/06/doc', bytes, { contentType: 'application/pdf' });
    await storage.exists('tenant/2025/06/doc');
    await readStream((await storage.get('tenant/2025/06/doc')).body);
    await storage.delete('tenant/2025/06/doc');
    expect(server.rejected).toEqual([]);
    expect(server.requests.map((r) => [r.method, r.style, r.bucket, r.key])).toEqual([
      ['PUT', 'path', 'media-bucket', 'deploy-1/tenant/2025/06/doc'],
      ['HEAD', 'path', 'media-bucket', 'deploy-1/tenant/2025/06/doc'],
      ['GET', 'path', 'media-bucket', 'deploy-1/tenant/2025/06/doc'],
      ['DELETE', 'path', 'media-bucket', 'deploy-1/tenant/2025/06/doc'],
    ]);
    for (const request of server.requests) {
      expect(request.credentialScope).toMatch(/^\d{8}\/sa-east-1\/s3\/aws4_request$/);
      expect(request.signedHeaders).toEqual(
        expect.arrayContaining(['host', 'x-amz-date', 'x-amz-content-sha256']),
      );
    }
    // The upload's body is covered by the signature, not sent as UNSIGNED-PAYLOAD.
    expect(server.requests[0]?.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(server.objects.get('deploy-1/tenant/2025/06/doc')).toBeUndefined();
  });

  it('stores the content type given on put', async () => {
    const storage = createS3Storage({
      ...credentials,
      endpoint: `http://127.0.0.1:${server.port}`,
      forcePathStyle: true,
    });
    await storage.put('t/typed', Buffer.from('x'), { contentType: 'image/png' });
    expect(server.objects.get('t/typed')?.contentType).toBe('image/png');
  });

  it('fails with the service’s error code when the secret is wrong, and leaks no secret', async () => {
    const storage = createS3Storage({
      ...credentials,
      secretAccessKey: 'not-the-secret',
      endpoint: `http://127.0.0.1:${server.port}`,
      forcePathStyle: true,
    });
    const failure = storage.put('t/forged', Buffer.from('x'), { contentType: 'text/plain' });
    await expect(failure).rejects.toThrow(/HTTP 403 \(SignatureDoesNotMatch/);
    await expect(failure).rejects.not.toThrow(/not-the-secret/);
    expect(server.objects.has('t/forged')).toBe(false);
    expect(server.rejected.at(-1)?.reason).toBe('signature does not match');
  });

  it('fails clearly for a bucket that does not exist', async () => {
    const storage = createS3Storage({
      ...credentials,
      bucket: 'other-bucket',
      endpoint: `http://127.0.0.1:${server.port}`,
      forcePathStyle: true,
    });
    await expect(
      storage.put('t/x', Buffer.from('x'), { contentType: 'text/plain' }),
    ).rejects.toThrow(/HTTP 404 \(NoSuchBucket/);
  });

  it('builds path-style and virtual-host URLs, keeping an endpoint path', () => {
    expect(
      buildS3ObjectUrl(
        { endpoint: 'http://minio:9000', bucket: 'b', forcePathStyle: true },
        'recado/t/k',
      ),
    ).toBe('http://minio:9000/b/recado/t/k');
    expect(
      buildS3ObjectUrl(
        { endpoint: 'https://s3.eu-west-1.amazonaws.com/', bucket: 'b', forcePathStyle: false },
        'recado/t/k',
      ),
    ).toBe('https://b.s3.eu-west-1.amazonaws.com/recado/t/k');
    expect(
      buildS3ObjectUrl(
        { endpoint: 'https://gateway.example/storage', bucket: 'b', forcePathStyle: true },
        'k',
      ),
    ).toBe('https://gateway.example/storage/b/k');
  });

  it('refuses an unsafe key prefix at creation', () => {
    expect(() =>
      createS3Storage({
        ...credentials,
        endpoint: 'http://127.0.0.1:1',
        forcePathStyle: true,
        prefix: '../escape/',
      }),
    ).toThrow(TypeError);
  });
});

describe('the SigV4 verifier of the test server', () => {
  it('accepts the signature of AWS’s published GET Object example', () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
    const verdict = verifySigV4(
      {
        method: 'GET',
        rawPath: '/test.txt',
        query: new URLSearchParams(),
        headers: {
          host: 'examplebucket.s3.amazonaws.com',
          range: 'bytes=0-9',
          'x-amz-content-sha256':
            'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-amz-date': '20130524T000000Z',
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
        },
        body: Buffer.alloc(0),
      },
      {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        region: 'us-east-1',
      },
      Date.UTC(2013, 4, 24, 0, 5),
    );
    expect(verdict).toMatchObject({ ok: true });
  });
});

describe('createStorage', () => {
  it('picks local disk under DATA_DIR/media by default, S3 when configured', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'recado-create-storage-'));
    try {
      const local = createStorage(loadConfig({ DATA_DIR: dataDir }));
      expect(local.kind).toBe('local');
      await local.put('t/x', Buffer.from('x'), { contentType: 'text/plain' });
      expect(await readFile(path.join(dataDir, 'media', 't', 'x'), 'utf8')).toBe('x');
      const s3 = createStorage(
        loadConfig({
          STORAGE_DRIVER: 's3',
          S3_ENDPOINT: 'http://127.0.0.1:9000',
          S3_BUCKET: 'b',
          S3_ACCESS_KEY_ID: 'a',
          S3_SECRET_ACCESS_KEY: 's',
        }),
      );
      expect(s3.kind).toBe('s3');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('validates keys the same way for every driver', () => {
    expect(() => assertValidStorageKey('tenant/2025/06/0b0e-uuid')).not.toThrow();
    expect(() => assertValidStorageKey('tenant/../x')).toThrow(TypeError);
  });
});
