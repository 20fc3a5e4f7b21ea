import { Button, EmptyState } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <EmptyState
        icon={<IconMapOff size={28} />}
        title={t('notFound.title')}
        description={t('notFound.body')}
        mt="xl"
      >
        <Button component={Link} to="/" mt="md">
          {t('notFound.back')}
        </Button>
      </EmptyState>
    </>
  );
}
