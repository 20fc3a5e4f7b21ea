import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFlowCommands } from '../../shared/contracts/flows.contract.js';
import { commandsOf, findTriggerFlow } from './index.js';
import {
  createFlow,
  createFlowsApiFixture,
  type ErrorView,
  type FlowsApiFixture,
  type FlowView,
  validFlow,
} from './testing/flows-api-fixture.js';

/* Channel triggers and commands over HTTP, and how the runtime finds a channel's flow. */

let f: FlowsApiFixture;
let menu: FlowView;
let billing: FlowView;
let draftOnly: FlowView;
beforeAll(async () => {
  f = await createFlowsApiFixture();
  menu = await createFlow(f, validFlow('Menu principal'), { publish: true });
  billing = await createFlow(f, validFlow('Segunda via'), { publish: true });
  draftOnly = await createFlow(f, validFlow('Só rascunho'));
});
afterAll(async () => {
  await f.close();
});

type Trigger = {
  id: string;
  channelId: string;
  flowId: string;
  flowName: string;
  kind: 'default' | 'keyword';
  keywords: string[];
};
type Settings = { channelId: string; commands: typeof defaultFlowCommands; triggers: Trigger[] };

const base = (channelId = f.channelId) => `/api/v1/channels/${channelId}/flows`;
const settings = async (token = f.admin) => {
  const response = await f.call('GET', base(), undefined, token);
  expect(response.statusCode).toBe(200);
  return response.json<Settings>();
};
const bind = (payload: Record<string, unknown>, token = f.admin, channelId = f.channelId) =>
  f.call('POST', `${base(channelId)}/triggers`, payload, token);
const db = () => f.t.runtime.database.db;

describe('a channel’s flows', () => {
  it('starts with no triggers and the default commands', async () => {
    expect(await settings(f.operator)).toEqual({
      channelId: f.channelId,
      commands: defaultFlowCommands,
      triggers: [],
    });
    expect(await commandsOf(db(), f.channelId)).toEqual(defaultFlowCommands);
    expect(await findTriggerFlow(db(), f.channelId, 'oi')).toBeUndefined();
  });

  it('binds a default flow, and a new default replaces it', async () => {
    const first = await bind({ kind: 'default', flowId: billing.id });
    expect(first.statusCode).toBe(201);
    expect(first.json<Trigger>()).toMatchObject({
      channelId: f.channelId,
      flowId: billing.id,
      flowName: 'Segunda via',
      kind: 'default',
      keywords: [],
    });
    const second = await bind({ kind: 'default', flowId: menu.id });
    expect(second.statusCode).toBe(201);
    const { triggers } = await settings();
    expect(triggers.map(({ kind, flowName }) => ({ kind, flowName }))).toEqual([
      { kind: 'default', flowName: 'Menu principal' },
    ]);
  });

  it('refuses a flow never published, saying to publish it', async () => {
    const response = await bind({ kind: 'default', flowId: draftOnly.id });
    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorView>().error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(
        `publish it first (POST /api/v1/flows/${draftOnly.id}/publish)`,
      ),
    });
    expect((await settings()).triggers.map((trigger) => trigger.flowId)).not.toContain(
      draftOnly.id,
    );
  });

  it('stores keywords lower case without accents, each once', async () => {
    const response = await bind({
      kind: 'keyword',
      flowId: billing.id,
      keywords: ['Boleto', '2ª  Via', 'BOLETO', 'Fatura!'],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json<Trigger>().keywords).toEqual(['boleto', '2a via', 'fatura']);
  });

  it('refuses a keyword another trigger of the channel has, naming its flow (409)', async () => {
    const other = await createFlow(f, validFlow('Outro fluxo'), { publish: true });
    const response = await bind({ kind: 'keyword', flowId: other.id, keywords: ['pix', 'Bolêto'] });
    expect(response.statusCode).toBe(409);
    const { error } = response.json<ErrorView>();
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('"boleto" already starts the flow "Segunda via"');
    expect((await settings()).triggers.map((trigger) => trigger.flowId)).not.toContain(other.id);
  });

  it('refuses a keyword that is one of the channel’s commands (409)', async () => {
    const response = await bind({ kind: 'keyword', flowId: menu.id, keywords: ['Cancelar'] });
    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorView>().error.message).toContain(
      '"cancelar" is the channel\'s cancel command',
    );
  });

  it.each([
    ['a keyword with no letters', { kind: 'keyword', flowId: '', keywords: ['!!!'] }],
    ['no keywords', { kind: 'keyword', flowId: '', keywords: [] }],
    ['an unknown kind', { kind: 'always', flowId: '' }],
    ['a flow id that is not a UUID', { kind: 'default', flowId: 'menu' }],
  ])('refuses %s (400)', async (_case, payload) => {
    const response = await bind({ ...payload, flowId: payload.flowId || billing.id });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorView>().error.code).toBe('VALIDATION_FAILED');
  });

  it('is for admins to change, operators to read', async () => {
    const response = await bind({ kind: 'default', flowId: billing.id }, f.operator);
    expect(response.statusCode).toBe(403);
    const trigger = (await settings()).triggers[0];
    const removal = await f.call(
      'DELETE',
      `${base()}/triggers/${trigger?.id}`,
      undefined,
      f.operator,
    );
    expect(removal.statusCode).toBe(403);
    const commands = await f.call(
      'PUT',
      `${base()}/commands`,
      { commands: defaultFlowCommands },
      f.operator,
    );
    expect(commands.statusCode).toBe(403);
  });

  it('keeps tenants apart: another tenant’s channel or flow is 404', async () => {
    for (const [method, url, payload] of [
      ['GET', base(), undefined],
      ['POST', `${base()}/triggers`, { kind: 'default', flowId: menu.id }],
      ['PUT', `${base()}/commands`, { commands: defaultFlowCommands }],
    ] as const) {
      const response = await f.call(method, url, payload, f.otherAdmin);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    const trigger = (await settings()).triggers[0];
    const removal = await f.call(
      'DELETE',
      `${base()}/triggers/${trigger?.id}`,
      undefined,
      f.otherAdmin,
    );
    expect(removal.statusCode).toBe(404);
    // Their own channel, my flow.
    const foreignFlow = await bind(
      { kind: 'default', flowId: menu.id },
      f.otherAdmin,
      f.otherChannelId,
    );
    expect(foreignFlow.statusCode).toBe(404);
    expect(foreignFlow.json<ErrorView>().error.message).toContain(menu.id);
    const unknownChannel = await f.call('GET', base('0b7c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e'));
    expect(unknownChannel.statusCode).toBe(404);
  });
});

