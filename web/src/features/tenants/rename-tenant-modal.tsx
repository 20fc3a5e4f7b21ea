import { Modal, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tenant } from '../../api/api-types';
import { createFormRules } from '../../components/form-rules';
import { ModalForm } from '../../components/modal-form';
import { notifySuccess } from '../../components/notify';
import { useUpdateTenant } from './tenants-api';

/** Opened with the tenant to rename; closed when `tenant` is null. */
export function RenameTenantModal({ tenant, onClose }: { tenant: Tenant | null; onClose(): void }) {
  const { t } = useTranslation();
  // Keep showing the last tenant while the modal animates closed.
  const [shownTenant, setShownTenant] = useState(tenant);
  if (tenant && tenant !== shownTenant) setShownTenant(tenant);

  return (
    <Modal
      opened={tenant !== null}
      onClose={onClose}
      title={t('tenants.renameForm.title')}
      centered
    >
      {shownTenant ? (
        <RenameTenantForm key={shownTenant.id} tenant={shownTenant} onDone={onClose} />
      ) : null}
    </Modal>
  );
}

function RenameTenantForm({ tenant, onDone }: { tenant: Tenant; onDone(): void }) {
  const { t, i18n } = useTranslation();
  const rules = createFormRules(i18n);
  const updateTenant = useUpdateTenant();
  const form = useForm<{ name: string }>({
    mode: 'controlled',
    initialValues: { name: tenant.name },
    validate: { name: rules.required },
  });

  const submit = form.onSubmit(({ name }) => {
    updateTenant.mutate(
      { id: tenant.id, changes: { name: name.trim() } },
      {
        onSuccess: (updated) => {
          notifySuccess(t('tenants.notify.renamed', { name: updated.name }));
          onDone();
        },
      },
    );
  });

  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onDone}
      error={updateTenant.error}
      isPending={updateTenant.isPending}
      submitLabel={t('common.save')}
    >
      <TextInput
        label={t('tenants.renameForm.name')}
        required
        data-autofocus
        autoComplete="off"
        {...form.getInputProps('name')}
      />
    </ModalForm>
  );
}
