import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FlowDocumentInput, flowDocumentSchema } from '../shared/flows/flow-document.js';
import { blockModules } from './blocks/index.js';
import { runTurn } from './run-turn.js';
import type { BlockModule, SessionState, TurnEnvironment, TurnInput, TurnResult } from './types.js';

const env: TurnEnvironment = {
  now: new Date('2026-11-23T15:00:00Z'),
  contact: { id: 'c1', name: 'Ana', phone: '+5511987654321' },
  channel: { id: 'ch1', name: 'Sandbox', traits: { buttons: true, lists: true } },
};

const text = (value: string): TurnInput => ({
  kind: 'message',
  content: { type: 'text', text: value },
});

function flowOf(input: Omit<FlowDocumentInput, 'schemaVersion' | 'name'>) {
  return flowDocumentSchema.parse({ schemaVersion: 1, name: 'Test', ...input });
}

/** A block that asks a module for something and waits for the result (like action.call). */
const fetchBlock: BlockModule<{ action: string }> = {
  definition: {
    type: 'test.fetch',
    category: 'action',
    title: { 'pt-BR': 'Teste', en: 'Test' },
    optionsSchema: z.object({ action: z.string() }),
    ports: () => ['error'],
  },
  executor: {
    enter: (context) => ({
      effects: [{ kind: 'call', action: context.options.action, inputs: {} }],
      next: { wait: 'effect' },
    }),
    resume: (_context, input) =>
      input.kind === 'effect-result' && input.result.ok
        ? { set: { result: input.result.value }, next: { go: 'next' } }
        : { next: { go: 'error' } },
  },
};

const throwingBlock: BlockModule<unknown> = {
  definition: {
    type: 'test.throw',
    category: 'logic',
    title: { 'pt-BR': 'Falha', en: 'Failure' },
    optionsSchema: z.unknown(),
    ports: () => [],
  },
  executor: {
    enter: () => {
      throw new Error('boom');
    },
  },
};

const blocks = new Map<string, BlockModule<unknown>>([
  ...blockModules,
  ['test.fetch', fetchBlock as BlockModule<unknown>],
  ['test.throw', throwingBlock],
]);

const signup = flowOf({
  variables: { name: { type: 'string' }, cpf: { type: 'string' } },
  start: 'hello',
  settings: {
    inactivity: {
      reminderAfterMinutes: 10,
      reminder: 'Ainda está aí, {{contact.name}}?',
      closeAfterMinutes: 20,
      closeMessage: 'Encerrei a conversa.',
    },
  },
  blocks: {
    hello: { type: 'message.text', options: { text: 'Olá, {{contact.name}}!' }, next: 'ask-name' },
    'ask-name': {
      type: 'input.text',
      options: { prompt: 'Seu nome?', variable: 'name' },
      next: 'ask-cpf',
    },
    'ask-cpf': {
      type: 'input.validated',
      options: { prompt: 'Seu CPF?', variable: 'cpf', validator: 'cpf', maxAttempts: 2 },
      next: 'bye',
      on: { invalid: 'human' },
    },
    bye: { type: 'message.text', options: { text: 'Obrigado, {{name}}! CPF {{cpf}}.' } },
    human: { type: 'message.text', options: { text: 'Vou chamar alguém.' } },
  },
});

function texts(result: TurnResult | undefined) {
  return (result?.outgoing ?? []).map((message) =>
    message.content.type === 'text' ? message.content.text : message.content.type,
  );
}

function play(flow: typeof signup, inputs: TurnInput[]) {
  let state: SessionState | null = null;
  const turns = [];
  for (const input of inputs) {
    const result = runTurn(flow, state, input, env, blocks);
    state = result.state;
    turns.push(result);
  }
  return turns;
}

