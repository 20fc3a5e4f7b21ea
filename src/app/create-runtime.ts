import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.schema.js';
import { resolvePublicUrl } from '../config/load-config.js';
import { type AccountsService, createAccountsService } from '../modules/accounts/index.js';
import {
  createConsultationRunner,
  createExpensesService,
  createTripReportsGenerator,
  type ExpensesService,
  fetchConsultationJob,
  findDueConsultations,
  registerExpensesActions,
} from '../modules/expenses/index.js';
import {
  type ActionRegistry,
  commandsOf,
  createActionRegistry,
  createFlowDefinitionsService,
  createFlowRuntime,
  type FlowDefinitionsService,
  type FlowRuntime,
  findDueLanes,
  findDueOutbox,
  findTriggerFlow,
  flowEffectJob,
  flowTurnJob,
} from '../modules/flows/index.js';
import {
  type ChannelsService,
  type ContactsService,
  type ConversationsService,
  checkSessionsJob,
  createChannelsService,
  createContactsService,
  createConversationsService,
  createInboundService,
  createMediaService,
  createOutboundService,
  createSandboxService,
  createSessionMetrics,
  createSessionsService,
  createTemplatesService,
  fetchMediaJob,
  findDueDeliveries,
  findDueMediaFetches,
  findDueSends,
  type InboundRouter,
  type InboundService,
  type MediaService,
  type OutboundService,
  processWebhookJob,
  type SandboxService,
  type SessionsService,
  sendMessageJob,
  type TemplatesService,
} from '../modules/messaging/index.js';
import { registerSystemJobs } from '../modules/system/index.js';
import { type AccessTokens, createAccessTokens } from '../platform/auth/access-tokens.js';
import type { Principal } from '../platform/auth/principal.js';
import { createSecretBox, type SecretBox } from '../platform/crypto/secret-box.js';
import { generateToken } from '../platform/crypto/tokens.js';
import { type DatabaseHandle, openDatabase } from '../platform/db/database.js';
import type { EventBus } from '../platform/events/event-bus.port.js';
import { createInProcessEventBus } from '../platform/events/in-process-event-bus.js';
import { createRedisEventBus } from '../platform/events/redis-event-bus.js';
import { createHttpClient } from '../platform/http-client/http-client.js';
import type { Logger } from '../platform/observability/logger.js';
import { createMetrics, type Metrics } from '../platform/observability/metrics.js';
import { createBullmqQueue } from '../platform/queue/bullmq-queue.js';
import { createDueRowsSweeper } from '../platform/queue/due-rows-sweeper.js';
import { createInProcessQueue } from '../platform/queue/in-process-queue.js';
import { createPeriodicJob, type PeriodicJob } from '../platform/queue/periodic-job.js';
import type { Queue } from '../platform/queue/queue.port.js';
import { registerQueueMetrics } from '../platform/queue/queue-metrics.js';
import { createInProcessTokenBucket } from '../platform/rate-limit/in-process-token-bucket.js';
import { createRedisTokenBucket } from '../platform/rate-limit/redis-token-bucket.js';
import { getOrCreateSetting } from '../platform/settings/settings.repository.js';
import { createStorage } from '../platform/storage/create-storage.js';
import type { StorageDriver } from '../platform/storage/storage.port.js';
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
  /** Stored media: uploads, inbound downloads, outbound uploads to providers. */
  media: MediaService;
  /** Where media bytes live (DATA_DIR/media or S3). */
  storage: StorageDriver;
  sandbox: SandboxService;
  sessions: SessionsService;
  conversations: ConversationsService;
  /** Each channel's template library and Meta template sync. */
  templates: TemplatesService;
  contacts: ContactsService;
  /** Runs bots: routes inbound messages to flow sessions, turns in order, effects once. */
  flowRuntime: FlowRuntime;
  /** Domain actions modules offer to flows (`action.call`). */
  flowActions: ActionRegistry;
  /** Flow definitions and versions, channel triggers and commands, the sessions view. */
  flowDefinitions: FlowDefinitionsService;
  /** The travel-expense bot: travellers, trips, receipts, the NFC-e consultation job. */
  expenses: ExpensesService;
  /** Re-enqueue work a crash left in tables; started in worker roles. */
  sweepers: PeriodicJob[];
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

