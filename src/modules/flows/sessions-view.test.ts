import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../engine/index.js';
import { flowSessions } from './flows.tables.js';
import {
  createFlow,
  createFlowsApiFixture,
  type ErrorView,
  type FlowsApiFixture,
  type FlowView,
  validFlow,
} from './testing/flows-api-fixture.js';

/*
 * The sessions view and reset over HTTP. Sessions are written here as the runtime would write
 * them; conversations come from the sandbox (no trigger is bound, so no bot answers).
 */

let f: FlowsApiFixture;
let flow: FlowView;
let versionIds: string[];
let conversationId: string;
let otherConversationId: string;
let otherTenantId: string;
let tenantId: string;

type SessionView = {
  id: string;
  conversationId: string;
  flowId: string;
  flowName: string;
  version: number;
  status: 'active' | 'handoff' | 'ended';
  blockId: string | null;
  waitingFor: string | null;
  variables: Record<string, unknown>;
  endReason: string | null;
  history: Array<{ at: string; blockId: string | null; event: string; detail?: unknown }>;
  endedAt: string | null;
  updatedAt: string;
};
type Page<T> = { items: T[]; nextCursor: string | null };

async function conversationOf(channelId: string, phone: string, token: string) {
  const sent = await f.call(
    'POST',
    `/api/v1/sandbox/${channelId}/inbound`,
    {
      from: phone,
      text: 'oi',
    },
    token,
  );
  expect(sent.statusCode).toBe(202);
  for (let attempt = 0; attempt < 200; attempt++) {
    const thread = await f.call(
      'GET',
      `/api/v1/sandbox/${channelId}/conversations/${encodeURIComponent(phone)}`,
      undefined,
      token,
    );
    const id = thread.json<{ conversationId: string | null }>().conversationId;
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the sandbox message never became a conversation');
}

const waitingState = (blockId: string, variables: Record<string, string> = {}): SessionState => ({
  status: 'active',
  blockId,
  waiting: { for: 'input', attempts: 0 },
  variables,
  turn: 2,
  inactivity: { stage: 'reminder', wakeId: 'wake-1' },
});

async function insertSession(values: {
  tenantId: string;
  conversationId: string;
  versionId: string;
  status: 'active' | 'handoff' | 'ended';
  state: SessionState;
  updatedAt: Date;
}) {
  const [row] = await f.t.runtime.database.db
    .insert(flowSessions)
    .values({
      tenantId: values.tenantId,
      conversationId: values.conversationId,
      channelId: randomUUID(),
      contactId: randomUUID(),
      flowId: flow.id,
      flowVersionId: values.versionId,
      status: values.status,
      state: values.state,
      history: [{ at: values.updatedAt.toISOString(), blockId: 'ola', event: 'entered' }],
      endReason: values.status === 'ended' ? 'completed' : null,
      endedAt: values.status === 'ended' ? values.updatedAt : null,
      createdAt: values.updatedAt,
      updatedAt: values.updatedAt,
    })
    .returning();
  if (!row) throw new Error('session not stored');
  return row.id;
}

let ended: string;
let active: string;
let handoff: string;
let foreign: string;

beforeAll(async () => {
  f = await createFlowsApiFixture();
  const me = await f.call('GET', '/api/v1/me');
  tenantId = me.json<{ tenant: { id: string } }>().tenant.id;
  otherTenantId = (await f.call('GET', '/api/v1/me', undefined, f.otherAdmin)).json<{
    tenant: { id: string };
  }>().tenant.id;
  flow = await createFlow(f, validFlow('Atendimento'), { publish: true });
  const second = await f.call('POST', `/api/v1/flows/${flow.id}/publish`);
  versionIds = [
    (await f.call('GET', `/api/v1/flows/${flow.id}/versions/1`)).json<{ id: string }>().id,
    second.json<{ id: string }>().id,
  ];
  conversationId = await conversationOf(f.channelId, '+5511911112222', f.admin);
  const secondConversation = await conversationOf(f.channelId, '+5511933334444', f.admin);
  otherConversationId = await conversationOf(f.otherChannelId, '+5511955556666', f.otherAdmin);
  // The bot runtime takes each "oi" as an input: let it finish before sessions are written by
  // hand, or a late turn would run on them (BullMQ in test:services is slower than PGlite's).
  await f.t.runtime.queue.whenIdle(15_000);

  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 12, minutes));
  ended = await insertSession({
    tenantId,
    conversationId,
    versionId: versionIds[0] as string,
    status: 'ended',
    state: { ...waitingState('fim'), status: 'ended', blockId: null, waiting: null },
    updatedAt: at(0),
  });
  active = await insertSession({
    tenantId,
    conversationId,
    versionId: versionIds[1] as string,
    status: 'active',
    state: waitingState('nome', { nome: 'Ana' }),
    updatedAt: at(10),
  });
  handoff = await insertSession({
    tenantId,
    conversationId: secondConversation,
    versionId: versionIds[1] as string,
    status: 'handoff',
    state: { ...waitingState('nome'), status: 'handoff' },
    updatedAt: at(5),
  });
  // A session of another tenant's conversation (the flow's tenant does not matter here).
  foreign = await insertSession({
    tenantId: otherTenantId,
    conversationId: otherConversationId,
    versionId: versionIds[1] as string,
    status: 'active',
    state: waitingState('nome'),
    updatedAt: at(20),
  });
});
afterAll(async () => {
  await f.close();
});

