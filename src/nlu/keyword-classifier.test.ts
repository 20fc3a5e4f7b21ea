import { describe, expect, it } from 'vitest';
import type { IntentDefinition } from './intent-classifier.js';
import { classifyByKeywords } from './keyword-classifier.js';
import { stemWord, tokenize } from './portuguese-text.js';

const intents: IntentDefinition[] = [
  { id: 'cancel', keywords: ['cancelar', 'desistir'] },
  { id: 'human', keywords: ['atendente', 'falar com uma pessoa', 'humano'] },
  { id: 'refund', keywords: ['reembolso'], examples: ['quero meu dinheiro de volta'] },
  { id: 'yes', keywords: ['sim', 'claro', '👍'] },
  { id: 'no', keywords: ['não', 'não quero'] },
  { id: 'trips', keywords: ['viagem'] },
];

const best = (text: string) => classifyByKeywords(text, intents)[0];

describe('stemWord', () => {
  it.each([
    ['cancelar', 'cancel'],
    ['cancela', 'cancel'],
    ['cancelado', 'cancel'],
    ['cancelamento', 'cancel'],
    ['viagens', 'viag'],
    ['viagem', 'viag'],
    ['botoes', 'botao'],
    ['reais', 'real'],
    ['confirmacoes', 'confirm'],
    ['confirmar', 'confirm'],
    ['mais', 'mais'],
    ['nao', 'nao'],
    ['onibus', 'onibus'],
  ])('%s → %s', (word, stem) => {
    expect(stemWord(word)).toBe(stem);
  });
});

describe('tokenize', () => {
  it('folds accents and case, keeps emoji, and marks clauses', () => {
    const tokens = tokenize('Não, QUERO cancelar 👍');
    expect(tokens.map((token) => [token.word, token.clause])).toEqual([
      ['nao', 0],
      ['quero', 1],
      ['cancelar', 1],
      ['👍', 1],
    ]);
  });
});

describe('classifyByKeywords', () => {
  it.each([
    // [text, best intent or undefined, minimum score]
    ['cancelar', 'cancel', 1],
    ['CANCELAMENTO', 'cancel', 0.9],
    ['Quero cancelar minha viagem', 'cancel', 0.9],
    ['Cancelei a reserva', 'cancel', 0.9],
    ['cancelr', 'cancel', 0.8],
    ['Quero falar com uma pessoa, por favor', 'human', 0.9],
    ['quero falar com pessoa de verdade', 'human', 0.7],
    ['ATENDENTE!!', 'human', 1],
    ['Quero o reembolso', 'refund', 0.9],
    ['Quero o dinheiro de volta', 'refund', 0.6],
    ['👍', 'yes', 1],
    ['Sim!', 'yes', 1],
    ['não quero cancelar', 'no', 0.9],
    ['nao quero cancelar', 'no', 0.9],
    ['Minhas viagens', 'trips', 0.9],
    ['Não, quero cancelar', 'cancel', 0.9],
  ])('%j → %s', (text, intent, minimum) => {
    const result = best(text);
    expect(result?.intent).toBe(intent);
    expect(result?.score).toBeGreaterThanOrEqual(minimum);
    expect(result?.score).toBeLessThanOrEqual(1);
  });

  it.each([['apagar tudo'], ['bom dia'], [''], ['   ']])('%j matches nothing', (text) => {
    expect(classifyByKeywords(text, intents)).toEqual([]);
  });

  it('does not count a negated keyword', () => {
    const scores = classifyByKeywords('eu nunca pedi reembolso', intents);
    expect(scores.find((score) => score.intent === 'refund')).toBeUndefined();
  });

  it('matches whole words only', () => {
    const scores = classifyByKeywords('simulação', [{ id: 'yes', keywords: ['sim'] }]);
    expect(scores).toEqual([]);
  });

  it('ranks a longer matching phrase above a shorter one and keeps order on ties', () => {
    const scores = classifyByKeywords('falar com atendente humano', [
      { id: 'a', keywords: ['humano'] },
      { id: 'b', keywords: ['falar com atendente'] },
      { id: 'c', keywords: ['humano'] },
    ]);
    expect(scores.map((score) => score.intent)).toEqual(['b', 'a', 'c']);
  });

  it('halves an example whose negation differs from the text', () => {
    const example = [{ id: 'refund', examples: ['quero meu dinheiro de volta'] }];
    const plain = classifyByKeywords('dinheiro de volta', example)[0]?.score ?? 0;
    const negated = classifyByKeywords('não quero dinheiro de volta', example)[0]?.score ?? 0;
    expect(negated).toBeCloseTo(plain / 2, 2);
  });
});
