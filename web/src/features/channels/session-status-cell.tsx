import { Badge, Button, Stack, Text, Tooltip } from '@mantine/core';
import { IconQrcode } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../i18n/describe-error';
import { formatPhone } from '../sandbox/simulated-user';
import { type SessionBadgeStatus, sessionStatusColors } from './channel-session';
import type { Channel } from './channels-api';
import { useChannelSessionQuery } from './sessions-api';

/** Rows ask the provider again this often (live events refresh them sooner). */
const rowPollMs = 60_000;

/** A QR channel's session as its provider reports it, for a row: the status and its details. */
export function useRowSession(channelId: string) {
  const query = useChannelSessionQuery(channelId, { pollMs: rowPollMs });
  const status: SessionBadgeStatus = query.data
    ? query.data.status
    : query.isError
      ? 'unknown'
      : 'loading';
  return { query, status };
}

type SessionStatusCellProps = {
  channel: Channel;
  /** Admins get a button to pair the phone while the session is not connected. */
  onConnect?: ((channel: Channel) => void) | undefined;
};

/** The session badge of a QR channel's row, with the provider's words on hover. */
export function SessionStatusCell({ channel, onConnect }: SessionStatusCellProps) {
  const { t } = useTranslation();
  const { query, status } = useRowSession(channel.id);
  const session = query.data;
  const label = t(`channels.session.status.${status}`);
  const details = [
    t('channels.session.title', { status: label }),
    session?.phone ? t('channels.session.pairedWith', { phone: formatPhone(session.phone) }) : '',
    session?.detail ? t('channels.session.providerSays', { detail: session.detail }) : '',
    session && session.restarts > 0
      ? t('channels.session.restarts', { count: session.restarts })
      : '',
    query.isError && !session ? describeError(t, query.error) : '',
  ].filter(Boolean);
  const canConnect =
    onConnect !== undefined &&
    channel.status !== 'disabled' &&
    status !== 'connected' &&
    status !== 'loading';
  return (
    <Stack gap={4} align="flex-start">
      <Tooltip
        multiline
        w={280}
        label={
          <Stack gap={2}>
            {details.map((line) => (
              <Text key={line} size="xs">
                {line}
              </Text>
            ))}
          </Stack>
        }
      >
        <Badge
          variant="dot"
          radius="sm"
          tt="none"
          // Badges shrink with their cell and cut their text; this one must stay readable.
          miw="max-content"
          color={sessionStatusColors[status]}
          aria-label={details[0]}
          data-testid="session-status"
          data-status={status}
        >
          {label}
        </Badge>
      </Tooltip>
      {canConnect ? (
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconQrcode size={14} />}
          onClick={() => onConnect(channel)}
          aria-label={t('channels.session.connectFor', { name: channel.name })}
        >
          {t('channels.session.connect')}
        </Button>
      ) : null}
    </Stack>
  );
}
