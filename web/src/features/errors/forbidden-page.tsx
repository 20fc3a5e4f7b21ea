import { EmptyState } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('forbidden.title')} />
      <EmptyState
        icon={<IconLock size={28} />}
        title={t('forbidden.title')}
        description={t('forbidden.body')}
        mt="xl"
      />
    </>
  );
}
