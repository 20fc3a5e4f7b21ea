import { Avatar, Badge, Button, Group, Menu, Select, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconPlayerPause,
  IconPlayerPlay,
  IconPlus,
  IconTrash,
  IconUsers,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TenantUser } from '../../api/api-types';
import { useSession } from '../../auth/auth-context';
import { ConfirmModal } from '../../components/confirm-modal';
import { initialsOf } from '../../components/initials';
import { notifyFailure, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/page-header';
import { PagedTable, type PagedTableColumn } from '../../components/paged-table';
import { RowActionsMenu } from '../../components/row-actions-menu';
import { describeError } from '../../i18n/describe-error';
import { formatDate } from '../../i18n/format';
import { CreateUserModal } from './create-user-modal';
import { isTenantRole, roleOptions } from './role-options';
import { useRemoveUser, useUpdateUser, useUsersQuery } from './users-api';

type PendingConfirmation = { kind: 'disable' | 'remove'; user: TenantUser };

/** Tenant admins manage who has access to their tenant. */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const users = useUsersQuery(session.tenant.id);
  const updateUser = useUpdateUser();
  const removeUser = useRemoveUser();
  const [isCreateOpen, createModal] = useDisclosure(false);
  const [confirmation, setConfirmation] = useState<PendingConfirmation | null>(null);
  const columns: PagedTableColumn[] = [
    { key: 'name', label: t('users.columns.name') },
    { key: 'email', label: t('users.columns.email') },
    { key: 'role', label: t('users.columns.role') },
    { key: 'status', label: t('users.columns.status') },
    { key: 'createdAt', label: t('users.columns.createdAt') },
  ];
  const failureTitle = t('errors.generic');

  const setStatus = (user: TenantUser, status: TenantUser['status']) =>
    updateUser.mutate(
      { id: user.id, changes: { status } },
      {
        onSuccess: () => {
          notifySuccess(
            t(status === 'active' ? 'users.notify.enabled' : 'users.notify.disabled', {
              name: user.name,
            }),
          );
          setConfirmation(null);
        },
        onError: (error) => notifyFailure(failureTitle, describeError(t, error)),
      },
    );

  const changeRole = (user: TenantUser, value: string | null) => {
    if (!isTenantRole(value) || value === user.role) return;
    updateUser.mutate(
      { id: user.id, changes: { role: value } },
      {
        onSuccess: () =>
          notifySuccess(
            t('users.notify.roleChanged', { name: user.name, role: t(`roles.${value}`) }),
          ),
        onError: (error) => notifyFailure(failureTitle, describeError(t, error)),
      },
    );
  };

  const remove = (user: TenantUser) =>
    removeUser.mutate(user.id, {
      onSuccess: () => {
        notifySuccess(t('users.notify.removed', { name: user.name }));
        setConfirmation(null);
      },
      onError: (error) => notifyFailure(failureTitle, describeError(t, error)),
    });

  const isRowBusy = (user: TenantUser) =>
    (updateUser.isPending && updateUser.variables?.id === user.id) ||
    (removeUser.isPending && removeUser.variables === user.id);

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.subtitle', { tenant: session.tenant.name })}
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
            {t('users.create')}
          </Button>
        }
      />

      <PagedTable
        query={users}
        loadErrorMessage={t('users.loadError')}
        columns={columns}
        minWidth={820}
        testId="users-table"
        emptyIcon={<IconUsers size={26} />}
        emptyTitle={t('users.empty')}
        renderRow={(user) => {
          const isSelf = user.id === session.user.id;
          const isBusy = isRowBusy(user);
          return (
            <Table.Tr key={user.id} data-testid="user-row">
              <Table.Td>
                <Group gap="sm" wrap="nowrap">
                  <Avatar size={32} radius="xl" color="teal">
                    {initialsOf(user.name)}
                  </Avatar>
                  <Text size="sm" fw={500}>
                    {user.name}
                  </Text>
                  {isSelf ? (
                    <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
                      {t('common.you')}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{user.email}</Text>
              </Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  w={170}
                  data={roleOptions(t)}
                  value={user.role}
                  allowDeselect={false}
                  disabled={isSelf || isBusy}
                  aria-label={t('users.roleOf', { name: user.name })}
                  onChange={(value) => changeRole(user, value)}
                />
              </Table.Td>
              <Table.Td>
                <Badge
                  variant="light"
                  color={user.status === 'active' ? 'teal' : 'gray'}
                  radius="sm"
                >
                  {t(`users.status.${user.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {formatDate(user.createdAt, i18n.language)}
                </Text>
              </Table.Td>
              <Table.Td>
                <RowActionsMenu
                  label={t('users.actionsFor', { name: user.name })}
                  isBusy={isBusy}
                  isDisabled={isSelf}
                >
                  {user.status === 'active' ? (
                    <Menu.Item
                      leftSection={<IconPlayerPause size={16} />}
                      onClick={() => setConfirmation({ kind: 'disable', user })}
                    >
                      {t('users.disable')}
                    </Menu.Item>
                  ) : (
                    <Menu.Item
                      leftSection={<IconPlayerPlay size={16} />}
                      onClick={() => setStatus(user, 'active')}
                    >
                      {t('users.enable')}
                    </Menu.Item>
                  )}
                  <Menu.Divider />
                  <Menu.Item
                    color="red"
                    leftSection={<IconTrash size={16} />}
                    onClick={() => setConfirmation({ kind: 'remove', user })}
                  >
                    {t('users.remove')}
                  </Menu.Item>
                </RowActionsMenu>
              </Table.Td>
            </Table.Tr>
          );
        }}
      />

      <CreateUserModal opened={isCreateOpen} onClose={createModal.close} />

      <ConfirmModal
        opened={confirmation?.kind === 'disable'}
        title={t('users.confirmDisable.title')}
        message={t('users.confirmDisable.body', { name: confirmation?.user.name ?? '' })}
        confirmLabel={t('users.disable')}
        color="orange"
        isPending={updateUser.isPending}
        onConfirm={() => confirmation && setStatus(confirmation.user, 'disabled')}
        onClose={() => setConfirmation(null)}
      />
      <ConfirmModal
        opened={confirmation?.kind === 'remove'}
        title={t('users.confirmRemove.title')}
        message={t('users.confirmRemove.body', { name: confirmation?.user.name ?? '' })}
        confirmLabel={t('users.remove')}
        isPending={removeUser.isPending}
        onConfirm={() => confirmation && remove(confirmation.user)}
        onClose={() => setConfirmation(null)}
      />
    </>
  );
}
