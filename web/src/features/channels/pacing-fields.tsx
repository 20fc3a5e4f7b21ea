import { Divider, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { defaultQrPacing, formatPacing, type PacingFormValues } from './pacing';

type PacingFieldsProps = {
  values: PacingFormValues;
  /** `form.getInputProps('pacing.<field>')` (checkbox props for the switches). */
  inputProps(field: keyof PacingFormValues): GetInputPropsReturnType;
  /** QR providers pace bulk sends by default; others do not. */
  hasQrSession: boolean;
};

/**
 * The channel form's pacing section: the provider's default, or the channel's own random gap
 * between recipients, hourly ceiling and "typing…" presence.
 */
export function PacingFields({ values, inputProps, hasQrSession }: PacingFieldsProps) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="sm" data-testid="pacing-fields">
      <Divider label={t('channels.pacing.section')} labelPosition="left" />
      <Text size="xs" c="dimmed">
        {t('channels.pacing.explanation')}
      </Text>
      <Switch
        label={t('channels.pacing.useDefault')}
        description={
          hasQrSession
            ? t('channels.pacing.defaultQr', {
                pacing: formatPacing(defaultQrPacing, i18n.language),
              })
            : t('channels.pacing.defaultNone')
        }
        {...inputProps('useDefault')}
      />
      {values.useDefault ? null : (
        <>
          <Group grow align="flex-start">
            <TextInput
              label={t('channels.pacing.minGap')}
              inputMode="numeric"
              autoComplete="off"
              required
              {...inputProps('minGapSeconds')}
            />
            <TextInput
              label={t('channels.pacing.maxGap')}
              inputMode="numeric"
              autoComplete="off"
              required
              {...inputProps('maxGapSeconds')}
            />
            <TextInput
              label={t('channels.pacing.maxPerHour')}
              inputMode="numeric"
              autoComplete="off"
              required
              {...inputProps('maxPerHour')}
            />
          </Group>
          <Switch
            label={t('channels.pacing.typing')}
            description={t('channels.pacing.typingHint')}
            {...inputProps('typing')}
          />
        </>
      )}
    </Stack>
  );
}
