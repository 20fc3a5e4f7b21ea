import '@xyflow/react/dist/style.css';
import { Badge, Group, Paper, Stack, Text, Tooltip, useComputedColorScheme } from '@mantine/core';
import { IconAlertTriangle, IconPlayerPlayFilled } from '@tabler/icons-react';
import {
  Background,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
} from '@xyflow/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isDegradedOn } from './flow-capabilities';
import { defaultPort, type GraphBlock, layoutFlowGraph, readFlowGraph } from './flow-graph';

type BlockNodeData = GraphBlock & { isDegraded: boolean };
type BlockNode = Node<BlockNodeData, 'block'>;

/** Width of a block on the graph, in pixels (the layout leaves room between columns). */
const nodeWidth = 220;

/** One block: its title, its type, the start mark and the "becomes numbered text" warning. */
function BlockNodeView({ data }: NodeProps<BlockNode>) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      radius="md"
      p="xs"
      w={nodeWidth}
      shadow={data.isStart ? 'sm' : undefined}
      style={data.isStart ? { borderColor: 'var(--mantine-color-teal-6)' } : undefined}
      data-testid="graph-node"
      data-block-id={data.id}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <Stack gap={4}>
        <Group gap={6} wrap="nowrap">
          {data.isStart ? (
            <Tooltip label={t('flows.graph.start')}>
              <IconPlayerPlayFilled
                size={14}
                color="var(--mantine-color-teal-6)"
                aria-label={t('flows.graph.start')}
                data-testid="graph-start"
              />
            </Tooltip>
          ) : null}
          <Text size="sm" fw={600} truncate>
            {data.title}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" ff="monospace" truncate>
          {data.type || t('flows.graph.noType')}
        </Text>
        {data.isDegraded ? (
          <Tooltip label={t('flows.graph.degradedHint')} multiline w={240}>
            <Badge
              color="yellow"
              variant="light"
              radius="sm"
              size="sm"
              leftSection={<IconAlertTriangle size={12} />}
              data-testid="graph-degraded"
            >
              {t('flows.graph.degraded')}
            </Badge>
          </Tooltip>
        ) : null}
      </Stack>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </Paper>
  );
}

const nodeTypes = { block: BlockNodeView };

type FlowGraphViewProps = {
  /** The document, possibly invalid; what is not a block or an edge is left out. */
  document: unknown;
  /** What the chosen channel sends; undefined marks nothing. */
  sends: ReadonlySet<string> | undefined;
  height: string;
};

/** The flow as a read-only graph: blocks left to right from the start block. */
export function FlowGraphView({ document, sends, height }: FlowGraphViewProps) {
  const { t } = useTranslation();
  const colorScheme = useComputedColorScheme('light');
  const { nodes, edges } = useMemo(() => {
    const graph = readFlowGraph(document);
    const positions = layoutFlowGraph(graph);
    const nodes: BlockNode[] = graph.blocks.map((block) => ({
      id: block.id,
      type: 'block',
      position: positions.get(block.id) ?? { x: 0, y: 0 },
      data: { ...block, isDegraded: isDegradedOn(block, sends) },
    }));
    const edges: Edge[] = graph.edges.map((edge) => ({
      id: `${edge.from}\u0000${edge.port}`,
      source: edge.from,
      target: edge.to,
      type: 'smoothstep',
      markerEnd: { type: MarkerType.ArrowClosed },
      ...(edge.port === defaultPort
        ? {}
        : {
            label: edge.port,
            labelBgPadding: [6, 3] as [number, number],
            labelBgBorderRadius: 4,
          }),
    }));
    return { nodes, edges };
  }, [document, sends]);
  const ariaLabelConfig = useMemo(
    () => ({
      'controls.ariaLabel': t('flows.graph.controls'),
      'controls.zoomIn.ariaLabel': t('flows.graph.zoomIn'),
      'controls.zoomOut.ariaLabel': t('flows.graph.zoomOut'),
      'controls.fitView.ariaLabel': t('flows.graph.fitView'),
      'node.a11yDescription.default': t('flows.graph.nodeHint'),
      'node.a11yDescription.keyboardDisabled': t('flows.graph.nodeHint'),
      'edge.a11yDescription.default': t('flows.graph.nodeHint'),
      'handle.ariaLabel': t('flows.graph.handle'),
    }),
    [t],
  );

  return (
    <Paper withBorder radius="md" h={height} data-testid="flow-graph">
      {nodes.length === 0 ? (
        <Stack h="100%" align="center" justify="center">
          <Text c="dimmed" size="sm">
            {t('flows.graph.empty')}
          </Text>
        </Stack>
      ) : (
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          colorMode={colorScheme}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          edgesFocusable={false}
          fitView
          fitViewOptions={{ padding: 0.15 }}
          minZoom={0.2}
          ariaLabelConfig={ariaLabelConfig}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </Paper>
  );
}
