import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const options = { prompt: 'Qual é o seu e-mail?', variable: 'email' };
const answer = (text: string) => ({ kind: 'message', content: { type: 'text', text } }) as const;
const waiting = { for: 'input', attempts: 0 } as const;

describe('input.email', () => {
  it('asks with the prompt and waits', () => {
    expect(executor.enter(blockContext(definition, options))).toEqual({
      send: [{ type: 'text', text: 'Qual é o seu e-mail?' }],
      next: { wait: 'input' },
    });
  });

  it.each([
    ['an address', 'Ana@Gmail.com', {}, 'Ana@gmail.com'],
    ['spaces an autocorrect added', 'ana @ gmail . com', {}, 'ana@gmail.com'],
    [
      'a misspelling when typos are not checked',
      'ana@gmial.com',
      { suggestTypos: false },
      'ana@gmial.com',
    ],
    [
      'an address at an allowed domain',
      'ana@empresa.com.br',
      { allowedDomains: ['empresa.com.br'] },
      'ana@empresa.com.br',
    ],
  ])('stores %s', (_case, text, extra, value) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }),
      answer(text),
      waiting,
    );
    expect(step?.set).toEqual({ email: value });
    expect(step?.next).toEqual({ go: 'next' });
  });

  it.each([
    ['ana', {}, 'Falta o @ no e-mail. Envie o endereço completo, como nome@exemplo.com.br.'],
    [
      'ana@gmial.com',
      {},
      'Acho que houve um erro de digitação: você quis dizer ana@gmail.com? Envie o e-mail de novo.',
    ],
    [
      'ana@gmail.com',
      { rejectFreeProviders: true },
      'Use o e-mail da empresa, não um e-mail pessoal (@gmail.com).',
    ],
    [
      'ana@x.com',
      { allowedDomains: ['empresa.com.br'] },
      'Use o e-mail da empresa (@empresa.com.br).',
    ],
  ])('re-asks %j (%j) with the reason', (text, extra, reason) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }),
      answer(text),
      waiting,
    );
    expect(step?.send).toEqual([
      { type: 'text', text: reason },
      { type: 'text', text: 'Qual é o seu e-mail?' },
    ]);
    expect(step?.next).toEqual({ wait: 'input', attempts: 1 });
  });

  it.each([
    ['en', 'ana', 'The @ is missing. Send the whole address, like name@example.com.'],
    ['pt-PT', 'ana', 'Falta o @ no e-mail. Envie o endereço completo, como nome@exemplo.com.br.'],
    [
      'pt-PT',
      '',
      'Não consegui ler a sua resposta. Responda com uma mensagem de texto, por favor.',
    ],
  ] as const)('explains in %s', (locale, text, reason) => {
    const input = text
      ? answer(text)
      : ({ kind: 'message', content: { type: 'sticker', mediaId: 's1' } } as const);
    const step = executor.resume?.(blockContext(definition, options, { locale }), input, waiting);
    expect(step?.send?.[0]).toEqual({ type: 'text', text: reason });
  });

  it('takes the invalid port after the last wrong answer', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { ports: ['invalid'] }),
      answer('ana'),
      { for: 'input', attempts: 2 },
    );
    expect(step?.next).toEqual({ go: 'invalid' });
  });

  it('declares a string variable and the invalid port', () => {
    const parsed = definition.optionsSchema.parse(options);
    expect(definition.ports(parsed)).toEqual(['invalid']);
    expect(definition.writes?.(parsed)).toEqual([
      { path: ['variable'], name: 'email', types: ['string'] },
    ]);
  });

  it.each([
    ['an unknown option', { ...options, mobileOnly: true }],
    ['a domain list that is not a list', { ...options, allowedDomains: 'empresa.com.br' }],
    ['no variable', { prompt: 'x' }],
  ])('refuses %s', (_case, bad) => {
    expect(definition.optionsSchema.safeParse(bad).success).toBe(false);
  });
});
