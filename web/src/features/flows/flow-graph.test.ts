import { describe, expect, it } from 'vitest';
import { edgesOf, type FlowDocument } from '../../../../src/shared/flows/flow-document';
import { channelSends, interactiveNeedOf, isDegradedOn } from './flow-capabilities';
import { layerGap, layoutFlowGraph, readFlowGraph, rowGap } from './flow-graph';

const document = {
  schemaVersion: 1,
  name: 'Atendimento',
  start: 'menu',
  blocks: {
    menu: {
      type: 'message.buttons',
      label: 'Boas-vindas',
      options: { text: 'Oi', buttons: [{ id: 'pedido', title: 'Pedido' }] },
      next: 'fim',
      on: { pedido: 'ask', invalid: 'fim' },
    },
    ask: { type: 'input.text', options: {}, next: 'fim', on: { invalid: 'ask' } },
    fim: { type: 'message.text', options: { text: 'Tchau' } },
    orphan: { type: 'message.text', options: { text: '?' } },
  },
};

describe('readFlowGraph', () => {
  it('gives the edges edgesOf gives, in the same order', () => {
    const graph = readFlowGraph(document);
    expect(graph.edges).toEqual(edgesOf(document as unknown as FlowDocument));
  });

  it('names blocks by label, else id, and marks the start block', () => {
    const graph = readFlowGraph(document);
    expect(graph.blocks.map((b) => [b.id, b.title, b.type, b.isStart])).toEqual([
      ['menu', 'Boas-vindas', 'message.buttons', true],
      ['ask', 'ask', 'input.text', false],
      ['fim', 'fim', 'message.text', false],
      ['orphan', 'orphan', 'message.text', false],
    ]);
  });

  it.each<[string, unknown, number, number]>([
    ['not an object', [1, 2], 0, 0],
    ['no blocks', { start: 'a' }, 0, 0],
    ['a block that is not an object', { blocks: { a: 3 } }, 1, 0],
    ['an edge to a missing block', { blocks: { a: { next: 'nope', on: { x: 'a' } } } }, 1, 1],
    ['an edge that is not text', { blocks: { a: { next: 4, on: { x: null } } } }, 1, 0],
  ])('reads a half-written document (%s) without throwing', (_name, input, blocks, edges) => {
    const graph = readFlowGraph(input);
    expect(graph.blocks).toHaveLength(blocks);
    expect(graph.edges).toHaveLength(edges);
  });
});

describe('layoutFlowGraph', () => {
  it('puts each block in the column of its distance from the start, rows in reach order', () => {
    const positions = layoutFlowGraph(readFlowGraph(document));
    expect(Object.fromEntries(positions)).toEqual({
      menu: { x: 0, y: 0 },
      // `next` (fim) comes before the ports, so fim is reached first.
      fim: { x: layerGap, y: 0 },
      ask: { x: layerGap, y: rowGap },
      // Unreachable: a layer after the last.
      orphan: { x: 2 * layerGap, y: 0 },
    });
  });

  it('keeps stored positions and lays out only the others', () => {
    const withPosition = structuredClone(document) as typeof document & {
      blocks: { fim: { position?: { x: number; y: number } } };
    };
    withPosition.blocks.fim.position = { x: 900, y: -40 };
    const positions = layoutFlowGraph(readFlowGraph(withPosition));
    expect(positions.get('fim')).toEqual({ x: 900, y: -40 });
    // fim no longer takes the first row of its layer.
    expect(positions.get('ask')).toEqual({ x: layerGap, y: 0 });
  });

  it('lays out a loop without going round it forever', () => {
    const loop = {
      start: 'a',
      blocks: { a: { next: 'b' }, b: { next: 'c' }, c: { next: 'a' } },
    };
    expect(layoutFlowGraph(readFlowGraph(loop)).get('c')).toEqual({ x: 2 * layerGap, y: 0 });
  });

  it('with no start block, puts every block in one column', () => {
    const positions = layoutFlowGraph(readFlowGraph({ blocks: { a: {}, b: {} } }));
    expect([...positions.values()]).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: rowGap },
    ]);
  });
});

describe('blocks a channel cannot render', () => {
  const choices = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ id: `c${index}`, title: `${index}` }));

  it.each<[string, { type: string; options: Record<string, unknown> }, string | undefined]>([
    ['message.buttons', { type: 'message.buttons', options: {} }, 'buttons'],
    ['message.list', { type: 'message.list', options: {} }, 'list'],
    [
      'input.choice, 3 choices',
      { type: 'input.choice', options: { choices: choices(3) } },
      'buttons',
    ],
    ['input.choice, 4 choices', { type: 'input.choice', options: { choices: choices(4) } }, 'list'],
    [
      'input.choice, 11 choices',
      { type: 'input.choice', options: { choices: choices(11) } },
      undefined,
    ],
    [
      'input.choice shown as text',
      { type: 'input.choice', options: { display: 'text', choices: choices(2) } },
      undefined,
    ],
    [
      'input.choice shown as a list',
      { type: 'input.choice', options: { display: 'list', choices: choices(2) } },
      'list',
    ],
    ['message.text', { type: 'message.text', options: {} }, undefined],
  ])('%s needs %s', (_name, block, need) => {
    expect(interactiveNeedOf(block)).toBe(need);
  });

  const providers = [
    { id: 'sandbox', capabilities: capabilities(['text', 'buttons', 'list']) },
    { id: 'twilio', capabilities: capabilities(['text', 'image']) },
  ];

  it.each<[string, { provider: string; config: Record<string, unknown> }, boolean, boolean]>([
    [
      'an interactive sandbox',
      { provider: 'sandbox', config: { interactive: true } },
      false,
      false,
    ],
    ['a sandbox by default', { provider: 'sandbox', config: {} }, false, false],
    ['a plain-text sandbox', { provider: 'sandbox', config: { interactive: false } }, true, true],
    ['Twilio', { provider: 'twilio', config: {} }, true, true],
    ['an unknown provider', { provider: 'nope', config: {} }, true, true],
  ])('on %s: buttons degrade %s, lists %s', (_name, channel, buttons, list) => {
    const sends = channelSends(channel, providers);
    expect(isDegradedOn({ type: 'message.buttons', options: {} }, sends)).toBe(buttons);
    expect(isDegradedOn({ type: 'message.list', options: {} }, sends)).toBe(list);
    expect(isDegradedOn({ type: 'message.text', options: {} }, sends)).toBe(false);
  });

  it('marks nothing before a channel is chosen', () => {
    expect(isDegradedOn({ type: 'message.buttons', options: {} }, undefined)).toBe(false);
  });
});

function capabilities(sends: string[]) {
  return {
    sends,
    hasServiceWindow: false,
    requiresTemplatesOutsideWindow: false,
    hasQrSession: false,
    defaultRatePerSecond: 10,
  };
}
