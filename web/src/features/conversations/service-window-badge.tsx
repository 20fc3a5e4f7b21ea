import { Badge, Tooltip } from '@mantine/core';
import { IconClockHour4, IconLock } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { minutesUntil } from './message-time';

/** The current time, refreshed every `intervalMs` (for countdowns). */
function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * WhatsApp's 24-hour customer-service window on official APIs: open (free-form messages allowed,
 * with the time left) or closed (only approved templates).
 */
export function ServiceWindowBadge({ endsAt }: { endsAt: string | null }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const minutesLeft = endsAt ? minutesUntil(endsAt, now) : 0;
  const isOpen = minutesLeft > 0;
  const left = t('conversations.window.left', {
    hours: Math.floor(minutesLeft / 60),
    minutes: minutesLeft % 60,
  });
  return (
    <Tooltip
      label={isOpen ? t('conversations.window.openHint') : t('conversations.window.closedHint')}
      multiline
      w={280}
    >
      <Badge
        variant="light"
        radius="sm"
        tt="none"
        color={isOpen ? 'teal' : 'orange'}
        leftSection={isOpen ? <IconClockHour4 size={12} /> : <IconLock size={12} />}
        data-testid="service-window"
        data-open={isOpen}
      >
        {isOpen ? t('conversations.window.open', { left }) : t('conversations.window.closed')}
      </Badge>
    </Tooltip>
  );
}
