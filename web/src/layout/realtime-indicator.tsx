import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRealtime } from '../realtime/realtime-context';

const colorByStatus = { open: 'teal', connecting: 'yellow', closed: 'red' } as const;

/** Header badge showing whether live updates are flowing. */
export function RealtimeIndicator() {
  const { t } = useTranslation();
  const { status } = useRealtime();
  return (
    <Tooltip label={t(`realtime.${status}Hint`)}>
      <Badge
        variant="dot"
        color={colorByStatus[status]}
        size="lg"
        radius="sm"
        tt="none"
        fw={500}
        data-testid="realtime-status"
        data-status={status}
        role="status"
        aria-label={t(`realtime.${status}Hint`)}
      >
        {t(`realtime.${status}`)}
      </Badge>
    </Tooltip>
  );
}
