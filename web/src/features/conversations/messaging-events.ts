import type { RealtimeEvent } from '../../api/api-types';

/**
 * The realtime events about messages, as the pages need them: which message, and where it
 * lives, so a page refetches only the thread or list it shows.
 */
export type MessagingEventType =
  | 'message.received'
  | 'message.created'
  | 'message.status'
  | 'message.media';

export type MessagingEvent = {
  type: MessagingEventType;
  messageId: string;
  conversationId: string | undefined;
  channelId: string | undefined;
};

const messagingEventTypes: readonly string[] = [
  'message.received',
  'message.created',
  'message.status',
  'message.media',
] satisfies MessagingEventType[];

function isMessagingEventType(type: string): type is MessagingEventType {
  return messagingEventTypes.includes(type);
}

function stringField(payload: Record<string, unknown>, key: string): string | undefined {
  const value = payload[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The event, when it is about a message; undefined for any other frame. */
export function parseMessagingEvent(event: RealtimeEvent): MessagingEvent | undefined {
  if (!isMessagingEventType(event.type)) return undefined;
  if (!event.payload || typeof event.payload !== 'object') return undefined;
  const payload = event.payload as Record<string, unknown>;
  const messageId = stringField(payload, 'messageId');
  if (!messageId) return undefined;
  return {
    type: event.type,
    messageId,
    conversationId: stringField(payload, 'conversationId'),
    channelId: stringField(payload, 'channelId'),
  };
}

/**
 * Whether an event may change the thread of `conversationId` on `channelId`. Events that do
 * not say where they belong (older servers) count as relevant: a refetch too many is harmless.
 */
export function concernsThread(
  event: MessagingEvent,
  thread: { conversationId?: string | null | undefined; channelId?: string | undefined },
): boolean {
  if (event.conversationId && thread.conversationId) {
    return event.conversationId === thread.conversationId;
  }
  if (event.channelId && thread.channelId) return event.channelId === thread.channelId;
  return true;
}
