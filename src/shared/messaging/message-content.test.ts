import { describe, expect, it } from 'vitest';
import {
  canAdvanceStatus,
  type MessageStatus,
  messageContentSchema,
  summarizeContent,
} from './message-content.js';

describe('messageContentSchema', () => {
  it('accepts each kind and rejects what WhatsApp would refuse', () => {
    expect(messageContentSchema.parse({ type: 'text', text: 'Olá' })).toEqual({
      type: 'text',
      text: 'Olá',
    });
    expect(
      messageContentSchema.safeParse({
        type: 'buttons',
        body: 'Escolha',
        buttons: [
          { id: '1', title: 'Um' },
          { id: '2', title: 'Dois' },
          { id: '3', title: 'Três' },
          { id: '4', title: 'Quatro' },
        ],
      }).success,
    ).toBe(false);
    expect(
      messageContentSchema.safeParse({
        type: 'buttons',
        body: 'x',
        buttons: [{ id: '1', title: 'x'.repeat(21) }],
      }).success,
    ).toBe(false);
    expect(
      messageContentSchema.safeParse({ type: 'location', latitude: 91, longitude: 0 }).success,
    ).toBe(false);
    expect(messageContentSchema.safeParse({ type: 'text', text: '' }).success).toBe(false);
    expect(messageContentSchema.safeParse({ type: 'carousel' }).success).toBe(false);
  });

  it('summarizes content for previews', () => {
    expect(summarizeContent({ type: 'image', caption: 'nota fiscal' })).toBe('nota fiscal');
    expect(summarizeContent({ type: 'document' })).toBe('[document]');
    expect(
      summarizeContent({ type: 'interactive-reply', kind: 'button', id: 'yes', title: 'Sim' }),
    ).toBe('Sim');
  });
});

describe('canAdvanceStatus', () => {
  const table: Array<[MessageStatus, MessageStatus, boolean]> = [
    ['queued', 'sent', true],
    ['sent', 'delivered', true],
    ['delivered', 'read', true],
    ['queued', 'read', true],
    ['read', 'delivered', false],
    ['delivered', 'sent', false],
    ['sent', 'sent', false],
    ['sent', 'failed', true],
    ['queued', 'failed', true],
    ['delivered', 'failed', false],
    ['read', 'failed', false],
    ['failed', 'read', false],
    ['failed', 'failed', false],
  ];
  it.each(table)('%s → %s is %s', (current, next, expected) => {
    expect(canAdvanceStatus(current, next)).toBe(expected);
  });
});