/** The demo bot a first boot binds to the sandbox channel (shipped in the package and image). */
export const demoFlowPath = path.join(packageRoot, 'flows', 'demo.json');

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
    // One keep-alive pool for every call to a provider (sends, media, template sync); closed
    // last, after the queue has drained the jobs that use it.
    const providerHttp = createHttpClient();
    opened.push(() => providerHttp.close());
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

    const channels = createChannelsService({
      db: database.db,
      secretBox,
      logger,
      publicUrl: resolvePublicUrl(config),
    });
    const storage = createStorage(config);
    const media = createMediaService({
      db: database.db,
      queue,
      events,
      storage,
      channels,
      logger,
      http: providerHttp,
      maxBytes: config.MEDIA_MAX_BYTES,
      links: {
        publicUrl: resolvePublicUrl(config),
        // Signs media links for providers that fetch by URL, with the secret all processes share.
        signingKey: createHmac('sha256', jwtSecret).update('recado:media-links').digest(),
      },
    });
    queue.process<{ mediaId: string }>(
      fetchMediaJob,
      (job, context) => media.processFetch(job.mediaId, context.signal),
      // The media row counts provider attempts; the job may retry more (lost leases, storage).
      { concurrency: 4, attempts: 25 },
    );
    const sessions = createSessionsService({
      db: database.db,
      channels,
      events,
      logger,
      http: providerHttp,
      metrics: createSessionMetrics(metrics.registry, database.db),
    });
    queue.process(checkSessionsJob, () => sessions.checkAll().then(() => undefined), {
      concurrency: 1,
      attempts: 1,
    });
    // Filled once the flow runtime exists (it needs outbound, which needs inbound).
    const inboundRouters: InboundRouter[] = [];
    const inbound = createInboundService({
      db: database.db,
      queue,
      events,
      channels,
      sessions,
      media,
      logger,
      routers: inboundRouters,
    });
    queue.process<{ deliveryId: string }>(
      processWebhookJob,
      (job) => inbound.processDelivery(job.deliveryId),
      { concurrency: 8, attempts: 8 },
    );
    const limiter = redis
      ? createRedisTokenBucket({ redis, prefix: config.REDIS_KEY_PREFIX })
      : createInProcessTokenBucket();
    const templates = createTemplatesService({
      db: database.db,
      channels,
      logger,
      http: providerHttp,
    });
    const outbound = createOutboundService({
      db: database.db,
      queue,
      events,
      limiter,
      channels,
      inbound,
      media,
      templates,
      logger,
      http: providerHttp,
    });
    queue.process<{ messageId: string }>(
      sendMessageJob,
      (job, context) => outbound.processSend(job.messageId, context.signal),
      // The message row counts provider attempts; the job may retry for limiter waits too.
      { concurrency: 16, attempts: 25 },
    );
    const contacts = createContactsService({ db: database.db, events });
    const flowActions = createActionRegistry();
    const flowRuntime = createFlowRuntime({
      db: database.db,
      queue,
      events,
      logger,
      outbound,
      media,
      contacts,
      channels,
      actions: flowActions,
      triggers: {
        findTriggerFlow: (channelId, text) => findTriggerFlow(database.db, channelId, text ?? ''),
        findDefaultFlow: (channelId) => findTriggerFlow(database.db, channelId, ''),
        commandsOf: (channelId) => commandsOf(database.db, channelId),
      },
    });
    inboundRouters.push(flowRuntime.route);
    queue.process<{ conversationId: string }>(
      flowTurnJob,
      (job) => flowRuntime.processLane(job.conversationId),
      { concurrency: 8, attempts: 25 },
    );
    queue.process<{ id: string }>(flowEffectJob, (job) => flowRuntime.applyOutbox(job.id), {
      concurrency: 8,
      attempts: 25,
    });
    const consultation = createConsultationRunner({
      db: database.db,
      queue,
      logger,
      outbound,
      http: providerHttp,
      settings: { override: config.NFCE_PORTAL_OVERRIDE },
    });
    queue.process<{ receiptId: string }>(
      fetchConsultationJob,
      (job, context) => consultation.processConsultation(job.receiptId, context.signal),
      // The receipt row keeps its own backoff and gives up after a day; the sweeper re-enqueues.
      { concurrency: 4, attempts: 30 },
    );
    const expenses = createExpensesService({
      db: database.db,
      logger,
      media,
      contacts,
      consultation,
      reports: createTripReportsGenerator({ db: database.db, media, logger }),
    });
    registerExpensesActions(flowActions, expenses);
    const sweepers: PeriodicJob[] = [
      createPeriodicJob({ jobName: checkSessionsJob, intervalMs: 30_000, queue, logger }),
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
      createDueRowsSweeper({
        name: 'flow-lanes',
        intervalMs: 15_000,
        queue,
        logger,
        findDue: (limit) => findDueLanes(database.db, limit),
      }),
      createDueRowsSweeper({
        name: 'flow-outbox',
        intervalMs: 15_000,
        queue,
        logger,
        findDue: (limit) => findDueOutbox(database.db, limit),
      }),
      createDueRowsSweeper({
        name: 'media-fetches',
        intervalMs: 15_000,
        queue,
        logger,
        findDue: (limit) => findDueMediaFetches(database.db, limit),
      }),
      createDueRowsSweeper({
        name: 'expenses-consultations',
        intervalMs: 60_000,
        queue,
        logger,
        findDue: (limit) => findDueConsultations(database.db, limit),
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
      media,
      storage,
      conversations: createConversationsService({ db: database.db }),
      sessions,
      templates,
      contacts,
      flowRuntime,
      flowActions,
      expenses,
      flowDefinitions: createFlowDefinitionsService({
        db: database.db,
        channels,
        logger,
        actions: flowActions.catalog(),
      }),
      sandbox: createSandboxService({ db: database.db, channels, inbound }),
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

/**
 * First boot: the default tenant, the super admin and a sandbox channel to try bots on at once,
 * answered by the demo flow (`demoFlow: false` leaves the sandbox without a bot, for tests of
 * the sandbox itself). A no-op once the platform has a tenant. Returns the generated admin
 * password, if any, for the caller to print once.
 */
export async function bootstrapPlatform(
  runtime: Pick<Runtime, 'accounts' | 'channels' | 'flowDefinitions' | 'logger'>,
  input: { adminEmail: string; adminPassword: string | undefined },
  options: { demoFlow?: boolean } = {},
) {
  const bootstrap = await runtime.accounts.ensureBootstrap(input);
  if (bootstrap.created) {
    const sandbox = await runtime.channels.createFirstBootSandbox(bootstrap.tenantId);
    if (options.demoFlow ?? true) await installDemoFlow(runtime, bootstrap.tenantId, sandbox.id);
  }
  return bootstrap;
}

/**
 * flows/demo.json, published and bound as the sandbox's default flow, so "oi" on the sandbox
 * phone gets an answer on a fresh install. Missing or broken, it is logged and skipped: a demo
 * never stops a first boot.
 */
async function installDemoFlow(
  runtime: Pick<Runtime, 'flowDefinitions' | 'logger'>,
  tenantId: string,
  channelId: string,
) {
  const system: Principal = {
    userId: '00000000-0000-0000-0000-000000000000',
    tenantId,
    role: 'admin',
    isSuperAdmin: false,
  };
  try {
    const document = JSON.parse(await readFile(demoFlowPath, 'utf8')) as Record<string, unknown>;
    const flow = await runtime.flowDefinitions.createFlow(system, document);
    await runtime.flowDefinitions.publishFlow(system, flow.id);
    await runtime.flowDefinitions.addTrigger(system, channelId, {
      kind: 'default',
      flowId: flow.id,
    });
    runtime.logger.info({ tenantId, channelId, flowId: flow.id }, 'demo flow bound to the sandbox');
  } catch (error) {
    runtime.logger.warn(
      { err: error, path: demoFlowPath },
      'the demo flow could not be installed; the sandbox has no bot until one is bound',
    );
  }
}

export function buildRuntimeApp(
  runtime: Runtime,
  options: { webDistDir?: string | undefined; surface?: 'full' | 'health' } = {},
): Promise<FastifyInstance> {
  return buildApp({ ...runtime, ...options });
}
