import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

// The test clock is Monday 2026-11-23, 12:00 in São Paulo.
const options = { prompt: 'Quando foi a despesa?', variable: 'spentOn' };
const answer = (text: string) => ({ kind: 'message', content: { type: 'text', text } }) as const;
const waiting = { for: 'input', attempts: 0 } as const;

describe('input.date', () => {
  it.each([
    ['amanhã', {}, '2026-11-24'],
    ['sexta', {}, '2026-11-27'],
    ['ontem', { direction: 'past' }, '2026-11-22'],
    ['10/12/2026', {}, '2026-12-10'],
  ])('stores %j (%j) as an ISO day', (text, extra, value) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }),
      answer(text),
      waiting,
    );
    expect(step?.set).toEqual({ spentOn: value });
    expect(step?.next).toEqual({ go: 'next' });
  });

  it('sees "hoje" in the flow time zone', () => {
    // 02:00 UTC on the 24th is still the 23rd in São Paulo, already the 24th in Lisbon.
    const env = { now: new Date('2026-11-24T02:00:00Z') };
    const saoPaulo = executor.resume?.(
      blockContext(definition, options, { env }),
      answer('hoje'),
      waiting,
    );
    const lisbon = executor.resume?.(
      blockContext(definition, options, { env, timeZone: 'Europe/Lisbon', locale: 'pt-PT' }),
      answer('hoje'),
      waiting,
    );
    expect(saoPaulo?.set).toEqual({ spentOn: '2026-11-23' });
    expect(lisbon?.set).toEqual({ spentOn: '2026-11-24' });
  });

  it.each([
    ['31/02', {}, 'Fevereiro não tem dia 31; tem 29 dias.'],
    [
      'ontem',
      { direction: 'future' },
      '22/11/2026 já passou; a data precisa ser de hoje em diante.',
    ],
    ['hoje', { allowToday: false }, 'Hoje não vale: a data precisa ser diferente de hoje.'],
    [
      '10/12/2020',
      { maxDaysInPast: 30 },
      '10/12/2020 é antiga demais: a data não pode ser anterior a 24/10/2026.',
    ],
  ])('re-asks %j (%j) with the reason', (text, extra, reason) => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, ...extra }),
      answer(text),
      waiting,
    );
    expect(step?.send).toEqual([
      { type: 'text', text: reason },
      { type: 'text', text: 'Quando foi a despesa?' },
    ]);
    expect(step?.next).toEqual({ wait: 'input', attempts: 1 });
  });

  it('explains in English', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { locale: 'en' }),
      answer('31/02'),
      waiting,
    );
    expect(step?.send?.[0]).toEqual({
      type: 'text',
      text: 'February has no day 31; it has 29 days.',
    });
  });

  it('takes the invalid port after the last wrong answer', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { ports: ['invalid'] }),
      answer('31/02'),
      { for: 'input', attempts: 2 },
    );
    expect(step?.next).toEqual({ go: 'invalid' });
  });

  it('declares a date variable', () => {
    expect(definition.writes?.(definition.optionsSchema.parse(options))).toEqual([
      { path: ['variable'], name: 'spentOn', types: ['date'] },
    ]);
  });

  it.each([
    ['an unknown direction', { ...options, direction: 'soon' }],
    ['a time zone (the flow has one)', { ...options, timeZone: 'Europe/Lisbon' }],
    ['negative days', { ...options, maxDaysInPast: -1 }],
  ])('refuses %s', (_case, bad) => {
    expect(definition.optionsSchema.safeParse(bad).success).toBe(false);
  });
});
