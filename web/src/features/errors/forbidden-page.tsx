import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyStatePage } from '../../components/empty-state-page';

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <EmptyStatePage
      icon={<IconLock size={28} />}
      title={t('forbidden.title')}
      description={t('forbidden.body')}
    />
  );
}
