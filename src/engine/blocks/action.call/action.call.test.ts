import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import type { ActionCatalog, ActionDeclaration, EffectResult } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const startTrip: ActionDeclaration = {
  id: 'expenses.start-trip',
  description: 'Opens a trip for the contact',
  inputs: {
    destination: { type: 'string', required: true },
    days: { type: 'number', required: true },
    advance: { type: 'boolean', required: false },
  },
  outputs: { tripId: { type: 'string' }, budget: { type: 'amount' } },
};
const catalog: ActionCatalog = new Map([[startTrip.id, startTrip]]);

const options = {
  action: 'expenses.start-trip',
  inputs: { destination: 'Viagem a {{city}}', days: '{{days}}', advance: false },
  outputs: { tripId: 'trip.id', budget: 'budget' },
  errorVariable: 'tripError',
};
const variables = { city: 'Lisboa', days: 4, trip: { purpose: 'feira' } };

describe('action.call', () => {
  it('asks for the action with resolved inputs and waits for its result', () => {
    const step = executor.enter(blockContext(definition, options, { variables }));
    expect(step).toEqual({
      effects: [
        {
          kind: 'call',
          action: 'expenses.start-trip',
          inputs: { destination: 'Viagem a Lisboa', days: 4, advance: false },
        },
      ],
      next: { wait: 'effect' },
      log: { event: 'action-called', detail: { action: 'expenses.start-trip' } },
    });
  });

  const waiting = { for: 'effect', key: '5.1', attempts: 0 } as const;
  const resume = (result: EffectResult) =>
    executor.resume?.(
      blockContext(definition, options, { variables }),
      { kind: 'effect-result', effectId: '5.1', result },
      waiting,
    );

  it.each<[string, EffectResult, unknown, unknown]>([
    [
      'the outputs',
      { ok: true, value: { tripId: 't-7', budget: { cents: 50000, currency: 'EUR' }, extra: 1 } },
      { trip: { purpose: 'feira', id: 't-7' }, budget: { cents: 50000, currency: 'EUR' } },
      { go: 'next' },
    ],
    [
      'null for outputs the result lacks',
      { ok: true, value: { tripId: 't-8' } },
      { trip: { purpose: 'feira', id: 't-8' }, budget: null },
      { go: 'next' },
    ],
    [
      'null for every output when the result is not an object',
      { ok: true, value: 'done' },
      { trip: { purpose: 'feira', id: null }, budget: null },
      { go: 'next' },
    ],
    [
      'the error, through the error port',
      { ok: false, error: { code: 'TRIP_OPEN', message: 'There is an open trip already' } },
      { tripError: { code: 'TRIP_OPEN', message: 'There is an open trip already', status: null } },
      { go: 'error' },
    ],
  ])('stores %s', (_name, result, set, next) => {
    const step = resume(result);
    expect(step?.set).toEqual(set);
    expect(step?.next).toEqual(next);
  });

  it('checks the inputs and outputs against the action catalog', () => {
    const parsed = definition.optionsSchema.parse({
      action: 'expenses.start-trip',
      inputs: { days: 'four', advance: 'yes', color: 'blue', destination: '{{city}}' },
      outputs: { tripId: 'trip.id', receipt: 'receipt' },
    });
    expect(definition.check?.(parsed, { actions: catalog })).toEqual([
      {
        path: ['inputs', 'days'],
        code: 'wrong-variable-type',
        message: 'the input "days" of "expenses.start-trip" is number',
      },
      {
        path: ['inputs', 'advance'],
        code: 'wrong-variable-type',
        message: 'the input "advance" of "expenses.start-trip" is boolean',
      },
      {
        path: ['inputs', 'color'],
        code: 'invalid-options',
        message: '"expenses.start-trip" has no input "color" (it takes destination, days, advance)',
      },
      {
        path: ['outputs', 'receipt'],
        code: 'invalid-options',
        message: '"expenses.start-trip" has no output "receipt" (it gives tripId, budget)',
      },
    ]);
    const missing = definition.optionsSchema.parse({ action: 'expenses.start-trip' });
    expect(definition.check?.(missing, { actions: catalog })).toEqual([
      {
        path: ['inputs'],
        code: 'invalid-options',
        message: '"expenses.start-trip" needs the input "destination" (string)',
      },
      {
        path: ['inputs'],
        code: 'invalid-options',
        message: '"expenses.start-trip" needs the input "days" (number)',
      },
    ]);
    expect(
      definition.check?.(definition.optionsSchema.parse(options), { actions: catalog }),
    ).toEqual([]);
    expect(definition.check?.(missing, {})).toEqual([]);
  });

  it('names its action, its templates and what it writes', () => {
    const parsed = definition.optionsSchema.parse(options);
    expect(definition.ports(parsed)).toEqual(['error']);
    expect(definition.actions?.(parsed)).toEqual([
      { path: ['action'], action: 'expenses.start-trip' },
    ]);
    expect(definition.templates?.(parsed)).toEqual([
      { path: ['inputs', 'destination'], template: 'Viagem a {{city}}' },
      { path: ['inputs', 'days'], template: '{{days}}' },
    ]);
    expect(definition.writes?.(parsed)).toEqual([
      { path: ['outputs', 'tripId'], name: 'trip.id' },
      { path: ['outputs', 'budget'], name: 'budget' },
      { path: ['errorVariable'], name: 'tripError', types: ['object'] },
    ]);
  });

  it.each([
    [{ action: 'startTrip' }, ['action']],
    [{ action: 'expenses.start-trip', inputs: { '1x': 1 } }, ['inputs', '1x']],
    [{ action: 'expenses.start-trip', outputs: { id: 'not a variable' } }, ['outputs', 'id']],
  ])('refuses %j at %j', (bad, path) => {
    const parsed = definition.optionsSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
  });
});
