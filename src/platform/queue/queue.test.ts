import { isServicesRun, testRedisUrl } from '../../../test/helpers/test-env.js';
import { createSilentLogger } from '../observability/logger.js';
import { createInProcessQueue } from './in-process-queue.js';
import { describeQueueConformance } from './queue.conformance.js';

describeQueueConformance('in-process', async () => ({
  queue: createInProcessQueue({ logger: createSilentLogger() }),
}));

// BullMQ and Redis are loaded only in the services run: `npm test` needs no Redis.
if (isServicesRun) {
  describeQueueConformance('bullmq', async () => {
    const { createBullmqQueue } = await import('./bullmq-queue.js');
    const { createTestQueuePrefix, deleteRedisKeysWithPrefix } = await import(
      '../../../test/helpers/redis-keys.js'
    );
    const prefix = createTestQueuePrefix();
    return {
      queue: createBullmqQueue({ redisUrl: testRedisUrl, logger: createSilentLogger(), prefix }),
      cleanup: () => deleteRedisKeysWithPrefix(testRedisUrl, prefix),
    };
  });
}
