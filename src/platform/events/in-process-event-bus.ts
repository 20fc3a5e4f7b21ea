import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import type { DomainEvent, EventBus, EventHandler } from './event-bus.port.js';

/** Fans events out to this process's subscribers (embedded mode). */
export function createInProcessEventBus(logger: Logger): EventBus {
  const handlers = new Set<EventHandler>();
  return {
    driver: 'in-process',
    async publish(input) {
      deliver(
        handlers,
        { ...input, id: randomUUID(), occurredAt: new Date().toISOString() },
        logger,
      );
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}

export function deliver(handlers: Iterable<EventHandler>, event: DomainEvent, logger: Logger) {
  for (const handler of handlers) {
    try {
      handler(event);
    } catch (error) {
      logger.error({ err: error, eventType: event.type }, 'event handler failed');
    }
  }
}