describe('finding the flow a message starts', () => {
  it('matches keywords as whole words, ignoring case and accents, before the default', async () => {
    const found = await findTriggerFlow(db(), f.channelId, 'Oi! Preciso da 2ª VIA do BOLETO, pfv');
    expect(found).toMatchObject({
      flowId: billing.id,
      matched: { kind: 'keyword', keyword: '2a via' },
      document: { name: 'Segunda via', locale: 'pt-BR' },
    });
    expect(await findTriggerFlow(db(), f.channelId, 'boletos?')).toMatchObject({
      flowId: menu.id,
      matched: { kind: 'default' },
    });
    expect(await findTriggerFlow(db(), f.channelId, '')).toMatchObject({ flowId: menu.id });
    expect(await findTriggerFlow(db(), f.otherChannelId, 'boleto')).toBeUndefined();
  });

  it('starts the latest published version', async () => {
    const before = await findTriggerFlow(db(), f.channelId, 'fatura');
    await f.call('PUT', `/api/v1/flows/${billing.id}`, {
      document: validFlow('Segunda via', { description: 'v2' }),
    });
    expect((await findTriggerFlow(db(), f.channelId, 'fatura'))?.versionId).toBe(before?.versionId);
    const published = await f.call('POST', `/api/v1/flows/${billing.id}/publish`);
    const after = await findTriggerFlow(db(), f.channelId, 'fatura');
    expect(after?.versionId).toBe(published.json<{ id: string }>().id);
    expect(after?.document.description).toBe('v2');
  });
});

describe('removing a trigger', () => {
  it('unbinds it; the same id again is 404', async () => {
    const keyword = (await settings()).triggers.find((trigger) => trigger.kind === 'keyword');
    const removed = await f.call('DELETE', `${base()}/triggers/${keyword?.id}`);
    expect(removed.statusCode).toBe(204);
    expect((await settings()).triggers.map((trigger) => trigger.kind)).toEqual(['default']);
    expect(await findTriggerFlow(db(), f.channelId, 'boleto')).toMatchObject({
      flowId: menu.id,
    });
    const again = await f.call('DELETE', `${base()}/triggers/${keyword?.id}`);
    expect(again.statusCode).toBe(404);
  });
});

describe('global commands', () => {
  it('replaces them, normalized, and the runtime reads them', async () => {
    const response = await f.call('PUT', `${base()}/commands`, {
      commands: {
        menu: ['Menu', 'Início'],
        cancel: ['Cancelar', 'CANCELA'],
        human: ['Atendente', 'falar com humano'],
        optOut: ['Sair', 'Parar', 'sair'],
      },
    });
    expect(response.statusCode).toBe(200);
    const expected = {
      menu: ['menu', 'inicio'],
      cancel: ['cancelar', 'cancela'],
      human: ['atendente', 'falar com humano'],
      optOut: ['sair', 'parar'],
    };
    expect(response.json<Settings>().commands).toEqual(expected);
    expect((await settings(f.operator)).commands).toEqual(expected);
    expect(await commandsOf(db(), f.channelId)).toEqual(expected);
    expect(await commandsOf(db(), f.otherChannelId)).toEqual(defaultFlowCommands);
  });

  it('refuses a word in two commands (400) and a word a trigger uses (409)', async () => {
    const twice = await f.call('PUT', `${base()}/commands`, {
      commands: { ...defaultFlowCommands, menu: ['menu', 'Sair'] },
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json<ErrorView>().error.message).toContain(
      '"sair" is in both the menu and the optOut commands',
    );
    await bind({ kind: 'keyword', flowId: billing.id, keywords: ['ajuda'] });
    const taken = await f.call('PUT', `${base()}/commands`, {
      commands: { ...defaultFlowCommands, human: ['atendente', 'Ajuda'] },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorView>().error.message).toContain(
      '"ajuda" (human) is a keyword of the flow "Segunda via"',
    );
    const malformed = await f.call('PUT', `${base()}/commands`, {
      commands: { menu: 'menu', cancel: [], human: [], optOut: [] },
    });
    expect(malformed.statusCode).toBe(400);
  });
});
