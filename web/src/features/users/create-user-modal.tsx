import { Select, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TenantRole } from '../../api/api-types';
import {
  AccountCreationModal,
  type GeneratedPassword,
} from '../../components/account-creation-modal';
import { createFormRules } from '../../components/form-rules';
import { ModalForm } from '../../components/modal-form';
import { notifySuccess } from '../../components/notify';
import { PasswordField } from '../../components/password-field';
import { isTenantRole, roleOptions } from './role-options';
import { useCreateUser } from './users-api';

type CreateUserValues = { name: string; email: string; role: TenantRole; password: string };

const initialValues: CreateUserValues = { name: '', email: '', role: 'operator', password: '' };

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const rules = createFormRules(i18n);
  const createUser = useCreateUser();
  const [generated, setGenerated] = useState<GeneratedPassword | null>(null);
  const form = useForm<CreateUserValues>({
    mode: 'controlled',
    initialValues,
    validate: { name: rules.required, email: rules.email, password: rules.optionalPassword },
  });

  const close = () => {
    onClose();
    form.reset();
    createUser.reset();
    setGenerated(null);
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
          if (result.temporaryPassword) {
            const { name, email } = result.user;
            setGenerated({ password: result.temporaryPassword, name, email });
          } else close();
        },
      },
    );
  });

  return (
    <AccountCreationModal
      opened={opened}
      onClose={close}
      title={t('users.form.title')}
      size="md"
      generated={generated}
    >
      <ModalForm
        onSubmit={submit}
        onCancel={close}
        error={createUser.error}
        isPending={createUser.isPending}
        submitLabel={t('common.create')}
      >
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
      </ModalForm>
    </AccountCreationModal>
  );
}
