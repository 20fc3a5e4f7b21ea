import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import type { FlowValue, Variables } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const variables: Variables = {
  count: 2,
  typed: '7',
  items: ['a'],
  trip: { destination: 'Lisboa', days: 3 },
  total: { cents: 1000, currency: 'BRL' },
  expense: { cents: 250, currency: 'BRL' },
  euros: { cents: 100, currency: 'EUR' },
  label: 'x',
};

const run = (value: FlowValue, variable = 'result') =>
  executor.enter(blockContext(definition, { assignments: [{ variable, value }] }, { variables }));

describe('logic.set', () => {
  it.each<[string, string, FlowValue, FlowValue]>([
    ['text from a template', 'result', 'Olá, {{contact.name}}!', 'Olá, Ana Souza!'],
    ['a number copied with its type', 'result', '{{trip.days}}', 3],
    ['a missing variable as null', 'result', '{{nothing}}', null],
    ['a formatted value as text', 'result', '{{count | number:1}}', '2,0'],
    ['a literal number', 'result', 42, 42],
    [
      'JSON whose strings are templates',
      'result',
      { to: '{{trip.destination}}', n: '{{count}}' },
      { to: 'Lisboa', n: 2 },
    ],
    ['add to a number', 'count', { op: 'add', value: 1 }, 3],
    ['add a decimal without noise', 'count', { op: 'add', value: 0.1 }, 2.1],
    ['add to a missing variable', 'fresh', { op: 'add', value: 5 }, 5],
    ['add to a number typed as text', 'typed', { op: 'add', value: 1 }, 8],
    ['add a template giving "12,5"', 'count', { op: 'add', value: '12,5' }, 14.5],
    [
      'add a number to an amount, in units',
      'total',
      { op: 'add', value: 2.5 },
      { cents: 1250, currency: 'BRL' },
    ],
    [
      'add an amount to an amount',
      'total',
      { op: 'add', value: '{{expense}}' },
      { cents: 1250, currency: 'BRL' },
    ],
    ['append to a list', 'items', { op: 'append', value: '{{trip.destination}}' }, ['a', 'Lisboa']],
    ['append to a missing list', 'fresh', { op: 'append', value: 1 }, [1]],
    ['append to a single value', 'label', { op: 'append', value: 'y' }, ['x', 'y']],
    ['clear a list', 'items', { op: 'clear' }, []],
    ['clear an object', 'trip', { op: 'clear' }, {}],
    ['clear a number', 'count', { op: 'clear' }, null],
  ])('%s', (_name, variable, value, expected) => {
    const step = run(value, variable);
    expect(step.set).toEqual({ [variable]: expected });
    expect(step.next).toEqual({ go: 'next' });
    expect(step.log).toBeUndefined();
  });

  it.each<[string, string, FlowValue]>([
    ['adding text', 'count', { op: 'add', value: '{{label}}' }],
    ['adding to text', 'label', { op: 'add', value: 1 }],
    ['adding amounts of different currencies', 'total', { op: 'add', value: '{{euros}}' }],
  ])('skips %s and says so', (_name, variable, value) => {
    const step = run(value, variable);
    expect(step.set).toEqual({});
    expect(step.next).toEqual({ go: 'next' });
    expect(step.log).toEqual({ event: 'assignments-skipped', detail: { variables: [variable] } });
  });

  it('sets a field inside an object without touching the original', () => {
    const step = run('closed', 'trip.status');
    expect(step.set).toEqual({ trip: { destination: 'Lisboa', days: 3, status: 'closed' } });
    expect(variables.trip).toEqual({ destination: 'Lisboa', days: 3 });
  });

  it('runs assignments in order: later ones see earlier ones', () => {
    const step = executor.enter(
      blockContext(
        definition,
        {
          assignments: [
            { variable: 'count', value: { op: 'add', value: 1 } },
            { variable: 'count', value: { op: 'add', value: 1 } },
            { variable: 'summary', value: '{{count}} itens' },
          ],
        },
        { variables },
      ),
    );
    expect(step.set).toEqual({ count: 4, summary: '4 itens' });
  });

  it.each([
    [{ assignments: [] }, ['assignments']],
    [
      { assignments: [{ variable: 'x', value: { op: 'multiply', value: 2 } }] },
      ['assignments', 0, 'value', 'op'],
    ],
    [
      { assignments: [{ variable: 'x', value: { op: 'add', value: true } }] },
      ['assignments', 0, 'value', 'value'],
    ],
    [
      { assignments: [{ variable: 'x', value: { op: 'clear', value: 1 } }] },
      ['assignments', 0, 'value'],
    ],
    [{ assignments: [{ variable: '1x', value: 1 }] }, ['assignments', 0, 'variable']],
  ])('refuses %j at %j', (options, path) => {
    const parsed = definition.optionsSchema.safeParse(options);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
  });

  it('declares templates and written variables with their types', () => {
    const options = definition.optionsSchema.parse({
      assignments: [
        { variable: 'a', value: 'Olá {{contact.name}}' },
        { variable: 'b', value: '{{trip}}' },
        { variable: 'c', value: { op: 'add', value: '{{count}}' } },
        { variable: 'd', value: { op: 'append', value: ['{{x}}'] } },
        { variable: 'e.f', value: true },
      ],
    });
    expect(definition.templates?.(options)).toEqual([
      { path: ['assignments', 0, 'value'], template: 'Olá {{contact.name}}' },
      { path: ['assignments', 1, 'value'], template: '{{trip}}' },
      { path: ['assignments', 2, 'value', 'value'], template: '{{count}}' },
      { path: ['assignments', 3, 'value', 'value', 0], template: '{{x}}' },
    ]);
    expect(definition.writes?.(options)).toEqual([
      { path: ['assignments', 0, 'variable'], name: 'a', types: ['string', 'date'] },
      { path: ['assignments', 1, 'variable'], name: 'b' },
      { path: ['assignments', 2, 'variable'], name: 'c', types: ['number', 'amount'] },
      { path: ['assignments', 3, 'variable'], name: 'd', types: ['list'] },
      { path: ['assignments', 4, 'variable'], name: 'e.f', types: ['boolean'] },
    ]);
  });
});
