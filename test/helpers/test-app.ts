import type { FastifyInstance } from 'fastify';
import {
  bootstrapPlatform,
  buildRuntimeApp,
  createRuntime,
  type Runtime,
} from '../../src/app/create-runtime.js';
import type { Config } from '../../src/config/config.schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { CapturedLogs } from './captured-logs.js';
import { createTestQueuePrefix, deleteRedisKeysWithPrefix } from './redis-keys.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { isServicesRun, testRedisUrl } from './test-env.js';

export { CapturedLogs };

/** A fixed key for tests, so no key file is written into the working tree. */
export const testEncryptionKey = 'cd'.repeat(32);

export const testAdmin = { email: 'root@example.com', password: 'correct horse battery' };

export type TestApp = {
  app: FastifyInstance;
  runtime: Runtime;
  database: TestDatabase;
  events: Runtime['events'];
  logs: CapturedLogs;
  config: Config;
  close(): Promise<void>;
};

/**
 * The real composition (createRuntime + buildApp, role `all`, queue started) on a fresh migrated
 * test database, with a bootstrapped super admin (`testAdmin`) and captured logs. Embedded mode
 * in `npm test`; in `npm run test:services` PostgreSQL plus Redis (BullMQ jobs, pub/sub events,
 * shared rate limits) under a key prefix of its own, deleted afterwards. The first-boot sandbox
 * has no bot unless `demoFlow` (tests bind the flows they need; the sandbox's own stay quiet).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { webDistDir?: string; demoFlow?: boolean } = {},
): Promise<TestApp> {
  const redisPrefix = createTestQueuePrefix();
  const services = isServicesRun ? { REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: redisPrefix } : {};
  const config = loadConfig({
    LOG_LEVEL: 'info',
    WEB_ENABLED: 'false',
    ENCRYPTION_KEY: testEncryptionKey,
    ...services,
    ...env,
  });
  const logs = new CapturedLogs();
  const logger = createLogger({ level: config.LOG_LEVEL, destination: logs });
  const database = await createTestDatabase();
  const runtime = await createRuntime(config, logger, { database });
  await bootstrapPlatform(
    runtime,
    { adminEmail: testAdmin.email, adminPassword: testAdmin.password },
    { demoFlow: options.demoFlow ?? false },
  );
  const app = await buildRuntimeApp(runtime, { webDistDir: options.webDistDir });
  await runtime.queue.start();
  for (const sweeper of runtime.sweepers) sweeper.start();
  await app.ready();
  return {
    app,
    runtime,
    database,
    events: runtime.events,
    logs,
    config,
    close: async () => {
      await app.close();
      await runtime.close();
      await database.destroy();
      if (isServicesRun) await deleteRedisKeysWithPrefix(testRedisUrl, redisPrefix);
    },
  };
}

export async function login(
  app: FastifyInstance,
  credentials: { email: string; password: string },
  ip = '10.0.0.1',
) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: credentials,
    remoteAddress: ip,
  });
  if (response.statusCode !== 200) {
    throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<{ accessToken: string; refreshToken: string; tenant: { id: string } }>();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Another worker on the same database, Redis and key prefix as `t` (scaled mode): its queue
 * consumers take jobs alongside the test app's, as a second worker process would. Close it
 * before `t`.
 */
export async function startSecondWorker(t: TestApp): Promise<Runtime> {
  const logger = createLogger({ level: 'warn', destination: new CapturedLogs() });
  const runtime = await createRuntime(t.config, logger, { database: t.database });
  await runtime.queue.start();
  return runtime;
}
