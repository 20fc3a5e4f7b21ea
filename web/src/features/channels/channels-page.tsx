import {
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Menu,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import {
  IconAlertCircle,
  IconKeyboard,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlugConnected,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/auth-context';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifyFailure, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { RowActionsMenu } from '../../components/row-actions-menu';
import { TableSkeletonRows } from '../../components/table-skeleton-rows';
import { describeError } from '../../i18n/describe-error';
import { formatNumber } from '../../i18n/format';
import { formatPhone } from '../sandbox/simulated-user';
import { ChannelFormModal } from './channel-form-modal';
import { providerLabel } from './channel-labels';
import { canManageChannels } from './channel-permissions';
import type { SessionAction } from './channel-session';
import {
  type Channel,
  type ChannelStatus,
  useChannelProvidersQuery,
  useChannelsQuery,
  useDeleteChannel,
  useUpdateChannel,
} from './channels-api';
import { formatPacing, isProviderDefaultPacing } from './pacing';
import { QrPairingModal } from './qr-pairing-modal';
import { SessionMenuItems } from './session-menu-items';
import { SessionStatusCell } from './session-status-cell';
import { useSessionCommand } from './sessions-api';
import { useChannelSessionEvents } from './use-channel-session-events';
import { WebhookUrlCell } from './webhook-url-cell';

const statusColors: Record<ChannelStatus, string> = {
  active: 'teal',
  connecting: 'yellow',
  disconnected: 'red',
  disabled: 'gray',
};

/** A confirmation waiting for the user. */
type PendingConfirmation = { kind: 'disable' | 'remove' | 'unpair'; channel: Channel };

/**
 * The tenant's WhatsApp numbers: list for everyone (with the live state of QR sessions); add,
 * edit, pair, restart, disconnect, unpair, disable and remove for admins.
 */
export function ChannelsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const isManager = canManageChannels(session);
  const channels = useChannelsQuery();
  const providers = useChannelProvidersQuery();
  const updateChannel = useUpdateChannel();
  const deleteChannel = useDeleteChannel();
  const sessionCommand = useSessionCommand();
  useChannelSessionEvents();
  const [confirmation, setConfirmation] = useState<PendingConfirmation | null>(null);
  // Like the form, the pairing dialog keeps its channel while it closes.
  const [isPairingOpen, setIsPairingOpen] = useState(false);
  const [pairingChannel, setPairingChannel] = useState<Channel | null>(null);
  const openPairing = (channel: Channel) => {
    setPairingChannel(channel);
    setIsPairingOpen(true);
  };
  // The form keeps showing its channel while the modal closes.
  const [isFormOpen, setIsFormOpen] = useState(false);
  const [formChannel, setFormChannel] = useState<Channel | null>(null);
  const openForm = (channel: Channel | null) => {
    setFormChannel(channel);
    setIsFormOpen(true);
  };
  const failureTitle = t('errors.generic');
  const columns = [
    t('channels.columns.name'),
    t('channels.columns.provider'),
    t('channels.columns.status'),
    t('channels.columns.number'),
    t('channels.columns.rate'),
    t('channels.columns.pacing'),
    t('channels.columns.webhook'),
  ];
  const columnCount = columns.length + (isManager ? 1 : 0);

  const setStatus = (channel: Channel, status: 'active' | 'disabled') =>
    updateChannel.mutate(
      { id: channel.id, changes: { status } },
      {
        onSuccess: () => {
          notifySuccess(
            t(status === 'active' ? 'channels.notify.enabled' : 'channels.notify.disabled', {
              name: channel.name,
            }),
          );
          setConfirmation(null);
        },
        onError: (error) => notifyFailure(failureTitle, describeError(t, error)),
      },
    );

  const remove = (channel: Channel) =>
    deleteChannel.mutate(channel.id, {
      onSuccess: () => {
        notifySuccess(t('channels.notify.removed', { name: channel.name }));
        setConfirmation(null);
      },
      onError: (error) => notifyFailure(failureTitle, describeError(t, error)),
    });

  const rateOf = (channel: Channel) => {
    if (channel.ratePerSecond !== null) {
      return t('channels.rate', { rate: formatNumber(channel.ratePerSecond, i18n.language) });
    }
    const fallback = providers.data?.find((p) => p.id === channel.provider)?.capabilities
      .defaultRatePerSecond;
    return fallback === undefined
      ? t('channels.rateDefaultUnknown')
      : t('channels.rateDefault', { rate: formatNumber(fallback, i18n.language) });
  };

  const hasQrSession = (channel: Channel) =>
    providers.data?.find((p) => p.id === channel.provider)?.capabilities.hasQrSession ?? false;

  const runSessionCommand = (channel: Channel, command: 'restart' | 'stop' | 'logout') =>
    sessionCommand.mutate(
      { channelId: channel.id, command },
      {
        onSuccess: () => {
          notifySuccess(t(`channels.session.notify.${command}`, { name: channel.name }));
          setConfirmation(null);
        },
        onError: (error) => notifyFailure(failureTitle, describeError(t, error)),
      },
    );

  const onSessionAction = (action: SessionAction, channel: Channel) => {
    if (action === 'connect') openPairing(channel);
    else if (action === 'logout') setConfirmation({ kind: 'unpair', channel });
    else runSessionCommand(channel, action);
  };

  const pacingOf = (channel: Channel) => {
    const { pacing } = channel;
    if (!pacing) {
      return (
        <Text size="sm" c="dimmed" data-testid="channel-pacing">
          {t('channels.pacing.none')}
        </Text>
      );
    }
    const isDefault = isProviderDefaultPacing(pacing, hasQrSession(channel));
    return (
      <Group gap={4} wrap="nowrap">
        <Text size="sm" c={isDefault ? 'dimmed' : undefined} data-testid="channel-pacing">
          {isDefault
            ? t('channels.pacing.defaultTag', { pacing: formatPacing(pacing, i18n.language) })
            : formatPacing(pacing, i18n.language)}
        </Text>
        {pacing.typing ? (
          <Tooltip label={t('channels.pacing.typingOn')}>
            <IconKeyboard
              size={16}
              aria-label={t('channels.pacing.typingOn')}
              data-testid="pacing-typing"
              color="var(--mantine-color-dimmed)"
            />
          </Tooltip>
        ) : null}
      </Group>
    );
  };

  const isRowBusy = (channel: Channel) =>
    (updateChannel.isPending && updateChannel.variables?.id === channel.id) ||
    (deleteChannel.isPending && deleteChannel.variables === channel.id) ||
    (sessionCommand.isPending && sessionCommand.variables?.channelId === channel.id);

  const items = channels.data ?? [];

  return (
    <>
      <PageHeader
        title={t('channels.title')}
        description={t('channels.subtitle')}
        actions={
          isManager ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)}>
              {t('channels.create')}
            </Button>
          ) : null
        }
      />

      {channels.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="md">
          <Group justify="space-between">
            <Text size="sm">
              {t('channels.loadError')} {describeError(t, channels.error)}
            </Text>
            <Button size="xs" variant="white" color="red" onClick={() => void channels.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : null}

      <Paper withBorder radius="lg">
        <Table.ScrollContainer minWidth={1040}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="channels-table">
            <Table.Thead>
              <Table.Tr>
                {columns.map((label) => (
                  <Table.Th key={label}>{label}</Table.Th>
                ))}
                {isManager ? (
                  <Table.Th w={56}>
                    <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {channels.isPending ? <TableSkeletonRows columns={columnCount} /> : null}
              {channels.isSuccess && items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={columnCount}>
                    <EmptyState
                      icon={<IconPlugConnected size={26} />}
                      title={t('channels.empty')}
                      description={isManager ? t('channels.emptyHint') : undefined}
                      py="xl"
                    />
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((channel) => (
                <Table.Tr key={channel.id} data-testid="channel-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {channel.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{providerLabel(t, channel.provider)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={6} align="flex-start">
                      <Badge
                        variant="light"
                        radius="sm"
                        color={statusColors[channel.status]}
                        data-testid="channel-status"
                      >
                        {t(`channels.status.${channel.status}`)}
                      </Badge>
                      {hasQrSession(channel) ? (
                        <SessionStatusCell
                          channel={channel}
                          onConnect={isManager ? openPairing : undefined}
                        />
                      ) : null}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={channel.displayNumber ? undefined : 'dimmed'}>
                      {channel.displayNumber ? formatPhone(channel.displayNumber) : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={channel.ratePerSecond === null ? 'dimmed' : undefined}>
                      {rateOf(channel)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{pacingOf(channel)}</Table.Td>
                  <Table.Td>
                    <WebhookUrlCell url={channel.webhookUrl} channelName={channel.name} />
                  </Table.Td>
                  {isManager ? (
                    <Table.Td>
                      <RowActionsMenu
                        label={t('channels.actionsFor', { name: channel.name })}
                        isBusy={isRowBusy(channel)}
                      >
                        {hasQrSession(channel) ? (
                          <SessionMenuItems channel={channel} onAction={onSessionAction} />
                        ) : null}
                        <Menu.Item
                          leftSection={<IconPencil size={16} />}
                          onClick={() => openForm(channel)}
                        >
                          {t('channels.edit')}
                        </Menu.Item>
                        {channel.status === 'disabled' ? (
                          <Menu.Item
                            leftSection={<IconPlayerPlay size={16} />}
                            onClick={() => setStatus(channel, 'active')}
                          >
                            {t('channels.enable')}
                          </Menu.Item>
                        ) : (
                          <Menu.Item
                            color="orange"
                            leftSection={<IconPlayerPause size={16} />}
                            onClick={() => setConfirmation({ kind: 'disable', channel })}
                          >
                            {t('channels.disable')}
                          </Menu.Item>
                        )}
                        <Menu.Divider />
                        <Menu.Item
                          color="red"
                          leftSection={<IconTrash size={16} />}
                          onClick={() => setConfirmation({ kind: 'remove', channel })}
                        >
                          {t('channels.remove')}
                        </Menu.Item>
                      </RowActionsMenu>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      {isManager ? (
        <>
          <ChannelFormModal
            opened={isFormOpen}
            channel={formChannel}
            onClose={() => setIsFormOpen(false)}
          />
          <ConfirmModal
            opened={confirmation?.kind === 'disable'}
            title={t('channels.confirmDisable.title')}
            message={t('channels.confirmDisable.body', { name: confirmation?.channel.name ?? '' })}
            confirmLabel={t('channels.disable')}
            color="orange"
            isPending={updateChannel.isPending}
            onConfirm={() => confirmation && setStatus(confirmation.channel, 'disabled')}
            onClose={() => setConfirmation(null)}
          />
          <ConfirmModal
            opened={confirmation?.kind === 'remove'}
            title={t('channels.confirmRemove.title')}
            message={t('channels.confirmRemove.body', { name: confirmation?.channel.name ?? '' })}
            confirmLabel={t('channels.remove')}
            isPending={deleteChannel.isPending}
            onConfirm={() => confirmation && remove(confirmation.channel)}
            onClose={() => setConfirmation(null)}
          />
          <ConfirmModal
            opened={confirmation?.kind === 'unpair'}
            title={t('channels.session.confirmUnpair.title')}
            message={t('channels.session.confirmUnpair.body', {
              name: confirmation?.channel.name ?? '',
            })}
            confirmLabel={t('channels.session.actions.logout')}
            isPending={sessionCommand.isPending}
            onConfirm={() => confirmation && runSessionCommand(confirmation.channel, 'logout')}
            onClose={() => setConfirmation(null)}
          />
          <QrPairingModal
            opened={isPairingOpen}
            channel={pairingChannel}
            onClose={() => setIsPairingOpen(false)}
          />
        </>
      ) : null}
    </>
  );
}
