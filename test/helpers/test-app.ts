import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/build-app.js';
import type { Config } from '../../src/config/config.schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createAccountsService } from '../../src/modules/accounts/index.js';
import { createAccessTokens } from '../../src/platform/auth/access-tokens.js';
import type { EventBus } from '../../src/platform/events/event-bus.port.js';
import { createInProcessEventBus } from '../../src/platform/events/in-process-event-bus.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { createMetrics } from '../../src/platform/observability/metrics.js';
import { createInProcessQueue } from '../../src/platform/queue/in-process-queue.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const testAdmin = { email: 'root@example.com', password: 'correct horse battery' };

/** Log lines written during a test, parsed. */
export class CapturedLogs extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text() {
    return this.lines.join('\n');
  }
}

export type TestApp = {
  app: FastifyInstance;
  database: TestDatabase;
  events: EventBus;
  logs: CapturedLogs;
  config: Config;
  close(): Promise<void>;
};

/**
 * The real app (buildApp) on a fresh migrated database with in-process drivers, a bootstrapped
 * super admin (`testAdmin`) and captured logs.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: 'info', WEB_ENABLED: 'false', ...env });
  const logs = new CapturedLogs();
  const logger = createLogger({ level: config.LOG_LEVEL, destination: logs });
  const database = await createTestDatabase();
  const queue = createInProcessQueue({ logger });
  const events = createInProcessEventBus(logger);
  const accessTokens = createAccessTokens(
    'test-secret-that-is-long-enough-0123456789',
    config.ACCESS_TOKEN_TTL_SECONDS,
  );
  const accounts = createAccountsService({
    db: database.db,
    logger,
    accessTokens,
    settings: {
      refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
      loginMaxFailures: config.LOGIN_MAX_FAILURES,
      loginMaxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      loginLockMinutes: config.LOGIN_LOCK_MINUTES,
    },
  });
  await accounts.ensureBootstrap({
    adminEmail: testAdmin.email,
    adminPassword: testAdmin.password,
  });
  const app = await buildApp({
    config,
    logger,
    database,
    queue,
    events,
    metrics: createMetrics({ defaultMetrics: false }),
    accessTokens,
    accounts,
    version: '0.0.0-test',
  });
  await app.ready();
  return {
    app,
    database,
    events,
    logs,
    config,
    close: async () => {
      await app.close();
      await queue.close(1000);
      await database.destroy();
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
  if (response.statusCode !== 200)
    throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json<{ accessToken: string; refreshToken: string; tenant: { id: string } }>();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
