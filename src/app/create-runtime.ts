import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.schema.js';
import { type AccountsService, createAccountsService } from '../modules/accounts/index.js';
import {
  type ChannelsService,
  type ConversationsService,
  createChannelsService,
  createConversationsService,
  createInboundService,
  createOutboundService,
  findDueDeliveries,
  findDueSends,
  type InboundService,
  type OutboundService,
  processWebhookJob,
  sendMessageJob,
} from '../modules/messaging/index.js';
import { registerSystemJobs } from '../modules/system/index.js';
import { type AccessTokens, createAccessTokens } from '../platform/auth/access-tokens.js';
import { createSecretBox, type SecretBox } from '../platform/crypto/secret-box.js';
import { generateToken } from '../platform/crypto/tokens.js';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.js';
import type { EventBus } from '../platform/events/event-bus.port.js';
import { createInProcessEventBus } from '../platform/events/in-process-event-bus.js';
import { createRedisEventBus } from '../platform/events/redis-event-bus.js';
import type { Logger } from '../platform/observability/logger.js';
import { createMetrics, type Metrics } from '../platform/observability/metrics.js';
import { createBullmqQueue } from '../platform/queue/bullmq-queue.js';
import { createDueRowsSweeper, type DueRowsSweeper } from '../platform/queue/due-rows-sweeper.js';
import { createInProcessQueue } from '../platform/queue/in-process-queue.js';
import type { Queue } from '../platform/queue/queue.port.js';
import { registerQueueMetrics } from '../platform/queue/queue-metrics.js';
import { createInProcessTokenBucket } from '../platform/rate-limit/in-process-token-bucket.js';
import { createRedisTokenBucket } from '../platform/rate-limit/redis-token-bucket.js';
import { getOrCreateSetting } from '../platform/settings/settings.repository.js';
import { buildApp } from './build-app.js';
import { loadEncryptionKey } from './encryption-key.js';

/** Everything a running Recado process holds. Built by `createRuntime`, the composition root. */
export type Runtime = {
  config: Config;
  /** Seals channel secrets at rest. */
  secretBox: SecretBox;
  logger: Logger;
  database: DatabaseHandle;
  queue: Queue;
  events: EventBus;
  metrics: Metrics;
  redis: Redis | undefined;
  accessTokens: AccessTokens;
  accounts: AccountsService;
  channels: ChannelsService;
  inbound: InboundService;
  outbound: OutboundService;
  conversations: ConversationsService;
  /** Re-enqueue work a crash left in tables; started in worker roles. */
  sweepers: DueRowsSweeper[];
  version: string;
  close(): Promise<void>;
};

const packageRoot = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '..' : '../..', import.meta.url),
);

export function readVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export const defaultWebDistDir = path.join(packageRoot, 'web', 'dist');

/**
 * The composition root: the only place that picks concrete drivers. PGlite or PostgreSQL,
 * in-process or BullMQ jobs, in-process or Redis events — chosen by DATABASE_URL and REDIS_URL.
 */
export async function createRuntime(
  config: Config,
  logger: Logger,
  provided: { database?: DatabaseHandle } = {},
): Promise<Runtime> {
  const opened: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of opened.reverse()) {
      await close().catch((error: unknown) => logger.warn({ err: error }, 'error while closing'));
    }
  };
  try {
    // First, so a missing key in scaled mode stops the process before it touches anything.
    const secretBox = createSecretBox(await loadEncryptionKey(config));
    const database =
      provided.database ??
      (config.DATABASE_URL
        ? await openDatabase({
            kind: 'postgres',
            url: config.DATABASE_URL,
            poolMax: config.DATABASE_POOL_MAX,
            applicationName: `recado-${config.RECADO_ROLE}`,
          })
        : await openDatabase({ kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pglite') }));
    if (!provided.database) opened.push(() => database.close());
    if (config.DATABASE_MIGRATE_ON_START) {
      await database.migrate();
      logger.info({ database: database.kind }, 'database migrations applied');
    }

    let redis: Redis | undefined;
    if (config.REDIS_URL) {
      const client = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
      client.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
      await client.connect();
      redis = client;
      opened.push(async () => {
        await client.quit();
      });
    }

    const queue = config.REDIS_URL
      ? createBullmqQueue({ redisUrl: config.REDIS_URL, logger, prefix: config.REDIS_KEY_PREFIX })
      : createInProcessQueue({ logger });
    opened.push(() => queue.close(config.SHUTDOWN_TIMEOUT_MS));

    const events = config.REDIS_URL
      ? await createRedisEventBus({
          redisUrl: config.REDIS_URL,
          logger,
          channelName: `${config.REDIS_KEY_PREFIX}:events`,
        })
      : createInProcessEventBus(logger);
    opened.push(() => events.close());

    const jwtSecret =
      config.JWT_SECRET ??
      (await getOrCreateSetting(database.db, 'jwt_secret', () => generateToken(48)));
    const accessTokens = createAccessTokens(jwtSecret, config.ACCESS_TOKEN_TTL_SECONDS);
    const accounts = createAccountsService({
      db: database.db,
      logger,
      events,
      accessTokens,
      settings: {
        refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
        loginMaxFailures: config.LOGIN_MAX_FAILURES,
        loginMaxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
        loginLockMinutes: config.LOGIN_LOCK_MINUTES,
      },
    });

    registerSystemJobs({ queue, events, role: config.RECADO_ROLE });
    const metrics = createMetrics();
    registerQueueMetrics(metrics.registry, queue);

    const channels = createChannelsService({ db: database.db, secretBox, logger });
    const inbound = createInboundService({ db: database.db, queue, events, channels, logger });
    queue.process<{ deliveryId: string }>(
      processWebhookJob,
      (job) => inbound.processDelivery(job.deliveryId),
      { concurrency: 8, attempts: 8 },
    );
    const limiter = redis
      ? createRedisTokenBucket({ redis, prefix: config.REDIS_KEY_PREFIX })
      : createInProcessTokenBucket();
    const outbound = createOutboundService({
      db: database.db,
      queue,
      events,
      limiter,
      channels,
      inbound,
      logger,
    });
    queue.process<{ messageId: string }>(
      sendMessageJob,
      (job, context) => outbound.processSend(job.messageId, context.signal),
      // The message row counts provider attempts; the job may retry for limiter waits too.
      { concurrency: 16, attempts: 25 },
    );
    const sweepers = [
      createDueRowsSweeper({
        name: 'outbound-messages',
        intervalMs: 15_000,
        queue,
        logger,
        findDue: (limit) => findDueSends(database.db, limit),
      }),
      createDueRowsSweeper({
        name: 'webhook-deliveries',
        intervalMs: 15_000,
        queue,
        logger,
        findDue: (limit) => findDueDeliveries(database.db, limit),
      }),
    ];
    opened.push(async () => {
      await Promise.all(sweepers.map((sweeper) => sweeper.stop()));
    });

    return {
      config,
      secretBox,
      channels,
      inbound,
      outbound,
      conversations: createConversationsService({ db: database.db }),
      sweepers,
      logger,
      database,
      queue,
      events,
      metrics,
      redis,
      accessTokens,
      accounts,
      version: readVersion(),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

export function buildRuntimeApp(
  runtime: Runtime,
  options: { webDistDir?: string | undefined; surface?: 'full' | 'health' } = {},
): Promise<FastifyInstance> {
  return buildApp({ ...runtime, ...options });
}
