import { Alert, Button, Divider, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CreateTenantResult,
  maxTenantSlugLength,
  minTenantSlugLength,
  tenantSlugPattern,
} from '../../api/api-types';
import { createFormRules } from '../../components/form-rules';
import { notifySuccess } from '../../components/notify';
import { PasswordField } from '../../components/password-field';
import { TemporaryPasswordPanel } from '../../components/temporary-password-panel';
import { describeError } from '../../i18n/describe-error';
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
  const [created, setCreated] = useState<CreateTenantResult | null>(null);
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
    setCreated(null);
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
          if (result.temporaryPassword) setCreated(result);
          else close();
        },
      },
    );
  });

  const nameProps = form.getInputProps('name');
  const slugProps = form.getInputProps('slug');

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('temporaryPassword.title') : t('tenants.form.title')}
      centered
      size="lg"
      closeOnClickOutside={!created}
    >
      {created?.temporaryPassword ? (
        <TemporaryPasswordPanel
          password={created.temporaryPassword}
          name={created.admin.name}
          email={created.admin.email}
          onDone={close}
        />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {createTenant.isError ? (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
                {describeError(t, createTenant.error)}
              </Alert>
            ) : null}
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
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={close} disabled={createTenant.isPending}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={createTenant.isPending}>
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
