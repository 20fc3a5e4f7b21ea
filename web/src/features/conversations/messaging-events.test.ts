import { describe, expect, it } from 'vitest';
import { concernsThread, parseMessagingEvent } from './messaging-events';

describe('parseMessagingEvent', () => {
  it('reads the ids of the four message events', () => {
    expect(
      parseMessagingEvent({
        type: 'message.received',
        payload: {
          messageId: 'm1',
          conversationId: 'c1',
          contactId: 'k1',
          channelId: 'ch1',
          contentType: 'text',
          preview: 'Olá',
        },
      }),
    ).toEqual({
      type: 'message.received',
      messageId: 'm1',
      conversationId: 'c1',
      channelId: 'ch1',
    });
    expect(
      parseMessagingEvent({ type: 'message.status', payload: { messageId: 'm2', status: 'read' } }),
    ).toEqual({
      type: 'message.status',
      messageId: 'm2',
      conversationId: undefined,
      channelId: undefined,
    });
  });

  it('ignores other frames and payloads without a message id', () => {
    expect(parseMessagingEvent({ type: 'ready' })).toBeUndefined();
    expect(parseMessagingEvent({ type: 'channel.disconnected', payload: {} })).toBeUndefined();
    expect(parseMessagingEvent({ type: 'message.media', payload: 'm1' })).toBeUndefined();
    expect(parseMessagingEvent({ type: 'message.created', payload: { messageId: 7 } })).toBe(
      undefined,
    );
  });
});

describe('concernsThread', () => {
  const event = (conversationId?: string, channelId?: string) => ({
    type: 'message.created' as const,
    messageId: 'm',
    conversationId,
    channelId,
  });

  it('matches by conversation when both sides know it', () => {
    expect(concernsThread(event('c1', 'ch1'), { conversationId: 'c1' })).toBe(true);
    expect(concernsThread(event('c2', 'ch1'), { conversationId: 'c1', channelId: 'ch1' })).toBe(
      false,
    );
  });

  it('falls back to the channel for a thread that has no conversation yet', () => {
    expect(concernsThread(event('c9', 'ch1'), { conversationId: null, channelId: 'ch1' })).toBe(
      true,
    );
    expect(concernsThread(event('c9', 'ch2'), { conversationId: null, channelId: 'ch1' })).toBe(
      false,
    );
  });

  it('treats an event that does not say where it belongs as relevant', () => {
    expect(concernsThread(event(), { conversationId: 'c1', channelId: 'ch1' })).toBe(true);
  });
});
