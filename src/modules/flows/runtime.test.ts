import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import {
  bearer,
  createTestApp,
  login,
  startSecondWorker,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import type { SandboxThread } from '../../shared/contracts/sandbox.contract.js';

/*
 * The bot runtime on the real composition: sandbox phone → inbound pipeline → flow turn →
 * outbox → outbound → sandbox phone. Embedded mode in `npm test`; PostgreSQL, BullMQ and a
 * second worker in `npm run test:services`.
 */

let t: TestApp;
let token: string;
let sandboxId: string;

const signup = {
  schemaVersion: 1,
  name: 'Cadastro',
  variables: { name: { type: 'string' }, cpf: { type: 'string' } },
  start: 'hello',
  blocks: {
    hello: { type: 'message.text', options: { text: 'Olá! Eu sou o bot.' }, next: 'ask-name' },
    'ask-name': {
      type: 'input.text',
      options: { prompt: 'Qual é o seu nome?', variable: 'name' },
      next: 'ask-cpf',
    },
    'ask-cpf': {
      type: 'input.validated',
      options: { prompt: '{{name}}, qual é o seu CPF?', variable: 'cpf', validator: 'cpf' },
      next: 'bye',
    },
    bye: { type: 'message.text', options: { text: 'Obrigado, {{name}}! CPF {{cpf}} anotado.' } },
  },
};

/** Rows of a raw query (PGlite and node-postgres both answer `{ rows }`). */
async function query(statement: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  const result = (await t.database.db.execute(statement)) as unknown as {
    rows: Record<string, unknown>[];
  };
  return result.rows;
}

async function api<T>(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const response = await t.app.inject({
    method,
    url,
    headers: bearer(token),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  if (response.statusCode >= 300)
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

async function userSends(phone: string, text: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/sandbox/${sandboxId}/inbound`,
    headers: bearer(token),
    payload: { from: phone, name: 'Ana', text },
  });
  expect(response.statusCode).toBe(202);
}

async function botTexts(phone: string): Promise<string[]> {
  const thread = await api<SandboxThread>(
    'GET',
    `/api/v1/sandbox/${sandboxId}/conversations/${encodeURIComponent(phone)}`,
  );
  return thread.messages
    .filter((message) => message.direction === 'outbound')
    .map((message) =>
      message.content.type === 'text' ? message.content.text : message.content.type,
    );
}

async function waitForTexts(phone: string, count: number): Promise<string[]> {
  return eventually(
    () => botTexts(phone),
    (texts) => texts.length >= count,
  );
}

beforeAll(async () => {
  t = await createTestApp();
  token = (await login(t.app, testAdmin)).accessToken;
  const channels = await api<{ items: { id: string; provider: string }[] }>(
    'GET',
    '/api/v1/channels',
  );
  const sandbox = channels.items.find((channel) => channel.provider === 'sandbox');
  if (!sandbox) throw new Error('no sandbox channel');
  sandboxId = sandbox.id;
  const flow = await api<{ id: string }>('POST', '/api/v1/flows', { document: signup });
  await api('POST', `/api/v1/flows/${flow.id}/publish`);
  await api('POST', `/api/v1/channels/${sandboxId}/flows/triggers`, {
    kind: 'default',
    flowId: flow.id,
  });
});

afterAll(async () => {
  await t.close();
});

describe('the flow runtime', () => {
  it('starts the default flow and answers each message in turn', async () => {
    const phone = '+5511911110001';
    await userSends(phone, 'Oi');
    expect(await waitForTexts(phone, 2)).toEqual(['Olá! Eu sou o bot.', 'Qual é o seu nome?']);
    await userSends(phone, 'Maria');
    expect((await waitForTexts(phone, 3)).at(-1)).toBe('Maria, qual é o seu CPF?');
    await userSends(phone, '123');
    const retry = await waitForTexts(phone, 5);
    expect(retry.slice(-2)).toEqual([
      expect.stringContaining('11 dígitos'),
      'Maria, qual é o seu CPF?',
    ]);
    await userSends(phone, '529.982.247-25');
    expect((await waitForTexts(phone, 6)).at(-1)).toBe('Obrigado, Maria! CPF 52998224725 anotado.');
  });

  it('answers messages that arrive together in order, with two workers', async () => {
    const second = await startSecondWorker(t);
    try {
      const phone = '+5511911110002';
      await userSends(phone, 'Oi');
      await waitForTexts(phone, 2);
      await Promise.all([userSends(phone, 'Joana'), userSends(phone, '529.982.247-25')]);
      // Whichever message the pipeline stored first is the name; the bot never skips a step
      // and answers the second only after the first.
      const first = await waitForTexts(phone, 3);
      const nameFirst = first[2] === 'Joana, qual é o seu CPF?';
      const texts = await waitForTexts(phone, nameFirst ? 4 : 5);
      expect(texts.slice(2)).toEqual(
        nameFirst
          ? ['Joana, qual é o seu CPF?', 'Obrigado, Joana! CPF 52998224725 anotado.']
          : [
              '529.982.247-25, qual é o seu CPF?',
              expect.stringContaining('CPF'),
              '529.982.247-25, qual é o seu CPF?',
            ],
      );
      const inputs = await query(sql`
        select i.status, i.outcome from flow_inputs i
        join conversations c on c.id = i.conversation_id
        join contacts k on k.id = c.contact_id where k.phone = ${phone} order by i.id`);
      expect(inputs).toEqual([
        { status: 'done', outcome: 'started' },
        { status: 'done', outcome: 'turn' },
        { status: 'done', outcome: 'turn' },
      ]);
    } finally {
      await second.close();
    }
  });

  it('hands over to a human on "atendente" and stays silent until handed back', async () => {
    const phone = '+5511911110003';
    await userSends(phone, 'Oi');
    await waitForTexts(phone, 2);
    await userSends(phone, 'Atendente!');
    expect((await waitForTexts(phone, 3)).at(-1)).toContain('Vou te transferir para um atendente');
    await userSends(phone, 'Alguém aí?');
    await t.runtime.queue.whenIdle(10_000);
    expect(await botTexts(phone)).toHaveLength(3);
    const sessions = await api<{ items: { id: string; status: string }[] }>(
      'GET',
      '/api/v1/flows/sessions?status=handoff',
    );
    const session = sessions.items.find((item) => item.status === 'handoff');
    if (!session) throw new Error('no session in handoff');

    // Handed back: the bot asks its question again and goes on.
    await api('POST', `/api/v1/flows/sessions/${session.id}/hand-back`);
    expect((await waitForTexts(phone, 4)).at(-1)).toBe('Qual é o seu nome?');
    await userSends(phone, 'Paula');
    expect((await waitForTexts(phone, 5)).at(-1)).toBe('Paula, qual é o seu CPF?');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/flows/sessions/${session.id}/hand-back`,
      headers: bearer(token),
    });
    expect(again.statusCode).toBe(409);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/flows/sessions/00000000-0000-4000-8000-000000000000/hand-back',
      headers: bearer(token),
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('restarts on "menu", ends on "cancelar", and opts out on "sair"', async () => {
    const phone = '+5511911110004';
    await userSends(phone, 'Oi');
    await waitForTexts(phone, 2);
    await userSends(phone, 'Menu');
    expect((await waitForTexts(phone, 4)).slice(-2)).toEqual([
      'Olá! Eu sou o bot.',
      'Qual é o seu nome?',
    ]);
    await userSends(phone, 'cancelar');
    expect((await waitForTexts(phone, 5)).at(-1)).toContain('encerrei este atendimento');
    await userSends(phone, 'sair');
    expect((await waitForTexts(phone, 6)).at(-1)).toContain('não vai mais receber mensagens');
    await t.runtime.queue.whenIdle(10_000);
    const contact = await query(
      sql`select opted_out_at is not null as out from contacts where phone = ${phone}`,
    );
    expect(contact).toEqual([{ out: true }]);
    // Opted out: the bot no longer answers.
    await userSends(phone, 'Oi de novo');
    await t.runtime.queue.whenIdle(10_000);
    expect(await botTexts(phone)).toHaveLength(6);
  });

  it('applies an outbox row once, even when its job runs again', async () => {
    const phone = '+5511911110005';
    await userSends(phone, 'Oi');
    await waitForTexts(phone, 2);
    await t.runtime.queue.whenIdle(10_000);
    const rows = await query(sql`
      select o.id from flow_outbox o join conversations c on c.id = o.conversation_id
      join contacts k on k.id = c.contact_id where k.phone = ${phone} and o.kind = 'send'`);
    expect(rows).toHaveLength(2);
    for (const { id } of rows) {
      const row = { id: String(id) };
      // A retried job finds the row done; a row put back as pending (crash before finishing)
      // sends again under the same idempotency key, so no message is duplicated.
      await t.runtime.flowRuntime.applyOutbox(row.id);
      await t.database.db.execute(
        sql`update flow_outbox set status = 'pending' where id = ${row.id}`,
      );
      await t.runtime.flowRuntime.applyOutbox(row.id);
    }
    await t.runtime.queue.whenIdle(10_000);
    expect(await botTexts(phone)).toEqual(['Olá! Eu sou o bot.', 'Qual é o seu nome?']);
  });

  it('does not send twice when a turn runs again after its messages went out', async () => {
    const phone = '+5511911110006';
    await userSends(phone, 'Oi');
    await waitForTexts(phone, 2);
    const [before] = await query(sql`
      select s.id, s.state from flow_sessions s join conversations c on c.id = s.conversation_id
      join contacts k on k.id = c.contact_id where k.phone = ${phone}`);
    if (!before) throw new Error('no session');
    await userSends(phone, 'Lia');
    expect((await waitForTexts(phone, 3)).at(-1)).toBe('Lia, qual é o seu CPF?');
    await t.runtime.queue.whenIdle(10_000);

    // As if the turn's job died after its messages were sent but its work was not recorded:
    // the input is pending again and the session is back where it was.
    const [input] = await query(sql`
      select i.id, i.conversation_id from flow_inputs i join conversations c on c.id = i.conversation_id
      join contacts k on k.id = c.contact_id where k.phone = ${phone} order by i.id desc limit 1`);
    if (!input) throw new Error('no input');
    await t.database.db.execute(
      sql`update flow_inputs set status = 'pending' where id = ${input.id}`,
    );
    await t.database.db.execute(
      sql`update flow_sessions set state = ${JSON.stringify(before.state)}::jsonb where id = ${before.id}`,
    );
    await t.database.db.execute(
      sql`update flow_lanes set status = 'pending', due_at = now() where conversation_id = ${input.conversation_id}`,
    );
    await t.runtime.flowRuntime.processLane(String(input.conversation_id));
    await t.runtime.queue.whenIdle(10_000);
    expect(await botTexts(phone)).toEqual([
      'Olá! Eu sou o bot.',
      'Qual é o seu nome?',
      'Lia, qual é o seu CPF?',
    ]);
  });
});
