import { Text } from '@mantine/core';
import { IconChartHistogram } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/auth-context';
import { ComingSoonPanel } from '../../components/coming-soon-panel';
import { PageHeader } from '../../components/page-header';

/** Landing page after sign-in. Metrics arrive with the messaging modules. */
export function DashboardPage() {
  const { t } = useTranslation();
  const session = useSession();
  const role = session.user.isSuperAdmin ? t('roles.superAdmin') : t(`roles.${session.role}`);
  return (
    <>
      <PageHeader
        title={t('nav.dashboard')}
        description={t('dashboard.tenantLine', { tenant: session.tenant.name, role })}
      />
      <Text size="xl" fw={600} mb="md" data-testid="dashboard-greeting">
        {t('dashboard.greeting', { name: session.user.name })}
      </Text>
      <ComingSoonPanel
        icon={<IconChartHistogram size={28} />}
        description={t('modules.dashboard')}
      />
    </>
  );
}
