import { Alert, Group, Select, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { providerLabel } from '../channels/channel-labels';
import { useChannelProvidersQuery, useChannelsQuery } from '../channels/channels-api';
import { channelSends } from './flow-capabilities';
import { FlowGraphView } from './flow-graph-view';

type FlowGraphPanelProps = {
  document: unknown;
  /** The editor's text is not JSON right now: the graph shows the last text that was. */
  isStale: boolean;
};

/** The graph with a channel to check it against: blocks it cannot render are marked. */
export function FlowGraphPanel({ document, isStale }: FlowGraphPanelProps) {
  const { t } = useTranslation();
  const channels = useChannelsQuery();
  const providers = useChannelProvidersQuery();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const channel =
    channels.data?.find((candidate) => candidate.id === chosenId) ?? channels.data?.[0];
  const sends = useMemo(
    () => (channel && providers.data ? channelSends(channel, providers.data) : undefined),
    [channel, providers.data],
  );

  return (
    <Stack gap="sm">
      <Group align="flex-end" justify="space-between">
        <Select
          label={t('flows.graph.channel')}
          description={t('flows.graph.channelHint')}
          placeholder={t('flows.graph.noChannel')}
          data={(channels.data ?? []).map((candidate) => ({
            value: candidate.id,
            label: `${candidate.name} · ${providerLabel(t, candidate.provider)}`,
          }))}
          value={channel?.id ?? null}
          onChange={setChosenId}
          allowDeselect={false}
          w={360}
        />
        {sends && channel ? (
          <Text size="sm" c="dimmed" data-testid="graph-channel-capability">
            {sends.has('buttons') && sends.has('list')
              ? t('flows.graph.rendersInteractive', { name: channel.name })
              : t('flows.graph.rendersText', { name: channel.name })}
          </Text>
        ) : null}
      </Group>
      {isStale ? (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
          {t('flows.graph.stale')}
        </Alert>
      ) : null}
      <FlowGraphView document={document} sends={sends} height="max(420px, calc(100dvh - 380px))" />
    </Stack>
  );
}
