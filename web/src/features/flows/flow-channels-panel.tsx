import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconPlugConnected,
  IconStar,
  IconTags,
  IconUnlink,
} from '@tabler/icons-react';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifyFailure, notifySuccess } from '../../components/notify';
import { describeError } from '../../i18n/describe-error';
import { type Channel, useChannelsQuery } from '../channels/channels-api';
import { describeFlowError } from './flow-errors';
import {
  type Flow,
  type FlowTrigger,
  useAddTrigger,
  useChannelFlowsQueries,
  useRemoveTrigger,
} from './flows-api';

type Binding = { channel: Channel; trigger: FlowTrigger };

/**
 * Where this flow starts: the channels it is the default flow of (any message from someone
 * not in a flow) or a keyword flow of; admins bind it to more and unbind it.
 */
export function FlowChannelsPanel({ flow, isManager }: { flow: Flow; isManager: boolean }) {
  const { t } = useTranslation();
  const channels = useChannelsQuery();
  const channelIds = useMemo(() => (channels.data ?? []).map((c) => c.id), [channels.data]);
  const settings = useChannelFlowsQueries(channelIds);
  const removeTrigger = useRemoveTrigger();
  const [unbinding, setUnbinding] = useState<Binding | null>(null);

  const triggersByChannel = new Map(
    settings.flatMap((query) => (query.data ? [[query.data.channelId, query.data.triggers]] : [])),
  );
  const bindings: Binding[] = (channels.data ?? []).flatMap((channel) =>
    (triggersByChannel.get(channel.id) ?? [])
      .filter((trigger) => trigger.flowId === flow.id)
      .map((trigger) => ({ channel, trigger })),
  );
  const loadError = channels.error ?? settings.find((query) => query.isError)?.error;
  const isLoading = channels.isPending || settings.some((query) => query.isPending);

  const unbind = (binding: Binding) =>
    removeTrigger.mutate(
      { channelId: binding.channel.id, triggerId: binding.trigger.id },
      {
        onSuccess: () => {
          notifySuccess(t('flows.bind.notify.removed', { channel: binding.channel.name }));
          setUnbinding(null);
        },
        onError: (error) => notifyFailure(t('errors.generic'), describeFlowError(t, error)),
      },
    );

  return (
    <Stack gap="lg">
      {loadError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          {t('flows.bind.loadError')} {describeError(t, loadError)}
        </Alert>
      ) : null}

      <Paper withBorder radius="lg">
        <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="flow-bindings">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('flows.bind.columns.channel')}</Table.Th>
              <Table.Th>{t('flows.bind.columns.how')}</Table.Th>
              {isManager ? <Table.Th w={56} /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!isLoading && bindings.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={isManager ? 3 : 2}>
                  <EmptyState
                    icon={<IconPlugConnected size={26} />}
                    title={t('flows.bind.empty')}
                    py="lg"
                  />
                </Table.Td>
              </Table.Tr>
            ) : null}
            {bindings.map((binding) => (
              <Table.Tr key={binding.trigger.id} data-testid="flow-binding">
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {binding.channel.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {binding.trigger.kind === 'default' ? (
                    <Badge variant="light" radius="sm" leftSection={<IconStar size={12} />}>
                      {t('flows.bind.default')}
                    </Badge>
                  ) : (
                    <Group gap={4}>
                      <Text size="sm" c="dimmed">
                        {t('flows.bind.keywords')}
                      </Text>
                      {binding.trigger.keywords.map((keyword) => (
                        <Badge key={keyword} variant="outline" radius="sm" tt="none">
                          {keyword}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                {isManager ? (
                  <Table.Td>
                    <Tooltip label={t('flows.bind.unbind')}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('flows.bind.unbindFrom', { channel: binding.channel.name })}
                        loading={
                          removeTrigger.isPending &&
                          removeTrigger.variables?.triggerId === binding.trigger.id
                        }
                        onClick={() => setUnbinding(binding)}
                      >
                        <IconUnlink size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      {isManager ? (
        <BindForm
          flow={flow}
          channels={channels.data ?? []}
          triggersByChannel={triggersByChannel}
        />
      ) : null}

      <ConfirmModal
        opened={unbinding !== null}
        title={t('flows.bind.confirmUnbind.title')}
        message={t('flows.bind.confirmUnbind.body', {
          flow: flow.name,
          channel: unbinding?.channel.name ?? '',
        })}
        confirmLabel={t('flows.bind.unbind')}
        isPending={removeTrigger.isPending}
        onConfirm={() => unbinding && unbind(unbinding)}
        onClose={() => setUnbinding(null)}
      />
    </Stack>
  );
}

type BindFormProps = {
  flow: Flow;
  channels: readonly Channel[];
  triggersByChannel: ReadonlyMap<string, readonly FlowTrigger[]>;
};

/** Pick a channel; make this flow its default, or add keywords that start it there. */
function BindForm({ flow, channels, triggersByChannel }: BindFormProps) {
  const { t } = useTranslation();
  const addTrigger = useAddTrigger();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [isKeywordsOpen, setIsKeywordsOpen] = useState(false);
  const channel = channels.find((candidate) => candidate.id === chosenId) ?? channels[0];
  const currentDefault = channel
    ? triggersByChannel.get(channel.id)?.find((trigger) => trigger.kind === 'default')
    : undefined;
  const isDefaultHere = currentDefault?.flowId === flow.id;
  const isUnpublished = flow.latestVersion === 0;
  const isDefaultPending = addTrigger.isPending && addTrigger.variables?.trigger.kind === 'default';

  const makeDefault = () => {
    if (!channel) return;
    addTrigger.mutate(
      { channelId: channel.id, trigger: { kind: 'default', flowId: flow.id } },
      {
        onSuccess: () =>
          notifySuccess(t('flows.bind.notify.default', { flow: flow.name, channel: channel.name })),
      },
    );
  };

  return (
    <Paper withBorder radius="lg" p="md">
      <Stack gap="sm">
        <Title order={4}>{t('flows.bind.title')}</Title>
        {isUnpublished ? (
          <Alert color="yellow" variant="light" icon={<IconAlertCircle size={18} />}>
            {t('flows.conflicts.notPublished')}
          </Alert>
        ) : null}
        <Select
          label={t('flows.bind.channel')}
          data={channels.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          value={channel?.id ?? null}
          onChange={(value) => {
            setChosenId(value);
            addTrigger.reset();
          }}
          allowDeselect={false}
          w={360}
        />
        {channel && currentDefault && !isDefaultHere ? (
          <Text size="sm" c="dimmed">
            {t('flows.bind.replacesDefault', {
              channel: channel.name,
              flow: currentDefault.flowName,
            })}
          </Text>
        ) : null}
        {channel && isDefaultHere ? (
          <Text size="sm" c="dimmed">
            {t('flows.bind.alreadyDefault', { channel: channel.name })}
          </Text>
        ) : null}
        {addTrigger.isError && addTrigger.variables?.trigger.kind === 'default' ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle size={18} />}
            data-testid="bind-error"
          >
            {describeFlowError(t, addTrigger.error)}
          </Alert>
        ) : null}
        <Group gap="sm">
          <Button
            leftSection={<IconStar size={16} />}
            onClick={makeDefault}
            loading={isDefaultPending}
            disabled={!channel || isDefaultHere || isUnpublished}
          >
            {t('flows.bind.makeDefault', { channel: channel?.name ?? '' })}
          </Button>
          <Button
            variant="default"
            leftSection={<IconTags size={16} />}
            onClick={() => {
              addTrigger.reset();
              setIsKeywordsOpen(true);
            }}
            disabled={!channel || isUnpublished}
          >
            {t('flows.bind.addKeywords')}
          </Button>
        </Group>
      </Stack>
      <Modal
        opened={isKeywordsOpen}
        onClose={() => setIsKeywordsOpen(false)}
        title={t('flows.bind.keywordsTitle', { channel: channel?.name ?? '' })}
        centered
      >
        {channel ? (
          <KeywordsForm
            key={channel.id}
            flow={flow}
            channel={channel}
            onDone={() => setIsKeywordsOpen(false)}
          />
        ) : null}
      </Modal>
    </Paper>
  );
}

function KeywordsForm({ flow, channel, onDone }: { flow: Flow; channel: Channel; onDone(): void }) {
  const { t } = useTranslation();
  const addTrigger = useAddTrigger();
  const [keywords, setKeywords] = useState<string[]>([]);
  const [isMissing, setIsMissing] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (keywords.length === 0) {
      setIsMissing(true);
      return;
    }
    addTrigger.mutate(
      { channelId: channel.id, trigger: { kind: 'keyword', flowId: flow.id, keywords } },
      {
        onSuccess: () => {
          notifySuccess(
            t('flows.bind.notify.keywords', { flow: flow.name, channel: channel.name }),
          );
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {addTrigger.error ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle size={18} />}
            data-testid="keywords-error"
          >
            {describeFlowError(t, addTrigger.error)}
          </Alert>
        ) : null}
        <TagsInput
          label={t('flows.bind.keywordsLabel')}
          description={t('flows.bind.keywordsHint')}
          value={keywords}
          onChange={(value) => {
            setKeywords(value);
            setIsMissing(false);
          }}
          error={isMissing ? t('validation.required') : undefined}
          maxTags={50}
          splitChars={[',']}
          acceptValueOnBlur
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={addTrigger.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={addTrigger.isPending}>
            {t('flows.bind.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
