import { JsonInput, Select, Switch, TagsInput, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { PasswordField } from '../../components/password-field';
import { configFieldHint, configFieldLabel } from './channel-labels';
import type { ConfigField } from './config-form';

type ConfigFieldInputProps = {
  field: ConfigField;
  /** `form.getInputProps('config.<key>')` (with `type: 'checkbox'` for booleans). */
  inputProps: GetInputPropsReturnType;
  /** The channel already has this secret stored (editing): empty keeps it. */
  isSecretStored: boolean;
  /** The channel already has a value for this (non-secret) setting: it cannot be emptied. */
  isStored?: boolean;
};

function placeholderOf(field: ConfigField): string | undefined {
  const value = field.defaultValue;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** One input of a provider's generated settings form, chosen by the field's kind. */
export function ConfigFieldInput({
  field,
  inputProps,
  isSecretStored,
  isStored = false,
}: ConfigFieldInputProps) {
  const { t } = useTranslation();
  const label = configFieldLabel(t, field.key);
  const hint = configFieldHint(t, field.key, field.description);
  const common = {
    label,
    description: hint,
    required: field.isRequired && !(field.kind === 'secret' && isSecretStored),
    'data-config-field': field.key,
  };

  switch (field.kind) {
    case 'secret':
      return (
        <PasswordField
          {...common}
          {...inputProps}
          description={isSecretStored ? t('channels.form.secretStored') : hint}
          placeholder={isSecretStored ? t('channels.form.secretStoredPlaceholder') : undefined}
          autoComplete="new-password"
        />
      );
    case 'boolean':
      return <Switch {...common} {...inputProps} mt="xs" />;
    case 'enum': {
      // An optional choice without a default may stay empty: the provider decides. Once stored,
      // it can be changed but not emptied (the API keeps settings a patch leaves out).
      const isClearable = !field.isRequired && field.defaultValue === undefined && !isStored;
      return (
        <Select
          {...common}
          {...inputProps}
          // The form keeps '' for "none"; Mantine's Select says null.
          value={
            typeof inputProps.value === 'string' && inputProps.value !== ''
              ? inputProps.value
              : null
          }
          onChange={(value: string | null) => inputProps.onChange(value ?? '')}
          data={field.options ?? []}
          allowDeselect={isClearable}
          clearable={isClearable}
          placeholder={isClearable ? t('channels.form.enumDefault') : undefined}
        />
      );
    }
    case 'string-list':
      return (
        <TagsInput
          {...common}
          {...inputProps}
          placeholder={t('channels.form.listPlaceholder')}
          // Not on spaces: phone numbers are often typed with them.
          splitChars={[',', ';']}
          maxTags={field.maxItems}
        />
      );
    case 'json':
      return (
        <JsonInput
          {...common}
          {...inputProps}
          autosize
          minRows={3}
          formatOnBlur
          validationError={t('channels.form.problems.json')}
        />
      );
    case 'number':
    case 'integer':
      return (
        <TextInput
          {...common}
          {...inputProps}
          inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
          placeholder={placeholderOf(field)}
          autoComplete="off"
        />
      );
    default:
      return (
        <TextInput
          {...common}
          {...inputProps}
          type={field.kind === 'url' ? 'url' : field.kind === 'email' ? 'email' : 'text'}
          placeholder={placeholderOf(field)}
          autoComplete="off"
        />
      );
  }
}
