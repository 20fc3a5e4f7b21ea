import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await createTestApp();
  token = (await login(t.app, testAdmin)).accessToken;
});
afterAll(async () => {
  await t.close();
});

type MessageView = { id: string; status: string; sentAt: string | null };

async function send(channelId: string, phone: string, purpose?: 'reply' | 'bulk') {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/messages',
    headers: bearer(token),
    payload: { channelId, to: { phone }, content: { type: 'text', text: 'Oi' }, purpose },
  });
  expect(response.statusCode).toBe(202);
  return response.json<MessageView>().id;
}

async function waitSent(ids: string[]): Promise<MessageView[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const views = await Promise.all(
      ids.map(async (id) =>
        (
          await t.app.inject({ url: `/api/v1/messages/${id}`, headers: bearer(token) })
        ).json<MessageView>(),
      ),
    );
    if (views.every((view) => view.status !== 'queued' && view.status !== 'sending')) return views;
    if (Date.now() > deadline) throw new Error(`not sent: ${JSON.stringify(views)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('pacing of bulk sends', () => {
  it("shows the default pacing of QR providers and validates a channel's own", async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(token),
      payload: {
        provider: 'sandbox',
        name: 'x',
        config: {},
        pacing: { minGapSeconds: 10, maxGapSeconds: 5, maxPerHour: 10, typing: false },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('maxGapSeconds');
  });

  it('spaces bulk sends by the random gap and lets a reply through at once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: bearer(token),
      payload: {
        provider: 'sandbox',
        name: 'Cobrança',
        config: { deliveredAfterMs: 0, readAfterMs: 0 },
        pacing: { minGapSeconds: 1, maxGapSeconds: 2, maxPerHour: 1000, typing: false },
      },
    });
    expect(created.statusCode).toBe(201);
    const channel = created.json<{ id: string; pacing: unknown }>();
    expect(channel.pacing).toEqual({
      minGapSeconds: 1,
      maxGapSeconds: 2,
      maxPerHour: 1000,
      typing: false,
    });
    const bulk: string[] = [];
    for (let i = 0; i < 5; i++) bulk.push(await send(channel.id, `+55119777700${10 + i}`, 'bulk'));
    const reply = await send(channel.id, '+5511977770099', 'reply');
    const [replyView] = await waitSent([reply]);
    const bulkViews = await waitSent(bulk);
    expect(bulkViews.map((view) => view.status)).toEqual(bulk.map(() => 'delivered'));
    const times = bulkViews.map((view) => Date.parse(view.sentAt ?? '')).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(950);
    }
    // The reply did not queue behind the broadcast.
    expect(Date.parse(replyView?.sentAt ?? '')).toBeLessThan(times.at(-1) ?? 0);
  }, 90_000);
});
