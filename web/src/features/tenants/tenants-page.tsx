import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Center,
  EmptyState,
  Group,
  Menu,
  Paper,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertCircle,
  IconBuildingSkyscraper,
  IconDots,
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
import { TableSkeletonRows } from '../../components/table-skeleton-rows';
import { describeError } from '../../i18n/describe-error';
import { formatDate, formatNumber } from '../../i18n/format';
import { CreateTenantModal } from './create-tenant-modal';
import { RenameTenantModal } from './rename-tenant-modal';
import { useTenantsQuery, useUpdateTenant } from './tenants-api';

const columnCount = 6;

/** The super admin's list of tenants: create, rename, suspend, reactivate. */
export function TenantsPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const tenants = useTenantsQuery();
  const updateTenant = useUpdateTenant();
  const [isCreateOpen, createModal] = useDisclosure(false);
  const [renaming, setRenaming] = useState<Tenant | null>(null);
  const [suspending, setSuspending] = useState<Tenant | null>(null);
  const rows = tenants.data?.pages.flatMap((page) => page.items) ?? [];

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

      {tenants.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="md">
          <Group justify="space-between">
            <Text size="sm">
              {t('tenants.loadError')} {describeError(t, tenants.error)}
            </Text>
            <Button size="xs" variant="white" color="red" onClick={() => void tenants.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : null}

      <Paper withBorder radius="lg">
        <Table.ScrollContainer minWidth={760}>
          <Table
            verticalSpacing="sm"
            horizontalSpacing="md"
            highlightOnHover
            data-testid="tenants-table"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tenants.columns.name')}</Table.Th>
                <Table.Th>{t('tenants.columns.slug')}</Table.Th>
                <Table.Th>{t('tenants.columns.status')}</Table.Th>
                <Table.Th ta="right">{t('tenants.columns.users')}</Table.Th>
                <Table.Th>{t('tenants.columns.createdAt')}</Table.Th>
                <Table.Th w={56}>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tenants.isPending ? <TableSkeletonRows columns={columnCount} /> : null}
              {tenants.isSuccess && rows.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={columnCount}>
                    <EmptyState
                      icon={<IconBuildingSkyscraper size={26} />}
                      title={t('tenants.empty')}
                      py="xl"
                    />
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {rows.map((tenant) => {
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
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            loading={isBusy}
                            aria-label={t('tenants.actionsFor', { name: tenant.name })}
                          >
                            <IconDots size={18} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
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
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      {tenants.hasNextPage ? (
        <Center mt="md">
          <Button
            variant="default"
            onClick={() => void tenants.fetchNextPage()}
            loading={tenants.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}

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
