import { Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A centred spinner: the whole viewport at start-up, or the content area while a page loads. */
export function FullPageLoader({ isInline = false }: { isInline?: boolean }) {
  const { t } = useTranslation();
  return (
    <Center h={isInline ? 240 : '100dvh'} role="status" aria-label={t('common.loading')}>
      <Loader />
    </Center>
  );
}
