import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import type { Variables } from '../../types.js';
import { type Condition, definition } from './definition.js';
import { executor } from './execute.js';

const variables: Variables = {
  name: '  José ',
  age: 18,
  ageText: '18',
  code: '007',
  trip: { days: 6, destination: 'São Paulo', start: '2026-12-11' },
  tags: ['vip', 'novo'],
  total: { cents: 123456, currency: 'BRL' },
  limit: 1000,
  agreed: true,
  empty: '   ',
  nothing: null,
  list: [],
  state: 'rj',
  email: 'ana@empresa.com',
};

const holds = (when: Condition) => {
  const step = executor.enter(
    blockContext(definition, { cases: [{ id: 'yes', when }] }, { variables, ports: ['yes'] }),
  );
  return 'go' in step.next && step.next.go === 'yes';
};

describe('logic.condition', () => {
  it.each<[Condition, boolean]>([
    [{ variable: 'name', op: 'equals', value: 'jose' }, true],
    [{ variable: 'name', op: 'equals', value: 'Josefa' }, false],
    [{ variable: 'age', op: 'equals', value: '18' }, true],
    [{ variable: 'ageText', op: 'equals', value: 18 }, true],
    [{ variable: 'code', op: 'equals', value: '7' }, false],
    [{ variable: 'agreed', op: 'equals', value: 'sim' }, true],
    [{ variable: 'agreed', op: 'not-equals', value: true }, false],
    [{ variable: 'missing', op: 'equals', value: 'x' }, false],
    [{ variable: 'tags', op: 'equals', value: ['vip', 'novo'] }, true],
    [{ variable: 'trip.destination', op: 'contains', value: 'sao' }, true],
    [{ variable: 'tags', op: 'contains', value: 'VIP' }, true],
    [{ variable: 'trip', op: 'contains', value: 'days' }, true],
    [{ variable: 'trip.destination', op: 'starts-with', value: 'São' }, true],
    [{ variable: 'trip.days', op: 'gt', value: 5 }, true],
    [{ variable: 'trip.days', op: 'lte', value: 5 }, false],
    [{ variable: 'age', op: 'gte', value: '{{limit}}' }, false],
    [{ variable: 'total', op: 'gt', value: '{{limit}}' }, true],
    [{ variable: 'total', op: 'lt', value: '1.234,57' }, true],
    [{ variable: 'trip.start', op: 'gt', value: '{{now}}' }, true],
    [{ variable: 'trip.start', op: 'lt', value: '2026-12-01' }, false],
    [{ variable: 'name', op: 'gt', value: 3 }, false],
    [{ variable: 'empty', op: 'empty' }, true],
    [{ variable: 'nothing', op: 'empty' }, true],
    [{ variable: 'missing', op: 'empty' }, true],
    [{ variable: 'list', op: 'empty' }, true],
    [{ variable: 'tags', op: 'not-empty' }, true],
    [{ variable: 'contact.name', op: 'not-empty' }, true],
    [{ variable: 'email', op: 'matches', value: '@EMPRESA\\.com$' }, true],
    [{ variable: 'age', op: 'matches', value: '^\\d{2}$' }, true],
    [{ variable: 'state', op: 'in', value: ['SP', 'RJ'] }, true],
    [{ variable: 'state', op: 'in', value: 'SP, MG' }, false],
    [{ variable: 'age', op: 'in', value: [17, 18] }, true],
    [
      {
        all: [
          { variable: 'age', op: 'gte', value: 18 },
          { variable: 'agreed', op: 'equals', value: true },
        ],
      },
      true,
    ],
    [
      {
        all: [
          { variable: 'age', op: 'gte', value: 18 },
          { variable: 'name', op: 'empty' },
        ],
      },
      false,
    ],
    [
      {
        any: [
          { variable: 'name', op: 'empty' },
          { variable: 'tags', op: 'contains', value: 'vip' },
        ],
      },
      true,
    ],
    [{ not: { variable: 'email', op: 'matches', value: '@gmail\\.com$' } }, true],
  ])('%j → %s', (when, expected) => {
    expect(holds(when)).toBe(expected);
  });

  it('takes the first case that holds, else next', () => {
    const options = {
      cases: [
        { id: 'minor', when: { variable: 'age', op: 'lt', value: 18 } },
        { id: 'adult', when: { variable: 'age', op: 'gte', value: 18 } },
        { id: 'also-adult', when: { variable: 'age', op: 'gte', value: 0 } },
      ],
    };
    const step = executor.enter(blockContext(definition, options, { variables }));
    expect(step.next).toEqual({ go: 'adult' });
    const none = executor.enter(
      blockContext(definition, options, { variables: { age: 'não sei' } }),
    );
    expect(none.next).toEqual({ go: 'next' });
  });

  it.each([
    [{ variable: 'x', op: 'equals' }, ['cases', 0, 'when', 'value'], 'needs a value'],
    [{ variable: 'x', op: 'empty', value: 1 }, ['cases', 0, 'when', 'value'], 'takes no value'],
    [
      { variable: 'x', op: 'matches', value: '(a+)+$' },
      ['cases', 0, 'when', 'value'],
      'repeated group',
    ],
    [{ variable: 'x', op: 'matches', value: '([' }, ['cases', 0, 'when', 'value'], 'Invalid'],
    [{ variable: 'x', op: 'in', value: 3 }, ['cases', 0, 'when', 'value'], 'list'],
    [{ variable: 'x', op: 'gt', value: [1] }, ['cases', 0, 'when', 'value'], 'number or a date'],
    [{ variable: 'x', op: 'like', value: 1 }, ['cases', 0, 'when', 'op'], ''],
    [{ all: [] }, ['cases', 0, 'when', 'all'], '1 to 20'],
    [
      { any: [{ variable: 'x', op: 'empty' }, 3] },
      ['cases', 0, 'when', 'any', 1],
      'a condition is',
    ],
    [{ not: { variable: 'x', op: 'empty' }, all: [] }, ['cases', 0, 'when'], 'stands alone'],
  ])('refuses %j at %j', (when, path, message) => {
    const parsed = definition.optionsSchema.safeParse({ cases: [{ id: 'a', when }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
    expect(parsed.error?.issues[0]?.message).toContain(message);
  });

  it('refuses repeated case ids and a case named next', () => {
    const when = { variable: 'x', op: 'empty' };
    const repeated = definition.optionsSchema.safeParse({
      cases: [
        { id: 'a', when },
        { id: 'a', when },
      ],
    });
    expect(repeated.error?.issues[0]?.path).toEqual(['cases', 1, 'id']);
    const named = definition.optionsSchema.safeParse({ cases: [{ id: 'next', when }] });
    expect(named.success).toBe(false);
  });

  it('requires every case port and declares what it reads', () => {
    const options = definition.optionsSchema.parse({
      cases: [
        { id: 'a', when: { variable: 'trip.days', op: 'gt', value: '{{limit}}' } },
        {
          id: 'b',
          when: {
            any: [
              { variable: 'contact.name', op: 'empty' },
              { not: { variable: 'age', op: 'matches', value: '^1' } },
            ],
          },
        },
      ],
    });
    expect(definition.ports(options)).toEqual(['a', 'b']);
    expect(definition.requiredPorts?.(options)).toEqual(['a', 'b']);
    expect(definition.reads?.(options)).toEqual([
      { path: ['cases', 0, 'when', 'variable'], name: 'trip.days' },
      { path: ['cases', 1, 'when', 'any', 1, 'not', 'variable'], name: 'age' },
    ]);
    expect(definition.templates?.(options)).toEqual([
      { path: ['cases', 0, 'when', 'value'], template: '{{limit}}' },
    ]);
  });
});
