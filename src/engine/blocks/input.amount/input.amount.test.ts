import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const options = { prompt: 'Qual foi o valor?', variable: 'total' };
const answer = (text: string) => ({ kind: 'message', content: { type: 'text', text } }) as const;
const waiting = { for: 'input', attempts: 0 } as const;

describe('input.amount', () => {
  it.each([
    ['R$ 1.234,56', {}, 'pt-BR', { cents: 123456, currency: 'BRL' }],
    ['150,50', {}, 'pt-BR', { cents: 15050, currency: 'BRL' }],
    ['2 mil', {}, 'pt-BR', { cents: 200000, currency: 'BRL' }],
    ['12,30', {}, 'pt-PT', { cents: 1230, currency: 'EUR' }],
    ['12,30', { currency: 'EUR' }, 'pt-BR', { cents: 1230, currency: 'EUR' }],
    ['0', { allowZero: true }, 'pt-BR', { cents: 0, currency: 'BRL' }],
  ] as const)('stores %j (%j, %s)', (text, extra, locale, value) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }, { locale }),
      answer(text),
      waiting,
    );
    expect(step?.set).toEqual({ total: value });
    expect(step?.next).toEqual({ go: 'next' });
  });

  it.each([
    ['0', {}, 'O valor precisa ser maior que zero.'],
    ['5', { minCents: 1000 }, 'O valor mínimo é R$ 10,00; você enviou R$ 5,00.'],
    ['2000', { maxCents: 100000 }, 'O valor máximo é R$ 1.000,00; você enviou R$ 2.000,00.'],
    ['€ 10', { currency: 'BRL' }, 'O valor precisa ser em reais (R$).'],
    ['1,234.56', {}, 'Use vírgula para os centavos e ponto para os milhares, como 1.234,56.'],
  ])('re-asks %j (%j) with the reason', (text, extra, reason) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }),
      answer(text),
      waiting,
    );
    expect(step?.send).toEqual([
      { type: 'text', text: reason },
      { type: 'text', text: 'Qual foi o valor?' },
    ]);
    expect(step?.next).toEqual({ wait: 'input', attempts: 1 });
  });

  it('explains in English', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { locale: 'en' }),
      answer('0'),
      waiting,
    );
    expect(step?.send?.[0]).toEqual({
      type: 'text',
      text: 'The amount must be greater than zero.',
    });
  });

  it('takes the invalid port after the last wrong answer', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { ports: ['invalid'] }),
      answer('0'),
      { for: 'input', attempts: 2 },
    );
    expect(step?.next).toEqual({ go: 'invalid' });
  });

  it('declares an amount variable', () => {
    expect(definition.writes?.(definition.optionsSchema.parse(options))).toEqual([
      { path: ['variable'], name: 'total', types: ['amount'] },
    ]);
  });

  it.each([
    ['a minimum above the maximum', { ...options, minCents: 500, maxCents: 100 }],
    ['an unsupported currency', { ...options, currency: 'USD' }],
    ['cents that are not whole', { ...options, minCents: 10.5 }],
  ])('refuses %s', (_case, bad) => {
    expect(definition.optionsSchema.safeParse(bad).success).toBe(false);
  });
});