describe('runTurn', () => {
  it('runs until a block waits, then resumes it with the answer', () => {
    const [start, name, cpf] = play(signup, [
      { kind: 'start' },
      text('Maria'),
      text('529.982.247-25'),
    ]);
    expect(texts(start)).toEqual(['Olá, Ana!', 'Seu nome?']);
    expect(start?.state).toMatchObject({
      status: 'active',
      blockId: 'ask-name',
      waiting: { for: 'input', attempts: 0 },
      turn: 1,
    });
    expect(texts(name)).toEqual(['Seu CPF?']);
    expect(texts(cpf)).toEqual(['Obrigado, Maria! CPF 52998224725.']);
    expect(cpf?.state).toMatchObject({ status: 'ended', endReason: 'completed', blockId: null });
    expect(cpf?.effects.map((effect) => effect.kind)).toEqual(['end']);
  });

  it('gives every message and effect an id from the turn, the same on a retry', () => {
    const first = runTurn(signup, null, { kind: 'start' }, env, blocks);
    const again = runTurn(signup, null, { kind: 'start' }, env, blocks);
    expect(first).toEqual(again);
    expect(first.outgoing.map((message) => message.id)).toEqual(['0.0', '0.1']);
    const second = runTurn(signup, first.state, text('Maria'), env, blocks);
    expect(second.outgoing.map((message) => message.id)).toEqual(['1.0']);
  });

  it('re-asks with the reason, then takes the invalid port after the last wrong answer', () => {
    const [, , wrong, fallback] = play(signup, [
      { kind: 'start' },
      text('Maria'),
      text('123'),
      text('111.111.111-11'),
    ]);
    expect(texts(wrong)).toEqual([expect.stringContaining('11 dígitos'), 'Seu CPF?']);
    expect(wrong?.state.waiting).toMatchObject({ attempts: 1 });
    expect(texts(fallback)).toEqual(['Vou chamar alguém.']);
  });

  it('does not change the state passed in', () => {
    const start = runTurn(signup, null, { kind: 'start' }, env, blocks);
    const snapshot = structuredClone(start.state);
    runTurn(signup, start.state, text('Maria'), env, blocks);
    expect(start.state).toEqual(snapshot);
  });

  it('schedules the inactivity reminder, then the close, and forgets stale wake-ups', () => {
    const start = runTurn(signup, null, { kind: 'start' }, env, blocks);
    const reminder = start.effects.find((effect) => effect.kind === 'schedule-wake');
    expect(reminder).toMatchObject({
      reason: 'inactivity-reminder',
      at: '2026-11-23T15:10:00.000Z',
    });
    const wakeId = start.state.inactivity?.wakeId ?? '';

    const reminded = runTurn(signup, start.state, { kind: 'wake', wakeId }, env, blocks);
    expect(texts(reminded)).toEqual(['Ainda está aí, Ana?']);
    expect(reminded.state.waiting).toMatchObject({ for: 'input' });
    const close = reminded.effects.find((effect) => effect.kind === 'schedule-wake');
    expect(close).toMatchObject({ reason: 'inactivity-close', at: '2026-11-23T15:20:00.000Z' });

    const closed = runTurn(
      signup,
      reminded.state,
      { kind: 'wake', wakeId: reminded.state.inactivity?.wakeId ?? '' },
      env,
      blocks,
    );
    expect(texts(closed)).toEqual(['Encerrei a conversa.']);
    expect(closed.state).toMatchObject({ status: 'ended', endReason: 'inactive' });

    // An answer moves the reminder: the old wake-up no longer does anything.
    const answered = runTurn(signup, start.state, text('Maria'), env, blocks);
    const stale = runTurn(signup, answered.state, { kind: 'wake', wakeId }, env, blocks);
    expect(stale.outgoing).toEqual([]);
    expect(stale.state).toBe(answered.state);
    expect(stale.log).toEqual([
      { blockId: 'ask-cpf', event: 'stale-wake', detail: { input: 'wake' } },
    ]);
  });

  it('waits for an effect, defers messages meanwhile, and goes on with the result', () => {
    const flow = flowOf({
      variables: { result: { type: 'object' } },
      start: 'fetch',
      blocks: {
        fetch: {
          type: 'test.fetch',
          options: { action: 'expenses.start-trip' },
          next: 'done',
          on: { error: 'oops' },
        },
        done: { type: 'message.text', options: { text: 'Viagem {{result.id}} criada.' } },
        oops: { type: 'message.text', options: { text: 'Não deu.' } },
      },
    });
    const start = runTurn(flow, null, { kind: 'start' }, env, blocks);
    expect(start.effects).toEqual([
      { id: '0.0', kind: 'call', action: 'expenses.start-trip', inputs: {} },
    ]);
    expect(start.state.waiting).toEqual({ for: 'effect', key: '0.0', attempts: 0 });

    const early = runTurn(flow, start.state, text('oi?'), env, blocks);
    expect(early.deferred).toBe(true);
    expect(early.state).toBe(start.state);

    const wrong = runTurn(
      flow,
      start.state,
      { kind: 'effect-result', effectId: 'other', result: { ok: true, value: {} } },
      env,
      blocks,
    );
    expect(wrong.log[0]?.event).toBe('stale-effect-result');

    const done = runTurn(
      flow,
      start.state,
      { kind: 'effect-result', effectId: '0.0', result: { ok: true, value: { id: 'T-1' } } },
      env,
      blocks,
    );
    expect(texts(done)).toEqual(['Viagem T-1 criada.']);
    const failed = runTurn(
      flow,
      start.state,
      {
        kind: 'effect-result',
        effectId: '0.0',
        result: { ok: false, error: { code: 'X', message: 'x' } },
      },
      env,
      blocks,
    );
    expect(texts(failed)).toEqual(['Não deu.']);
  });

  it('stops a loop at the step limit and apologizes when a block throws', () => {
    const loop = flowOf({
      start: 'a',
      settings: { maxStepsPerTurn: 5 },
      blocks: {
        a: { type: 'message.text', options: { text: 'a' }, next: 'b' },
        b: { type: 'message.text', options: { text: 'b' }, next: 'a' },
      },
    });
    const looped = runTurn(loop, null, { kind: 'start' }, env, blocks);
    expect(looped.outgoing).toHaveLength(5);
    expect(looped.state).toMatchObject({ status: 'ended', endReason: 'error' });
    expect(looped.log.some((entry) => entry.event === 'step-limit')).toBe(true);

    const broken = flowOf({ start: 'x', blocks: { x: { type: 'test.throw', options: {} } } });
    const failed = runTurn(broken, null, { kind: 'start' }, env, blocks);
    expect(texts(failed)).toEqual([expect.stringContaining('algo deu errado')]);
    expect(failed.log).toContainEqual({
      blockId: 'x',
      event: 'block-failed',
      detail: { message: 'boom' },
    });
  });

  it('ignores input once the session ended', () => {
    const [, , done] = play(signup, [{ kind: 'start' }, text('Maria'), text('529.982.247-25')]);
    const after = runTurn(signup, done?.state ?? null, text('oi'), env, blocks);
    expect(after.outgoing).toEqual([]);
    expect(after.log[0]?.event).toBe('input-after-end');
  });
});
