import {
  Accordion,
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Code,
  EmptyState,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import {
  IconActivity,
  IconAlertCircle,
  IconArrowLeft,
  IconMessages,
  IconRefresh,
  IconX,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSession } from '../../auth/auth-context';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifyFailure, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { describeError } from '../../i18n/describe-error';
import {
  useMessagingEvents,
  useRefetchAfterReconnect,
} from '../conversations/use-messaging-events';
import { formatDateTime, formatJson } from './flow-format';
import { canManageFlows } from './flow-permissions';
import {
  type FlowSession,
  type FlowSessionStatus,
  flowSessionsQueryKey,
  useFlowSessionsQuery,
  useFlowsQuery,
  useResetSession,
} from './flows-api';

const statuses: readonly FlowSessionStatus[] = ['active', 'handoff', 'ended'];
const statusColors: Record<FlowSessionStatus, string> = {
  active: 'teal',
  handoff: 'violet',
  ended: 'gray',
};

function isStatus(value: string | null): value is FlowSessionStatus {
  return statuses.includes(value as FlowSessionStatus);
}

/**
 * Where each conversation is in its bot: the session's flow version, current block,
 * variables and history, filtered by status, flow or conversation (the "Bot session" link of
 * a conversation opens this page filtered to it). Admins can reset a session.
 */
export function FlowSessionsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const isManager = canManageFlows(session);
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const filters = {
    status: isStatus(statusParam) ? statusParam : undefined,
    flowId: params.get('flowId') ?? undefined,
    conversationId: params.get('conversationId') ?? undefined,
  };
  const sessions = useFlowSessionsQuery(filters);
  const flows = useFlowsQuery();
  const flowOptions = (flows.data?.pages.flatMap((page) => page.items) ?? []).map((flow) => ({
    value: flow.id,
    label: flow.name,
  }));
  const items = sessions.data?.pages.flatMap((page) => page.items) ?? [];
  // Undefined until the user opens or closes one: a conversation's session starts open.
  const [opened, setOpened] = useState<string | null | undefined>(undefined);
  const openedId =
    opened === undefined ? (filters.conversationId ? (items[0]?.id ?? null) : null) : opened;
  const [resetting, setResetting] = useState<FlowSession | null>(null);
  const resetSession = useResetSession();

  // A message in or out moves sessions on: refresh what is shown.
  useMessagingEvents((event) => {
    if (event.type === 'message.received' || event.type === 'message.created') {
      void queryClient.invalidateQueries({ queryKey: flowSessionsQueryKey });
    }
  });
  useRefetchAfterReconnect([flowSessionsQueryKey]);

  const setFilter = (key: 'status' | 'flowId' | 'conversationId', value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const reset = (target: FlowSession) =>
    resetSession.mutate(target.id, {
      onSuccess: () => {
        notifySuccess(t('flows.sessions.notify.reset', { flow: target.flowName }));
        setResetting(null);
      },
      onError: (error) => notifyFailure(t('errors.generic'), describeError(t, error)),
    });

  return (
    <>
      <PageHeader
        title={t('flows.sessions.title')}
        description={t('flows.sessions.subtitle')}
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              onClick={() => void sessions.refetch()}
              loading={sessions.isRefetching}
            >
              {t('flows.sessions.refresh')}
            </Button>
            <Button
              component={Link}
              to="/flows"
              variant="default"
              leftSection={<IconArrowLeft size={16} />}
            >
              {t('flows.title')}
            </Button>
          </>
        }
      />

      <Group align="flex-end" mb="md" gap="sm">
        <Select
          label={t('flows.sessions.filters.status')}
          placeholder={t('flows.sessions.filters.allStatuses')}
          data={statuses.map((value) => ({ value, label: t(`flows.sessions.status.${value}`) }))}
          value={filters.status ?? null}
          onChange={(value) => setFilter('status', value)}
          clearable
          w={200}
        />
        <Select
          label={t('flows.sessions.filters.flow')}
          placeholder={t('flows.sessions.filters.allFlows')}
          data={flowOptions}
          value={filters.flowId ?? null}
          onChange={(value) => setFilter('flowId', value)}
          clearable
          searchable
          w={260}
        />
        {filters.conversationId ? (
          <Badge
            size="lg"
            variant="light"
            radius="sm"
            tt="none"
            rightSection={
              <IconX
                size={14}
                role="button"
                aria-label={t('flows.sessions.filters.clearConversation')}
                style={{ cursor: 'pointer' }}
                onClick={() => setFilter('conversationId', null)}
              />
            }
            data-testid="sessions-conversation-filter"
          >
            {t('flows.sessions.filters.oneConversation')}
          </Badge>
        ) : null}
      </Group>

      {sessions.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="md">
          <Group justify="space-between">
            <Text size="sm">
              {t('flows.sessions.loadError')} {describeError(t, sessions.error)}
            </Text>
            <Button size="xs" variant="white" color="red" onClick={() => void sessions.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : null}
      {sessions.isPending ? (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      ) : null}
      {sessions.isSuccess && items.length === 0 ? (
        <Paper withBorder radius="lg">
          <EmptyState
            icon={<IconActivity size={26} />}
            title={
              filters.conversationId
                ? t('flows.sessions.emptyConversation')
                : t('flows.sessions.empty')
            }
            py="xl"
          />
        </Paper>
      ) : null}

      {items.length > 0 ? (
        <Accordion
          variant="separated"
          radius="md"
          value={openedId}
          onChange={setOpened}
          data-testid="flow-sessions"
        >
          {items.map((item) => (
            <Accordion.Item key={item.id} value={item.id} data-testid="flow-session">
              <Accordion.Control>
                <SessionSummary session={item} />
              </Accordion.Control>
              <Accordion.Panel>
                <SessionDetails
                  session={item}
                  canReset={isManager && item.status !== 'ended'}
                  isResetting={resetSession.isPending && resetSession.variables === item.id}
                  onReset={() => setResetting(item)}
                />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      ) : null}

      {sessions.hasNextPage ? (
        <Center mt="md">
          <Button
            variant="default"
            onClick={() => void sessions.fetchNextPage()}
            loading={sessions.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}

      <ConfirmModal
        opened={resetting !== null}
        title={t('flows.sessions.confirmReset.title')}
        message={t('flows.sessions.confirmReset.body', { flow: resetting?.flowName ?? '' })}
        confirmLabel={t('flows.sessions.reset')}
        color="orange"
        isPending={resetSession.isPending}
        onConfirm={() => resetting && reset(resetting)}
        onClose={() => setResetting(null)}
      />
    </>
  );
}

function SessionSummary({ session }: { session: FlowSession }) {
  const { t, i18n } = useTranslation();
  return (
    <Group gap="sm" wrap="nowrap" justify="space-between" pr="sm">
      <Group gap="sm" wrap="nowrap" miw={0}>
        <Badge
          variant="light"
          radius="sm"
          color={statusColors[session.status]}
          data-testid="session-status"
          data-status={session.status}
        >
          {t(`flows.sessions.status.${session.status}`)}
        </Badge>
        <Text size="sm" fw={600} truncate>
          {session.flowName}
        </Text>
        <Text size="sm" c="dimmed">
          {t('flows.versionNumber', { version: session.version })}
        </Text>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <Text size="sm" c="dimmed" data-testid="session-block">
          {session.blockId ? <Code>{session.blockId}</Code> : t('flows.sessions.noBlock')}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDateTime(session.updatedAt, i18n.language)}
        </Text>
      </Group>
    </Group>
  );
}

type SessionDetailsProps = {
  session: FlowSession;
  canReset: boolean;
  isResetting: boolean;
  onReset(): void;
};

function SessionDetails({ session, canReset, isResetting, onReset }: SessionDetailsProps) {
  const { t, i18n } = useTranslation();
  const history = [...session.history].reverse();
  const facts: [string, string][] = [
    [t('flows.sessions.fields.block'), session.blockId ?? t('flows.sessions.noBlock')],
    [
      t('flows.sessions.fields.waitingFor'),
      session.waitingFor
        ? t(`flows.sessions.waiting.${session.waitingFor}`)
        : t('flows.sessions.waiting.nothing'),
    ],
    [t('flows.sessions.fields.startedAt'), formatDateTime(session.createdAt, i18n.language)],
    [
      t('flows.sessions.fields.endedAt'),
      session.endedAt
        ? `${formatDateTime(session.endedAt, i18n.language)}${session.endReason ? ` (${session.endReason})` : ''}`
        : '—',
    ],
  ];

  return (
    <Stack gap="md" data-testid="session-details">
      <Group justify="space-between">
        <Anchor
          component={Link}
          to={`/conversations/${session.conversationId}`}
          size="sm"
          data-testid="session-conversation-link"
        >
          <Group gap={4} component="span">
            <IconMessages size={16} />
            {t('flows.sessions.openConversation')}
          </Group>
        </Anchor>
        {canReset ? (
          <Button
            color="orange"
            variant="light"
            size="xs"
            leftSection={<IconRefresh size={14} />}
            onClick={onReset}
            loading={isResetting}
          >
            {t('flows.sessions.reset')}
          </Button>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        {facts.map(([label, value]) => (
          <Stack gap={2} key={label}>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text size="sm">{value}</Text>
          </Stack>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap="xs">
          <Title order={5}>{t('flows.sessions.fields.variables')}</Title>
          {Object.keys(session.variables).length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('flows.sessions.noVariables')}
            </Text>
          ) : (
            <Code block data-testid="session-variables">
              {formatJson(session.variables)}
            </Code>
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={5}>{t('flows.sessions.fields.history')}</Title>
          {history.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('flows.sessions.noHistory')}
            </Text>
          ) : (
            <Timeline bulletSize={12} lineWidth={2} data-testid="session-history">
              {history.map((entry, index) => (
                <Timeline.Item
                  // History entries have no id; their place in the list is stable per render.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  key={index}
                  title={
                    <Group gap="xs">
                      <Text size="sm" fw={500} ff="monospace">
                        {entry.event}
                      </Text>
                      {entry.blockId ? <Code>{entry.blockId}</Code> : null}
                    </Group>
                  }
                >
                  <Text size="xs" c="dimmed">
                    {formatDateTime(entry.at, i18n.language, { withSeconds: true })}
                  </Text>
                  {entry.detail ? (
                    <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
                      {JSON.stringify(entry.detail)}
                    </Text>
                  ) : null}
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
