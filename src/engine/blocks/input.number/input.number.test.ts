import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor, parseLocalizedNumber } from './execute.js';

const options = { prompt: 'Quantos dias durou a viagem?', variable: 'days' };
const answer = (text: string) => ({ kind: 'message', content: { type: 'text', text } }) as const;
const waiting = { for: 'input', attempts: 0 } as const;

describe('input.number', () => {
  it.each([
    ['12', 'pt-BR', 12],
    ['12,5', 'pt-BR', 12.5],
    ['1.234,5', 'pt-BR', 1234.5],
    ['1.234', 'pt-BR', 1234],
    ['1.234.567', 'pt-BR', 1_234_567],
    ['1 234,5', 'pt-PT', 1234.5],
    ['12.5', 'pt-BR', 12.5],
    [',5', 'pt-BR', 0.5],
    ['-3', 'pt-BR', -3],
    ['−3', 'pt-BR', -3],
    ['+7', 'pt-BR', 7],
    ['１２', 'pt-BR', 12],
    ['1,234.5', 'en', 1234.5],
    ['1,234', 'en', 1234],
    ['12.5', 'en', 12.5],
    ['12,5', 'en', 12.5],
    ['-0', 'en', 0],
  ] as const)('reads %j in %s as %d', (text, locale, value) => {
    expect(parseLocalizedNumber(text, locale)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'pt-BR', 'not-a-number'],
    ['doze', 'pt-BR', 'not-a-number'],
    ['12 anos', 'pt-BR', 'not-a-number'],
    ['1.23.4', 'pt-BR', 'not-a-number'],
    ['.', 'pt-BR', 'not-a-number'],
    ['1,2,3', 'pt-BR', 'not-a-number'],
    ['1,234.5', 'pt-BR', 'wrong-separators'],
    ['1,234,567', 'pt-BR', 'wrong-separators'],
    ['1.234,5', 'en', 'wrong-separators'],
    ['1234567890123456', 'pt-BR', 'too-many-digits'],
  ] as const)('refuses %j in %s as %s', (text, locale, code) => {
    expect(parseLocalizedNumber(text, locale)).toEqual({ ok: false, code });
  });

  it('stores the number and goes on', () => {
    const step = executor.resume?.(blockContext(definition, options), answer('4'), waiting);
    expect(step?.set).toEqual({ days: 4 });
    expect(step?.next).toEqual({ go: 'next' });
  });

  it.each([
    ['doze', {}, 'pt-BR', 'Não entendi esse número. Envie só o número, por exemplo 12 ou 12,5.'],
    [
      'doze',
      { integer: true },
      'pt-BR',
      'Não entendi esse número. Envie só o número, por exemplo 12.',
    ],
    [
      'doze',
      {},
      'pt-PT',
      'Não percebi esse número. Envie apenas o número, por exemplo 12 ou 12,5.',
    ],
    [
      'twelve',
      {},
      'en',
      'I could not read that as a number. Please send just the number, for example 12 or 12.5.',
    ],
    [
      '1,234.5',
      {},
      'pt-BR',
      'Use vírgula para as casas decimais e ponto para os milhares, por exemplo 1.234,5.',
    ],
    ['1.234,5', {}, 'en', 'Use a dot for decimals and commas for thousands, for example 1,234.5.'],
    [
      '1234567890123456',
      {},
      'pt-BR',
      'Esse número tem dígitos demais. Envie um número com até 15 dígitos.',
    ],
    [
      '2,5',
      { integer: true },
      'pt-BR',
      'Envie um número inteiro, sem casas decimais; você enviou 2,5.',
    ],
    ['2,5', { integer: true }, 'pt-PT', 'Envie um número inteiro, sem casas decimais; enviou 2,5.'],
    ['2.5', { integer: true }, 'en', 'Please send a whole number, without decimals; you sent 2.5.'],
    ['0', { min: 1 }, 'pt-BR', 'O número precisa ser pelo menos 1; você enviou 0.'],
    ['0', { min: 1 }, 'pt-PT', 'O número tem de ser pelo menos 1; enviou 0.'],
    ['0', { min: 1 }, 'en', 'The number must be at least 1; you sent 0.'],
    ['1.500', { max: 1000 }, 'pt-BR', 'O número pode ser no máximo 1.000; você enviou 1.500.'],
    ['1500', { max: 1000 }, 'pt-PT', 'O número pode ser no máximo 1000; enviou 1500.'],
    ['1,500', { max: 1000 }, 'en', 'The number must be at most 1,000; you sent 1,500.'],
    ['31', { min: 1, max: 30 }, 'pt-BR', 'O número precisa estar entre 1 e 30; você enviou 31.'],
    ['0,5', { min: 1, max: 30 }, 'pt-PT', 'O número tem de estar entre 1 e 30; enviou 0,5.'],
    ['-1', { min: 1, max: 30 }, 'en', 'The number must be between 1 and 30; you sent -1.'],
  ] as const)('re-asks %j (%j, %s) with the reason', (text, extra, locale, reason) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }, { locale }),
      answer(text),
      waiting,
    );
    expect(step?.send).toEqual([
      { type: 'text', text: reason },
      { type: 'text', text: 'Quantos dias durou a viagem?' },
    ]);
    expect(step?.next).toEqual({ wait: 'input', attempts: 1 });
  });

  it('asks for text when a photo comes', () => {
    const step = executor.resume?.(
      blockContext(definition, options),
      { kind: 'message', content: { type: 'image', mediaId: 'm1' } },
      waiting,
    );
    expect(step?.send?.[0]).toEqual({
      type: 'text',
      text: 'Não consegui ler sua resposta. Responda com uma mensagem de texto, por favor.',
    });
  });

  it('takes the invalid port after the last wrong answer', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { ports: ['invalid'] }),
      answer('doze'),
      { for: 'input', attempts: 2 },
    );
    expect(step?.next).toEqual({ go: 'invalid' });
  });

  it('declares a number variable', () => {
    expect(definition.writes?.(definition.optionsSchema.parse(options))).toEqual([
      { path: ['variable'], name: 'days', types: ['number'] },
    ]);
  });

  it.each([
    ['a minimum above the maximum', { ...options, min: 10, max: 1 }],
    ['a bound that is not a number', { ...options, min: '1' }],
    ['an unknown option', { ...options, decimals: 2 }],
  ])('refuses %s', (_case, bad) => {
    expect(definition.optionsSchema.safeParse(bad).success).toBe(false);
  });
});
