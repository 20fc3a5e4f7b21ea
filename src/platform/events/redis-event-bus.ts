import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import type { DomainEvent, EventBus, EventHandler } from './event-bus.port.js';
import { deliver } from './in-process-event-bus.js';

/**
 * Fans events out to every process over Redis pub/sub (scaled mode): an event published by one
 * API process reaches WebSocket clients connected to any other. Delivery is at-most-once.
 */
export async function createRedisEventBus(options: {
  redisUrl: string;
  logger: Logger;
  /** Pub/sub channel, e.g. `recado:events` (from REDIS_KEY_PREFIX). */
  channelName: string;
}): Promise<EventBus> {
  const { logger } = options;
  const name = options.channelName;
  const publisher = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
  for (const client of [publisher, subscriber]) {
    client.on('error', (error) => logger.warn({ err: error }, 'event bus redis connection error'));
  }
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const handlers = new Set<EventHandler>();
  subscriber.on('message', (_channel: string, message: string) => {
    let event: DomainEvent;
    try {
      event = JSON.parse(message) as DomainEvent;
    } catch {
      logger.warn('dropped a malformed event from redis');
      return;
    }
    deliver(handlers, event, logger);
  });
  await subscriber.subscribe(name);
  return {
    driver: 'redis',
    async publish(input) {
      const event: DomainEvent = {
        ...input,
        id: randomUUID(),
        occurredAt: new Date().toISOString(),
      };
      await publisher.publish(name, JSON.stringify(event));
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