describe('the sessions view', () => {
  it('lists the tenant’s sessions, latest activity first, with flow name and version', async () => {
    const response = await f.call('GET', '/api/v1/flows/sessions', undefined, f.operator);
    expect(response.statusCode).toBe(200);
    const { items } = response.json<Page<SessionView>>();
    expect(items.map((session) => session.id)).toEqual([active, handoff, ended]);
    expect(items[0]).toMatchObject({
      conversationId,
      flowId: flow.id,
      flowName: 'Atendimento',
      version: 2,
      status: 'active',
      blockId: 'nome',
      waitingFor: 'input',
      variables: { nome: 'Ana' },
      endReason: null,
      endedAt: null,
      history: [{ blockId: 'ola', event: 'entered' }],
    });
    expect(items[2]).toMatchObject({ version: 1, status: 'ended', endReason: 'completed' });
  });

  it('filters by conversation, flow and status, and pages', async () => {
    const query = async (search: string) =>
      (await f.call('GET', `/api/v1/flows/sessions?${search}`)).json<Page<SessionView>>();
    expect((await query(`conversationId=${conversationId}`)).items.map((s) => s.id)).toEqual([
      active,
      ended,
    ]);
    expect((await query('status=handoff')).items.map((s) => s.id)).toEqual([handoff]);
    expect((await query(`flowId=${flow.id}&status=ended`)).items.map((s) => s.id)).toEqual([ended]);
    const first = await query('limit=2');
    expect(first.items.map((s) => s.id)).toEqual([active, handoff]);
    const second = await query(`limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ id: ended })], nextCursor: null });
    const wrong = await f.call('GET', '/api/v1/flows/sessions?status=paused');
    expect(wrong.statusCode).toBe(400);
  });

  it('shows one session, and nothing of another tenant’s', async () => {
    const response = await f.call('GET', `/api/v1/flows/sessions/${active}`, undefined, f.operator);
    expect(response.statusCode).toBe(200);
    expect(response.json<SessionView>()).toMatchObject({ id: active, flowName: 'Atendimento' });
    const foreignRead = await f.call('GET', `/api/v1/flows/sessions/${foreign}`);
    expect(foreignRead.statusCode).toBe(404);
    expect(foreignRead.json<ErrorView>().error.code).toBe('NOT_FOUND');
    const theirs = await f.call('GET', '/api/v1/flows/sessions', undefined, f.otherAdmin);
    expect(theirs.json<Page<SessionView>>().items.map((s) => s.id)).toEqual([foreign]);
    expect((await f.call('GET', `/api/v1/flows/sessions/${randomUUID()}`)).statusCode).toBe(404);
    expect((await f.call('GET', '/api/v1/flows/sessions/abc')).statusCode).toBe(400);
  });
});

describe('resetting a session', () => {
  it('keeps the flow from being deleted while a conversation is in it', async () => {
    const response = await f.call('DELETE', `/api/v1/flows/${flow.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorView>().error.message).toContain('reset those sessions');
  });

  it('ends it by hand (operators may), once', async () => {
    const response = await f.call(
      'POST',
      `/api/v1/flows/sessions/${active}/reset`,
      undefined,
      f.operator,
    );
    expect(response.statusCode).toBe(200);
    const reset = response.json<SessionView>();
    expect(reset).toMatchObject({
      id: active,
      status: 'ended',
      endReason: 'reset',
      blockId: null,
      waitingFor: null,
      variables: { nome: 'Ana' },
    });
    expect(reset.endedAt).not.toBeNull();
    expect(reset.history.at(-1)).toMatchObject({
      blockId: 'nome',
      event: 'ended',
      detail: { reason: 'reset' },
    });

    const [stored] = await f.t.runtime.database.db
      .select()
      .from(flowSessions)
      .where(eq(flowSessions.id, active));
    expect(stored).toMatchObject({ status: 'ended', endReason: 'reset' });
    expect(stored?.state).toMatchObject({ status: 'ended', waiting: null, inactivity: null });

    const again = await f.call('POST', `/api/v1/flows/sessions/${active}/reset`);
    expect(again.statusCode).toBe(200);
    expect(again.json<SessionView>()).toEqual(reset);

    const alreadyEnded = await f.call('POST', `/api/v1/flows/sessions/${ended}/reset`);
    expect(alreadyEnded.json<SessionView>()).toMatchObject({ endReason: 'completed' });
  });

  it('answers 404 for unknown sessions and another tenant’s', async () => {
    const foreignReset = await f.call('POST', `/api/v1/flows/sessions/${foreign}/reset`);
    expect(foreignReset.statusCode).toBe(404);
    const [stored] = await f.t.runtime.database.db
      .select({ status: flowSessions.status })
      .from(flowSessions)
      .where(eq(flowSessions.id, foreign));
    expect(stored?.status).toBe('active');
    const unknown = await f.call('POST', `/api/v1/flows/sessions/${randomUUID()}/reset`);
    expect(unknown.statusCode).toBe(404);
  });

  it('lets the flow be deleted once no conversation is in it', async () => {
    await f.call('POST', `/api/v1/flows/sessions/${handoff}/reset`);
    const response = await f.call('DELETE', `/api/v1/flows/${flow.id}`);
    expect(response.statusCode).toBe(204);
    const list = await f.call('GET', '/api/v1/flows/sessions');
    expect(list.json<Page<SessionView>>().items).toEqual([]);
  });
});
