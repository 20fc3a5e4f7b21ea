import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** A Redis key prefix no other test uses, so tests can run in parallel on one Redis. */
export function createTestQueuePrefix(): string {
  return `recado-test-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under `prefix:` (BullMQ queues, jobs, de-dupe keys, events). */
export async function deleteRedisKeysWithPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
