import { describe, expect, it } from 'vitest';
import { edgesOf, type FlowDocument } from '../../../../src/shared/flows/flow-document';
import { flowLocaleOf, formatFlowDocument, newFlowDocument } from './flow-template';

const texts = {
  welcome: 'Olá!',
  welcomeLabel: 'Boas-vindas',
  orderButton: 'Pedido',
  humanButton: 'Atendente',
  askOrder: 'O que deseja?',
  askOrderLabel: 'Pergunta',
  orderDescription: 'O pedido',
  confirmation: 'Anotado: {{pedido}}.',
};

describe('newFlowDocument', () => {
  it('starts at an existing block, every edge reaches a block and every block is reached', () => {
    const document = newFlowDocument('Vendas', 'pt-BR', texts) as FlowDocument;
    const ids = Object.keys(document.blocks);
    expect(ids).toContain(document.start);
    const edges = edgesOf(document);
    for (const edge of edges) expect(ids).toContain(edge.to);
    const reached = new Set([document.start, ...edges.map((edge) => edge.to)]);
    expect([...reached].sort()).toEqual([...ids].sort());
    expect(document.name).toBe('Vendas');
    // Its template reads a declared variable.
    expect(Object.keys(document.variables ?? {})).toEqual(['pedido']);
  });

  it.each([
    ['pt-BR', 'pt-BR'],
    ['pt-PT', 'pt-PT'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['es', 'pt-BR'],
  ])('speaks %s as the flow locale %s', (language, locale) => {
    expect(flowLocaleOf(language)).toBe(locale);
  });
});

describe('formatFlowDocument', () => {
  it('puts the envelope and each block in reading order, whatever order the server kept', () => {
    // As JSONB gives it back: shorter keys first.
    const stored = {
      name: 'Vendas',
      start: 'a',
      blocks: { a: { on: { x: 'b' }, next: 'b', type: 'message.text', options: {}, extra: 1 } },
      locale: 'pt-BR',
      variables: {},
      schemaVersion: 1,
    };
    const text = formatFlowDocument(stored);
    expect(JSON.parse(text)).toEqual(stored);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'schemaVersion',
      'name',
      'locale',
      'variables',
      'start',
      'blocks',
    ]);
    expect(Object.keys(JSON.parse(text).blocks.a)).toEqual([
      'type',
      'options',
      'next',
      'on',
      'extra',
    ]);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });

  it('leaves what is not an object as it is', () => {
    expect(formatFlowDocument([1, 2])).toBe('[\n  1,\n  2\n]');
    expect(formatFlowDocument(null)).toBe('null');
  });
});
