import type { FlowEdge } from '../../../../src/shared/flows/flow-document';

/**
 * The flow document as a graph for the read-only view: blocks as nodes, `next` and `on`
 * ports as edges (what `edgesOf` in src/shared/flows/flow-document.ts returns, read here
 * without zod so it stays out of the bundle), laid out in layers from the start block. The
 * editor's text may be half written: whatever is not a block or an edge is left out, nothing
 * throws. Pure: no React, no DOM.
 */

/** The edge label of the default way on; it is drawn without a label. */
export const defaultPort = 'next';

export type GraphBlock = {
  id: string;
  /** The block's label, else its id. */
  title: string;
  /** `message.text`, ...; empty when the document has none. */
  type: string;
  options: Record<string, unknown>;
  isStart: boolean;
  /** The stored position, when the document has one. */
  position?: GraphPosition;
};

export type GraphPosition = { x: number; y: number };

export type FlowGraph = {
  start: string | undefined;
  blocks: GraphBlock[];
  /** Edges between blocks that exist (a dangling edge is an issue of the document). */
  edges: FlowEdge[];
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPosition(value: unknown): GraphPosition | undefined {
  if (!isRecord(value)) return undefined;
  const { x, y } = value;
  return typeof x === 'number' && Number.isFinite(x) && typeof y === 'number' && Number.isFinite(y)
    ? { x, y }
    : undefined;
}

/** The blocks and edges of a (possibly invalid) flow document. */
export function readFlowGraph(document: unknown): FlowGraph {
  if (!isRecord(document)) return { start: undefined, blocks: [], edges: [] };
  const start = typeof document.start === 'string' ? document.start : undefined;
  const rawBlocks = isRecord(document.blocks) ? document.blocks : {};
  const blocks: GraphBlock[] = [];
  const edges: FlowEdge[] = [];
  for (const [id, raw] of Object.entries(rawBlocks)) {
    const block = isRecord(raw) ? raw : {};
    const label = typeof block.label === 'string' && block.label.trim() ? block.label : undefined;
    const position = readPosition(block.position);
    blocks.push({
      id,
      title: label ?? id,
      type: typeof block.type === 'string' ? block.type : '',
      options: isRecord(block.options) ? block.options : {},
      isStart: id === start,
      ...(position ? { position } : {}),
    });
    // As edgesOf: `next` first, then the ports in their written order.
    if (typeof block.next === 'string') edges.push({ from: id, port: defaultPort, to: block.next });
    if (isRecord(block.on)) {
      for (const [port, to] of Object.entries(block.on)) {
        if (typeof to === 'string') edges.push({ from: id, port, to });
      }
    }
  }
  const ids = new Set(blocks.map((block) => block.id));
  return { start, blocks, edges: edges.filter((edge) => ids.has(edge.to)) };
}

/** Space between layers (columns) and between blocks of one layer (rows), in pixels. */
export const layerGap = 280;
export const rowGap = 130;

/**
 * Where each block is drawn: its stored position, else a layered layout — the layer (column)
 * is the block's distance from the start block (breadth-first, edges in document order), the
 * row its order within the layer. Blocks no path reaches get a last layer of their own.
 */
export function layoutFlowGraph(graph: FlowGraph): Map<string, GraphPosition> {
  const ids = new Set(graph.blocks.map((block) => block.id));
  const depth = new Map<string, number>();
  const outgoing = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const targets = outgoing.get(edge.from) ?? [];
    targets.push(edge.to);
    outgoing.set(edge.from, targets);
  }
  if (graph.start !== undefined && ids.has(graph.start)) {
    depth.set(graph.start, 0);
    const queue = [graph.start];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const next = (depth.get(id) ?? 0) + 1;
      for (const to of outgoing.get(id) ?? []) {
        if (!depth.has(to)) {
          depth.set(to, next);
          queue.push(to);
        }
      }
    }
  }
  const unreachedLayer = depth.size === 0 ? 0 : Math.max(...depth.values()) + 1;
  // Layers in the order blocks were reached (BFS order), unreached ones in document order.
  const order = [...depth.keys(), ...graph.blocks.map((b) => b.id).filter((id) => !depth.has(id))];
  const rowsUsed = new Map<number, number>();
  const positions = new Map<string, GraphPosition>();
  const stored = new Map(graph.blocks.map((block) => [block.id, block.position]));
  for (const id of order) {
    const position = stored.get(id);
    if (position) {
      positions.set(id, position);
      continue;
    }
    const layer = depth.get(id) ?? unreachedLayer;
    const row = rowsUsed.get(layer) ?? 0;
    rowsUsed.set(layer, row + 1);
    positions.set(id, { x: layer * layerGap, y: row * rowGap });
  }
  return positions;
}
