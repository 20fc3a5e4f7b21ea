import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import { RetryLaterError } from '../../platform/queue/queue.port.js';

/* Messages of one conversation leave in the order they were created. */

let t: TestApp;

async function rows(statement: ReturnType<typeof sql>) {
  return (
    (await t.database.db.execute(statement)) as unknown as { rows: Record<string, unknown>[] }
  ).rows;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('outbound order within a conversation', () => {
  it('holds a message back until the earlier ones of its conversation have left', async () => {
    const token = (await login(t.app, testAdmin)).accessToken;
    const channels = await t.app.inject({ url: '/api/v1/channels', headers: bearer(token) });
    const sandbox = channels
      .json<{ items: { id: string; provider: string }[] }>()
      .items.find((channel) => channel.provider === 'sandbox');
    if (!sandbox) throw new Error('no sandbox');
    const inbound = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sandbox/${sandbox.id}/inbound`,
      headers: bearer(token),
      payload: { from: '+5511933330001', text: 'Oi' },
    });
    expect(inbound.statusCode).toBe(202);
    await t.runtime.queue.whenIdle(10_000);
    const [conversation] = await rows(sql`
      select c.id, c.tenant_id, c.channel_id, c.contact_id from conversations c
      join contacts k on k.id = c.contact_id where k.phone = '+5511933330001'`);
    if (!conversation) throw new Error('no conversation');
    // Two queued replies written directly (no jobs), the first one a millisecond earlier.
    const inserted = await rows(sql`
      insert into messages (tenant_id, conversation_id, channel_id, contact_id, direction, content, status, due_at, created_at)
      values
        (${conversation.tenant_id}, ${conversation.id}, ${conversation.channel_id}, ${conversation.contact_id}, 'outbound', '{"type":"text","text":"primeira"}', 'queued', now() + interval '1 hour', now() - interval '1 millisecond'),
        (${conversation.tenant_id}, ${conversation.id}, ${conversation.channel_id}, ${conversation.contact_id}, 'outbound', '{"type":"text","text":"segunda"}', 'queued', now() + interval '1 hour', now())
      returning id`);
    const [first, second] = inserted.map((row) => String(row.id));
    if (!first || !second) throw new Error('insert failed');
    await t.database.db.execute(
      sql`update messages set due_at = now() where id in (${first}, ${second})`,
    );

    await expect(t.runtime.outbound.processSend(second)).rejects.toBeInstanceOf(RetryLaterError);
    expect(await rows(sql`select status from messages where id = ${second}`)).toEqual([
      { status: 'queued' },
    ]);
    await t.runtime.outbound.processSend(first);
    await t.database.db.execute(sql`update messages set due_at = now() where id = ${second}`);
    await t.runtime.outbound.processSend(second);
    expect(
      await rows(
        sql`select content->>'text' as text, status from messages where id in (${first}, ${second}) order by sent_at`,
      ),
    ).toEqual([
      { text: 'primeira', status: expect.stringMatching(/sent|delivered|read/) },
      { text: 'segunda', status: expect.stringMatching(/sent|delivered|read/) },
    ]);
  });
});
