import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyStatePage } from '../../components/empty-state-page';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyStatePage
      icon={<IconMapOff size={28} />}
      title={t('notFound.title')}
      description={t('notFound.body')}
    >
      <Button component={Link} to="/" mt="md">
        {t('notFound.back')}
      </Button>
    </EmptyStatePage>
  );
}
