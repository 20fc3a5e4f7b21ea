import { Alert, Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreateUserResult, TenantRole } from '../../api/api-types';
import { createFormRules } from '../../components/form-rules';
import { notifySuccess } from '../../components/notify';
import { PasswordField } from '../../components/password-field';
import { TemporaryPasswordPanel } from '../../components/temporary-password-panel';
import { describeError } from '../../i18n/describe-error';
import { isTenantRole, roleOptions } from './role-options';
import { useCreateUser } from './users-api';

type CreateUserValues = { name: string; email: string; role: TenantRole; password: string };

const initialValues: CreateUserValues = { name: '', email: '', role: 'operator', password: '' };

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const rules = createFormRules(i18n);
  const createUser = useCreateUser();
  const [created, setCreated] = useState<CreateUserResult | null>(null);
  const form = useForm<CreateUserValues>({
    mode: 'controlled',
    initialValues,
    validate: { name: rules.required, email: rules.email, password: rules.optionalPassword },
  });

  const close = () => {
    onClose();
    form.reset();
    createUser.reset();
    setCreated(null);
  };

  const submit = form.onSubmit((values) => {
    const password = values.password;
    createUser.mutate(
      {
        name: values.name.trim(),
        email: values.email.trim(),
        role: values.role,
        ...(password ? { password } : {}),
      },
      {
        onSuccess: (result) => {
          notifySuccess(t('users.notify.created', { name: result.user.name }));
          if (result.temporaryPassword) setCreated(result);
          else close();
        },
      },
    );
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('temporaryPassword.title') : t('users.form.title')}
      centered
      size="md"
      closeOnClickOutside={!created}
    >
      {created?.temporaryPassword ? (
        <TemporaryPasswordPanel
          password={created.temporaryPassword}
          name={created.user.name}
          email={created.user.email}
          onDone={close}
        />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {createUser.isError ? (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
                {describeError(t, createUser.error)}
              </Alert>
            ) : null}
            <TextInput
              label={t('users.form.name')}
              required
              data-autofocus
              autoComplete="off"
              {...form.getInputProps('name')}
            />
            <TextInput
              label={t('users.form.email')}
              type="email"
              required
              autoComplete="off"
              {...form.getInputProps('email')}
            />
            <Select
              label={t('users.form.role')}
              data={roleOptions(t)}
              allowDeselect={false}
              description={t(`roleDescriptions.${form.values.role}`)}
              required
              value={form.values.role}
              onChange={(value) => {
                if (isTenantRole(value)) form.setFieldValue('role', value);
              }}
            />
            <PasswordField
              label={`${t('users.form.password')} (${t('common.optional')})`}
              description={t('users.form.passwordHint')}
              autoComplete="new-password"
              {...form.getInputProps('password')}
            />
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={close} disabled={createUser.isPending}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={createUser.isPending}>
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
