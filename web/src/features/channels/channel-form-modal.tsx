import { Alert, Divider, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { type FormErrors, useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/api-error';
import { ModalForm } from '../../components/modal-form';
import { notifySuccess } from '../../components/notify';
import { describeError } from '../../i18n/describe-error';
import { providerLabel } from './channel-labels';
import {
  type Channel,
  type ChannelProvider,
  useChannelProvidersQuery,
  useCreateChannel,
  useUpdateChannel,
} from './channels-api';
import { ConfigFieldInput } from './config-field-input';
import {
  buildConfigPayload,
  type ConfigField,
  type ConfigFieldProblem,
  type ConfigFormMode,
  type ConfigFormValues,
  checkConfigValues,
  configFieldsFromSchema,
  initialConfigValues,
  type JsonSchema,
} from './config-form';
import {
  buildPacingPayload,
  checkPacingValues,
  initialPacingValues,
  type PacingField,
  type PacingFormValues,
  type PacingProblem,
  pacingLimits,
} from './pacing';
import { PacingFields } from './pacing-fields';

/** Limits of `ratePerSecond` in the channels contract. */
const minRate = 1;
const maxRate = 1000;

type ChannelFormValues = {
  provider: string;
  name: string;
  /** Messages per second; empty means the provider's default. */
  ratePerSecond: string;
  config: ConfigFormValues;
  pacing: PacingFormValues;
};

/** `channel` null: a new channel; else that channel's settings. */
type ChannelFormModalProps = { opened: boolean; channel: Channel | null; onClose(): void };

export function ChannelFormModal({ opened, channel, onClose }: ChannelFormModalProps) {
  const { t } = useTranslation();
  const providers = useChannelProvidersQuery();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={
        channel ? t('channels.form.editTitle', { name: channel.name }) : t('channels.form.title')
      }
      centered
      size="lg"
    >
      {providers.isError ? (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          {t('channels.providersLoadError')} {describeError(t, providers.error)}
        </Alert>
      ) : providers.data ? (
        <ChannelForm
          key={channel?.id ?? 'new'}
          providers={providers.data}
          channel={channel}
          onDone={onClose}
        />
      ) : (
        <Text size="sm" c="dimmed">
          {t('common.loading')}
        </Text>
      )}
    </Modal>
  );
}

function fieldsOf(provider: ChannelProvider | undefined): ConfigField[] {
  if (!provider) return [];
  return configFieldsFromSchema(provider.configSchema as JsonSchema, provider.secretFields);
}

function problemMessage(t: TFunction, field: ConfigField, problem: ConfigFieldProblem): string {
  const isItemProblem = problem === 'itemMinLength' || problem === 'itemMaxLength';
  return t(`channels.form.problems.${problem}`, {
    min: (isItemProblem ? field.item?.minLength : (field.minimum ?? field.minLength)) ?? 0,
    max:
      (isItemProblem
        ? field.item?.maxLength
        : (field.maximum ?? field.maxLength ?? field.maxItems)) ?? 0,
  });
}

function pacingProblemMessage(t: TFunction, field: PacingField, problem: PacingProblem): string {
  const limits = field === 'maxPerHour' ? pacingLimits.perHour : pacingLimits.gapSeconds;
  if (problem === 'belowMinGap') return t('channels.pacing.problems.belowMinGap');
  return t(`channels.form.problems.${problem}`, { min: limits.min, max: limits.max });
}

/**
 * The server's `details: [{ path: 'config.x', message }]`, on the fields it names: a path
 * inside a setting (`config.list.2`) lands on that setting, pacing paths on the pacing fields.
 */
function serverFieldErrors(t: TFunction, error: unknown): FormErrors {
  if (!isApiError(error) || !Array.isArray(error.details)) return {};
  const errors: FormErrors = {};
  for (const detail of error.details as unknown[]) {
    if (!detail || typeof detail !== 'object') continue;
    const { path, message } = detail as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const [head, key] = path.replace(/^body\./, '').split('.');
    const field =
      head === 'name' || head === 'ratePerSecond'
        ? head
        : (head === 'config' || head === 'pacing') && key
          ? `${head}.${key}`
          : undefined;
    if (field) errors[field] = t('channels.form.problems.rejected', { reason: message });
  }
  return errors;
}

function ChannelForm({
  providers,
  channel,
  onDone,
}: {
  providers: ChannelProvider[];
  channel: Channel | null;
  onDone(): void;
}) {
  const { t, i18n } = useTranslation();
  const createChannel = useCreateChannel();
  const updateChannel = useUpdateChannel();
  const mutation = channel ? updateChannel : createChannel;
  const initialProvider = channel?.provider ?? '';
  const mode: ConfigFormMode = channel
    ? { kind: 'edit', storedSecrets: channel.secretsSet, storedKeys: Object.keys(channel.config) }
    : { kind: 'create' };
  const hasQrSession = (id: string) =>
    providers.find((p) => p.id === id)?.capabilities.hasQrSession ?? false;
  const form = useForm<ChannelFormValues>({
    mode: 'controlled',
    initialValues: {
      provider: initialProvider,
      name: channel?.name ?? '',
      ratePerSecond: channel?.ratePerSecond ? String(channel.ratePerSecond) : '',
      config: initialConfigValues(
        fieldsOf(providers.find((p) => p.id === initialProvider)),
        channel?.config,
      ),
      pacing: initialPacingValues(channel?.pacing, hasQrSession(initialProvider)),
    },
    validate: (values) => {
      const errors: FormErrors = {};
      if (!values.provider) errors.provider = i18n.t('validation.required');
      if (!values.name.trim()) errors.name = i18n.t('validation.required');
      const rate = values.ratePerSecond.trim();
      if (rate && !(/^\d+$/.test(rate) && Number(rate) >= minRate && Number(rate) <= maxRate)) {
        errors.ratePerSecond = i18n.t('channels.form.rateInvalid', { min: minRate, max: maxRate });
      }
      const fields = fieldsOf(providers.find((p) => p.id === values.provider));
      const problems = checkConfigValues(fields, values.config, mode);
      for (const field of fields) {
        const problem = problems[field.key];
        if (problem) errors[`config.${field.key}`] = problemMessage(i18n.t, field, problem);
      }
      const pacingProblems = checkPacingValues(values.pacing);
      for (const [key, problem] of Object.entries(pacingProblems)) {
        errors[`pacing.${key}`] = pacingProblemMessage(i18n.t, key as PacingField, problem);
      }
      return errors;
    },
  });

  const provider = providers.find((p) => p.id === form.values.provider);
  const fields = useMemo(() => fieldsOf(provider), [provider]);
  const defaultRate = provider?.capabilities.defaultRatePerSecond;

  const chooseProvider = (id: string | null) => {
    if (!id || id === form.values.provider) return;
    form.setFieldValue('provider', id);
    form.setFieldValue('config', initialConfigValues(fieldsOf(providers.find((p) => p.id === id))));
    form.setFieldValue('pacing', initialPacingValues(null, hasQrSession(id)));
    form.clearErrors();
  };

  const submit = form.onSubmit((values) => {
    const name = values.name.trim();
    const rate = values.ratePerSecond.trim();
    const config = buildConfigPayload(fields, values.config, mode);
    const pacing = buildPacingPayload(values.pacing);
    const onError = (error: Error) => form.setErrors(serverFieldErrors(t, error));
    if (channel) {
      updateChannel.mutate(
        {
          id: channel.id,
          changes: {
            name,
            ratePerSecond: rate ? Number(rate) : null,
            pacing,
            ...(fields.length > 0 ? { config } : {}),
          },
        },
        {
          onSuccess: (updated) => {
            notifySuccess(t('channels.notify.updated', { name: updated.name }));
            onDone();
          },
          onError,
        },
      );
      return;
    }
    createChannel.mutate(
      {
        provider: values.provider,
        name,
        config,
        ...(rate ? { ratePerSecond: Number(rate) } : {}),
        ...(pacing ? { pacing } : {}),
      },
      {
        onSuccess: (created) => {
          notifySuccess(t('channels.notify.created', { name: created.name }));
          onDone();
        },
        onError,
      },
    );
  });

  return (
    <ModalForm
      onSubmit={submit}
      onCancel={onDone}
      error={mutation.error}
      isPending={mutation.isPending}
      submitLabel={channel ? t('common.save') : t('common.create')}
    >
      <Select
        label={t('channels.form.provider')}
        data={providers.map((p) => ({ value: p.id, label: providerLabel(t, p.id) }))}
        required
        disabled={channel !== null}
        allowDeselect={false}
        placeholder={t('channels.form.providerPlaceholder')}
        description={provider ? t(`channels.form.providerHint.${hintKey(provider)}`) : undefined}
        value={form.values.provider || null}
        error={form.errors.provider}
        onChange={chooseProvider}
      />
      <TextInput
        label={t('channels.form.name')}
        description={t('channels.form.nameHint')}
        required
        data-autofocus
        autoComplete="off"
        {...form.getInputProps('name')}
      />
      {provider ? (
        <>
          {fields.length > 0 ? (
            <Divider
              label={t('channels.form.settingsSection', {
                provider: providerLabel(t, provider.id),
              })}
              labelPosition="left"
            />
          ) : null}
          <Stack gap="sm">
            {fields.map((field) => (
              <ConfigFieldInput
                key={`${provider.id}.${field.key}`}
                field={field}
                isSecretStored={channel?.secretsSet.includes(field.key) ?? false}
                isStored={channel !== null && Object.hasOwn(channel.config, field.key)}
                inputProps={form.getInputProps(
                  `config.${field.key}`,
                  field.kind === 'boolean' ? { type: 'checkbox' } : undefined,
                )}
              />
            ))}
          </Stack>
          <Divider label={t('channels.form.rateSection')} labelPosition="left" />
          <TextInput
            label={t('channels.form.rate')}
            description={t('channels.form.rateHint')}
            inputMode="numeric"
            autoComplete="off"
            placeholder={
              defaultRate !== undefined
                ? t('channels.form.rateDefault', { count: defaultRate })
                : undefined
            }
            {...form.getInputProps('ratePerSecond')}
          />
          <PacingFields
            values={form.values.pacing}
            hasQrSession={provider.capabilities.hasQrSession}
            inputProps={(field) =>
              form.getInputProps(
                `pacing.${field}`,
                field === 'useDefault' || field === 'typing' ? { type: 'checkbox' } : undefined,
              )
            }
          />
        </>
      ) : null}
    </ModalForm>
  );
}

/** Which one-line explanation the provider select shows. */
function hintKey(provider: ChannelProvider): 'internal' | 'window' | 'plain' | 'qr' {
  if (!provider.hasWebhook) return 'internal';
  if (provider.capabilities.hasQrSession) return 'qr';
  return provider.capabilities.hasServiceWindow ? 'window' : 'plain';
}
