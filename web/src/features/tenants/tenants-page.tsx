import { Badge, Button, Group, Menu, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBuildingSkyscraper,
  IconPencil,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlus,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tenant } from '../../api/api-types';
import { useSession } from '../../auth/auth-context';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifyFailure, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { PagedTable, type PagedTableColumn } from '../../components/paged-table';
import { RowActionsMenu } from '../../components/row-actions-menu';
import { describeError } from '../../i18n/describe-error';
import { formatDate, formatNumber } from '../../i18n/format';
import { CreateTenantModal } from './create-tenant-modal';
import { RenameTenantModal } from './rename-tenant-modal';
import { useTenantsQuery, useUpdateTenant } from './tenants-api';

/** The super admin's list of tenants: create, rename, suspend, reactivate. */
export function TenantsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const tenants = useTenantsQuery();
  const updateTenant = useUpdateTenant();
  const [isCreateOpen, createModal] = useDisclosure(false);
  const [renaming, setRenaming] = useState<Tenant | null>(null);
  const [suspending, setSuspending] = useState<Tenant | null>(null);
  const columns: PagedTableColumn[] = [
    { key: 'name', label: t('tenants.columns.name') },
    { key: 'slug', label: t('tenants.columns.slug') },
    { key: 'status', label: t('tenants.columns.status') },
    { key: 'users', label: t('tenants.columns.users'), align: 'right' },
    { key: 'createdAt', label: t('tenants.columns.createdAt') },
  ];

  const setStatus = (tenant: Tenant, status: Tenant['status']) =>
    updateTenant.mutate(
      { id: tenant.id, changes: { status } },
      {
        onSuccess: () => {
          notifySuccess(
            t(status === 'active' ? 'tenants.notify.reactivated' : 'tenants.notify.suspended', {
              name: tenant.name,
            }),
          );
          setSuspending(null);
        },
        onError: (error) => notifyFailure(t('errors.generic'), describeError(t, error)),
      },
    );

  return (
    <>
      <PageHeader
        title={t('tenants.title')}
        description={t('tenants.subtitle')}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
            {t('tenants.create')}
          </Button>
        }
      />

      <PagedTable
        query={tenants}
        loadErrorMessage={t('tenants.loadError')}
        columns={columns}
        minWidth={760}
        testId="tenants-table"
        emptyIcon={<IconBuildingSkyscraper size={26} />}
        emptyTitle={t('tenants.empty')}
        renderRow={(tenant) => {
          const isCurrent = tenant.id === session.tenant.id;
          const isBusy = updateTenant.isPending && updateTenant.variables?.id === tenant.id;
          return (
            <Table.Tr key={tenant.id} data-testid="tenant-row">
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {tenant.name}
                  </Text>
                  {isCurrent ? (
                    <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
                      {t('tenants.current')}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" c="dimmed">
                  {tenant.slug}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge
                  variant="light"
                  color={tenant.status === 'active' ? 'teal' : 'orange'}
                  radius="sm"
                >
                  {t(`tenants.status.${tenant.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">{formatNumber(tenant.userCount, i18n.language)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {formatDate(tenant.createdAt, i18n.language)}
                </Text>
              </Table.Td>
              <Table.Td>
                <RowActionsMenu
                  label={t('tenants.actionsFor', { name: tenant.name })}
                  isBusy={isBusy}
                >
                  <Menu.Item
                    leftSection={<IconPencil size={16} />}
                    onClick={() => setRenaming(tenant)}
                  >
                    {t('tenants.rename')}
                  </Menu.Item>
                  {tenant.status === 'active' ? (
                    <Menu.Item
                      color="orange"
                      leftSection={<IconPlayerPause size={16} />}
                      disabled={isCurrent}
                      onClick={() => setSuspending(tenant)}
                    >
                      {t('tenants.suspend')}
                    </Menu.Item>
                  ) : (
                    <Menu.Item
                      leftSection={<IconPlayerPlay size={16} />}
                      onClick={() => setStatus(tenant, 'active')}
                    >
                      {t('tenants.reactivate')}
                    </Menu.Item>
                  )}
                </RowActionsMenu>
              </Table.Td>
            </Table.Tr>
          );
        }}
      />

      <CreateTenantModal opened={isCreateOpen} onClose={createModal.close} />
      <RenameTenantModal tenant={renaming} onClose={() => setRenaming(null)} />
      <ConfirmModal
        opened={suspending !== null}
        title={t('tenants.confirmSuspend.title')}
        message={t('tenants.confirmSuspend.body', { name: suspending?.name ?? '' })}
        confirmLabel={t('tenants.suspend')}
        color="orange"
        isPending={updateTenant.isPending}
        onConfirm={() => suspending && setStatus(suspending, 'suspended')}
        onClose={() => setSuspending(null)}
      />
    </>
  );
}
