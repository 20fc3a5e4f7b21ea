import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebhookSource } from './webhook-bodies.js';

describe('createWebhookSource', () => {
  it('hands out distinct message ids with valid signatures, beyond the pregenerated ones too', () => {
    const source = createWebhookSource({
      appSecret: 'app-secret',
      idPrefix: 'run1',
      senders: 3,
      pregenerate: 5,
      timestampSeconds: 1_700_000_000,
    });
    const ids = new Set<string>();
    const senders = new Set<string>();
    for (let index = 0; index < 8; index += 1) {
      const { body, signature } = source.next();
      const expected = createHmac('sha256', 'app-secret').update(body).digest('hex');
      expect(signature).toBe(`sha256=${expected}`);
      const message = JSON.parse(body).entry[0].changes[0].value.messages[0];
      ids.add(message.id);
      senders.add(message.from);
      expect(message.timestamp).toBe('1700000000');
    }
    expect(ids.size).toBe(8);
    expect([...senders].sort()).toEqual(['5511900000000', '5511900000001', '5511900000002']);
    expect(source.used).toBe(8);
    expect(source.generatedLate).toBe(3);
  });

  it('keeps ids apart between sources with different prefixes', () => {
    const options = { appSecret: 's', senders: 1, pregenerate: 1, timestampSeconds: 1 };
    const a = createWebhookSource({ ...options, idPrefix: 'a' }).next().body;
    const b = createWebhookSource({ ...options, idPrefix: 'b' }).next().body;
    expect(a).not.toBe(b);
  });
});
