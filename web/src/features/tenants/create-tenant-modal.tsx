import { Divider, Group, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maxTenantSlugLength, minTenantSlugLength, tenantSlugPattern } from '../../api/api-types';
import {
  AccountCreationModal,
  type GeneratedPassword,
} from '../../components/account-creation-modal';
import { createFormRules } from '../../components/form-rules';
import { ModalForm } from '../../components/modal-form';
import { notifySuccess } from '../../components/notify';
import { PasswordField } from '../../components/password-field';
import { slugify } from './slugify';
import { useCreateTenant } from './tenants-api';

type CreateTenantValues = {
  name: string;
  slug: string;
  adminName: string;
  adminEmail: string;
  adminPassword: string;
};

const initialValues: CreateTenantValues = {
  name: '',
  slug: '',
  adminName: '',
  adminEmail: '',
  adminPassword: '',
};

export function CreateTenantModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const rules = createFormRules(i18n);
  const createTenant = useCreateTenant();
  const [generated, setGenerated] = useState<GeneratedPassword | null>(null);
  // The slug follows the name until the user edits it.
  const [isSlugEdited, setIsSlugEdited] = useState(false);
  const form = useForm<CreateTenantValues>({
    mode: 'controlled',
    initialValues,
    validate: {
      name: rules.required,
      slug: (value) =>
        tenantSlugPattern.test(value) &&
        value.length >= minTenantSlugLength &&
        value.length <= maxTenantSlugLength
          ? null
          : i18n.t('validation.slug'),
      adminName: rules.required,
      adminEmail: rules.email,
      adminPassword: rules.optionalPassword,
    },
  });

  const close = () => {
    onClose();
    form.reset();
    createTenant.reset();
    setGenerated(null);
    setIsSlugEdited(false);
  };

  const submit = form.onSubmit((values) => {
    createTenant.mutate(
      {
        name: values.name.trim(),
        slug: values.slug,
        admin: {
          name: values.adminName.trim(),
          email: values.adminEmail.trim(),
          ...(values.adminPassword ? { password: values.adminPassword } : {}),
        },
      },
      {
        onSuccess: (result) => {
          notifySuccess(t('tenants.notify.created', { name: result.tenant.name }));
          if (result.temporaryPassword) {
            const { name, email } = result.admin;
            setGenerated({ password: result.temporaryPassword, name, email });
          } else close();
        },
      },
    );
  });

  const nameProps = form.getInputProps('name');
  const slugProps = form.getInputProps('slug');

  return (
    <AccountCreationModal
      opened={opened}
      onClose={close}
      title={t('tenants.form.title')}
      size="lg"
      generated={generated}
    >
      <ModalForm
        onSubmit={submit}
        onCancel={close}
        error={createTenant.error}
        isPending={createTenant.isPending}
        submitLabel={t('common.create')}
      >
        <Divider label={t('tenants.form.tenantSection')} labelPosition="left" />
        <TextInput
          label={t('tenants.form.name')}
          required
          data-autofocus
          autoComplete="off"
          {...nameProps}
          onChange={(event) => {
            const name = event.currentTarget.value;
            form.setFieldValue('name', name);
            if (!isSlugEdited) form.setFieldValue('slug', slugify(name));
          }}
        />
        <TextInput
          label={t('tenants.form.slug')}
          description={t('tenants.form.slugHint')}
          required
          autoComplete="off"
          maxLength={maxTenantSlugLength}
          {...slugProps}
          onChange={(event) => {
            setIsSlugEdited(true);
            form.setFieldValue('slug', event.currentTarget.value.toLowerCase());
          }}
        />
        <Divider label={t('tenants.form.adminSection')} labelPosition="left" mt="xs" />
        <Group grow align="flex-start">
          <TextInput
            label={t('tenants.form.adminName')}
            required
            autoComplete="off"
            {...form.getInputProps('adminName')}
          />
          <TextInput
            label={t('tenants.form.adminEmail')}
            type="email"
            required
            autoComplete="off"
            {...form.getInputProps('adminEmail')}
          />
        </Group>
        <PasswordField
          label={`${t('tenants.form.adminPassword')} (${t('common.optional')})`}
          description={t('tenants.form.adminPasswordHint')}
          autoComplete="new-password"
          {...form.getInputProps('adminPassword')}
        />
      </ModalForm>
    </AccountCreationModal>
  );
}
