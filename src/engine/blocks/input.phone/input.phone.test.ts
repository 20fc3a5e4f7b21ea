import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const options = { prompt: 'Qual é o seu celular?', variable: 'phone' };
const answer = (text: string) => ({ kind: 'message', content: { type: 'text', text } }) as const;
const waiting = { for: 'input', attempts: 0 } as const;

describe('input.phone', () => {
  it.each([
    ['a Brazilian mobile with DDD', '(11) 98765-4321', {}, 'pt-BR', '+5511987654321'],
    ['an international number', '+351 912 345 678', {}, 'pt-BR', '+351912345678'],
    ['a Portuguese number in a pt-PT flow', '912 345 678', {}, 'pt-PT', '+351912345678'],
    [
      'a number of an allowed country',
      '11 98765-4321',
      { allowedCountries: ['BR'] },
      'pt-BR',
      '+5511987654321',
    ],
  ] as const)('stores %s in E.164', (_case, text, extra, locale, value) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }, { locale }),
      answer(text),
      waiting,
    );
    expect(step?.set).toEqual({ phone: value });
    expect(step?.next).toEqual({ go: 'next' });
  });

  it.each([
    ['98765-4321', {}, 'Faltou o DDD. Envie o número com DDD, como (11) 98765-4321.'],
    ['abc', {}, 'Envie só o número de telefone, com DDD, como (11) 98765-4321.'],
    [
      '+351 912 345 678',
      { allowedCountries: ['BR'] },
      'Aqui só aceitamos números destes países: BR.',
    ],
    [
      '(11) 3456-7890',
      { mobileOnly: true },
      'Esse número é de telefone fixo. Envie um número de celular.',
    ],
  ])('re-asks %j (%j) with the reason', (text, extra, reason) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }),
      answer(text),
      waiting,
    );
    expect(step?.send).toEqual([
      { type: 'text', text: reason },
      { type: 'text', text: 'Qual é o seu celular?' },
    ]);
    expect(step?.next).toEqual({ wait: 'input', attempts: 1 });
  });

  it('explains in English', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { locale: 'en' }),
      answer('98765-4321'),
      waiting,
    );
    expect(step?.send?.[0]).toEqual({
      type: 'text',
      text: 'The area code (DDD) is missing. Send the number with it, like (11) 98765-4321.',
    });
  });

  it('takes the invalid port after the last wrong answer', () => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, maxAttempts: 1 }, { ports: ['invalid'] }),
      answer('abc'),
      waiting,
    );
    expect(step?.next).toEqual({ go: 'invalid' });
  });

  it.each([
    ['the locale (the flow decides it)', { ...options, locale: 'pt-PT' }],
    ['a country code in lower case', { ...options, allowedCountries: ['br'] }],
    ['an unknown default country', { ...options, defaultCountry: 'US' }],
  ])('refuses %s', (_case, bad) => {
    expect(definition.optionsSchema.safeParse(bad).success).toBe(false);
  });
});
