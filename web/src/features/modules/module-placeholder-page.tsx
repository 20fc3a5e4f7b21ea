import { IconHourglassHigh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ComingSoonPanel } from '../../components/coming-soon-panel';
import { PageHeader } from '../../components/page-header';
import type { PlaceholderModuleKey } from '../../layout/navigation-items';

/** Stands in for a module that is not built yet: says what it will do. */
export function ModulePlaceholderPage({ module }: { module: PlaceholderModuleKey }) {
  const { t } = useTranslation();
  const title = t(`nav.${module}`);
  return (
    <>
      <PageHeader title={title} description={t(`modules.${module}`)} />
      <ComingSoonPanel
        icon={<IconHourglassHigh size={28} />}
        description={t('placeholder.body', { module: title })}
        testId="module-placeholder"
      />
    </>
  );
}
