/**
 * Domain events fanned out to every process (ARCHITECTURE.md §1): in-process in embedded mode,
 * Redis pub/sub in scaled mode. Events are notifications, not durable state: a subscriber that
 * was down misses them and must reload from tables.
 */
export type DomainEvent<TPayload = unknown> = {
  id: string;
  /** Stable dotted id, e.g. `message.received`, `channel.disconnected`. */
  type: string;
  /** The tenant the event belongs to; `null` for platform events (super admins only). */
  tenantId: string | null;
  occurredAt: string;
  payload: TPayload;
};

export type EventHandler = (event: DomainEvent) => void;

export interface EventBus {
  readonly driver: 'in-process' | 'redis';
  publish<TPayload>(event: Omit<DomainEvent<TPayload>, 'id' | 'occurredAt'>): Promise<void>;
  /** Returns an unsubscribe function. Handlers must not throw; errors are logged. */
  subscribe(handler: EventHandler): () => void;
  close(): Promise<void>;
}
