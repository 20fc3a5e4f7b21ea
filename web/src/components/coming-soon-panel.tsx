import { Badge, EmptyState, Paper } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

type ComingSoonPanelProps = {
  icon: ReactNode;
  /** What will be here once it is built. */
  description: string;
  testId?: string;
};

/** A framed "not built yet" notice with its "coming soon" badge. */
export function ComingSoonPanel({ icon, description, testId }: ComingSoonPanelProps) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xl" radius="lg" data-testid={testId}>
      <EmptyState icon={icon} title={t('placeholder.title')} description={description}>
        <Badge variant="light" size="lg" mt="sm">
          {t('placeholder.badge')}
        </Badge>
      </EmptyState>
    </Paper>
  );
}
