import { type DatabaseHandle, openDatabase } from '../../db/database.js';
import { createLogger, type Logger } from '../../observability/logger.js';
import { claimDueRow, findDueRowIds, finishClaimedRow } from '../due-rows-sql.js';
import { createDueRowsSweeper } from '../due-rows-sweeper.js';
import { createInProcessQueue } from '../in-process-queue.js';
import type { Queue } from '../queue.port.js';
import {
  countDoneItems,
  type DurabilityParentMessage,
  type DurabilityWorkerArgs,
  type DurabilityWorkerMessage,
  durabilityItemsTable,
  durabilityJobName,
  insertDurabilityEffect,
} from './durability-fixture.js';

/**
 * The child process of queue.durability.test.ts: a worker role in miniature. It opens the
 * database, runs the sweeper and processes `queue-test.apply-effect` jobs with the idempotent
 * claim → effect + finish pattern, until the parent tells it to stop or kills it.
 *
 *   node --import tsx src/platform/queue/testing/durability-worker.ts '<DurabilityWorkerArgs JSON>'
 */

const progressIntervalMs = 100;

async function runDurabilityWorker(args: DurabilityWorkerArgs): Promise<void> {
  const logger = createLogger({
    level: 'warn',
    destination: process.stderr,
    base: { role: 'durability-worker', pid: process.pid },
  });
  const handle = await openDatabase(
    args.database.kind === 'pglite'
      ? { kind: 'pglite', dataDir: args.database.dataDir }
      : { kind: 'postgres', url: args.database.url, poolMax: args.concurrency + 2 },
  );
  const queue = await createQueue(args, logger);
  let effects = 0;

  queue.process<{ itemId: number }>(
    durabilityJobName,
    async ({ itemId }, context) => {
      const claim = await claimDueRow(handle.db, durabilityItemsTable, itemId, args.leaseMs);
      if (!claim) return; // finished already, or another worker holds a live claim
      if (
        args.hangAfterEffects !== undefined &&
        effects >= args.hangAfterEffects &&
        itemId % 7 === 0
      ) {
        sendToParent({ type: 'hung', itemId });
        await waitForAbort(context.signal);
        throw new Error('hung job aborted');
      }
      await sleep(args.workMs);
      const applied = await handle.db.transaction(async (tx) => {
        if (!(await finishClaimedRow(tx, durabilityItemsTable, claim))) return false;
        await insertDurabilityEffect(tx, {
          itemId,
          pid: process.pid,
          jobId: context.id,
          attempt: context.attempt,
        });
        return true;
      });
      if (applied) {
        effects += 1;
        sendToParent({ type: 'effect', itemId });
      }
    },
    { concurrency: args.concurrency, attempts: 10, backoffMs: 50, maxBackoffMs: 1_000 },
  );

  const sweeper = createDueRowsSweeper({
    name: 'queue-test',
    intervalMs: args.sweepIntervalMs,
    queue,
    logger,
    findDue: async (limit) =>
      (await findDueRowIds(handle.db, durabilityItemsTable, limit)).map((id) => ({
        jobName: durabilityJobName,
        id,
        payload: { itemId: Number(id) },
      })),
  });

  await queue.start();
  sweeper.start();
  const progressTimer = setInterval(() => {
    countDoneItems(handle.db).then(
      (done) => sendToParent({ type: 'progress', done }),
      (error: unknown) => logger.error({ err: error }, 'progress query failed'),
    );
  }, progressIntervalMs);
  sendToParent({ type: 'ready', pid: process.pid });

  process.on('message', (message: DurabilityParentMessage) => {
    if (message.type !== 'stop') return;
    clearInterval(progressTimer);
    void stopWorker(sweeper, queue, handle).then(
      () => sendToParent({ type: 'stopped' }, () => process.exit(0)),
      (error: unknown) => {
        logger.error({ err: error }, 'graceful stop failed');
        process.exit(1);
      },
    );
  });
  // The parent died: do not linger as an orphan.
  process.on('disconnect', () => process.exit(1));
}

async function createQueue(args: DurabilityWorkerArgs, logger: Logger): Promise<Queue> {
  if (args.driver === 'in-process') return createInProcessQueue({ logger });
  if (!args.redisUrl) throw new Error('redisUrl is required for the bullmq driver');
  const { createBullmqQueue } = await import('../bullmq-queue.js');
  return createBullmqQueue({
    redisUrl: args.redisUrl,
    logger,
    prefix: args.redisPrefix,
    lockDurationMs: args.lockDurationMs,
    stalledIntervalMs: args.stalledIntervalMs,
  });
}

async function stopWorker(
  sweeper: { stop(): Promise<void> },
  queue: Queue,
  handle: DatabaseHandle,
): Promise<void> {
  await sweeper.stop();
  await queue.close(5_000);
  await handle.close();
}

function sendToParent(message: DurabilityWorkerMessage, callback?: () => void): void {
  if (!process.send) throw new Error('durability-worker must be started with an IPC channel');
  process.send(message, undefined, {}, (error) => {
    // A failed send means the parent is gone; the 'disconnect' handler exits.
    if (!error) callback?.();
  });
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const rawArgs = process.argv[2];
if (!rawArgs) throw new Error('usage: durability-worker.ts <DurabilityWorkerArgs JSON>');
await runDurabilityWorker(JSON.parse(rawArgs) as DurabilityWorkerArgs);
