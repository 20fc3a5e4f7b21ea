import { Tooltip } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconChecks, IconClock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MessageStatus } from './conversations-api';

type MessageStatusIconProps = {
  status: MessageStatus;
  errorCode?: string | null;
  errorReason?: string | null;
};

/** WhatsApp-style ticks: clock, one tick, two ticks, two blue ticks; a red mark on failure. */
export function MessageStatusIcon({ status, errorCode, errorReason }: MessageStatusIconProps) {
  const { t } = useTranslation();
  const label = t(`messages.status.${status}`);
  const common = {
    role: 'img',
    'aria-label': label,
    'data-testid': 'message-status',
    'data-status': status,
  } as const;

  if (status === 'failed') {
    const reason = errorReason || errorCode || t('messages.failedUnknown');
    return (
      <Tooltip label={t('messages.failedBecause', { reason })} multiline w={260}>
        <IconAlertCircle
          {...common}
          aria-label={`${label}: ${reason}`}
          size={16}
          color="var(--mantine-color-red-6)"
        />
      </Tooltip>
    );
  }
  const Icon =
    status === 'queued' || status === 'sending'
      ? IconClock
      : status === 'sent'
        ? IconCheck
        : IconChecks;
  return (
    <Tooltip label={label}>
      <Icon
        {...common}
        size={16}
        color={status === 'read' ? 'var(--mantine-color-blue-5)' : 'var(--mantine-color-dimmed)'}
      />
    </Tooltip>
  );
}
