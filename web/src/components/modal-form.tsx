import { Alert, Button, Group, Stack } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { FormEventHandler, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/describe-error';

type ModalFormProps = {
  onSubmit: FormEventHandler<HTMLFormElement>;
  onCancel(): void;
  /** The submission's failure, shown above the fields; null while there is none. */
  error: Error | null;
  isPending: boolean;
  submitLabel: string;
  /** The fields. */
  children: ReactNode;
};

/** A form inside a modal: the submission's error, the fields, then Cancel and submit. */
export function ModalForm({
  onSubmit,
  onCancel,
  error,
  isPending,
  submitLabel,
  children,
}: ModalFormProps) {
  const { t } = useTranslation();
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {error ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {describeError(t, error)}
          </Alert>
        ) : null}
        {children}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel} disabled={isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
