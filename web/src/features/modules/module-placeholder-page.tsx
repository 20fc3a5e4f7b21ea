import { Badge, EmptyState, Paper } from '@mantine/core';
import { IconHourglassHigh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import type { PlaceholderModuleKey } from '../../layout/navigation-items';

/** Stands in for a module that is not built yet: says what it will do. */
export function ModulePlaceholderPage({ module }: { module: PlaceholderModuleKey }) {
  const { t } = useTranslation();
  const title = t(`nav.${module}`);
  return (
    <>
      <PageHeader title={title} description={t(`modules.${module}`)} />
      <Paper withBorder p="xl" radius="lg" data-testid="module-placeholder">
        <EmptyState
          icon={<IconHourglassHigh size={28} />}
          title={t('placeholder.title')}
          description={t('placeholder.body', { module: title })}
        >
          <Badge variant="light" size="lg" mt="sm">
            {t('placeholder.badge')}
          </Badge>
        </EmptyState>
      </Paper>
    </>
  );
}
