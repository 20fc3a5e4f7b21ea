import type { TFunction } from 'i18next';
import ptBR from '../../i18n/pt-BR.json';
import { humanizeFieldKey } from './config-form';

/**
 * Names for what the server describes by id: providers and their config fields. Ids this
 * dashboard does not know yet (a newer server) fall back to the id, or the schema's text.
 */
const providerNames = ptBR.channels.providers;
const fieldLabels = ptBR.channels.configFields;
const fieldHints = ptBR.channels.configHints;

function isKey<T extends object>(catalogue: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(catalogue, key);
}

export function providerLabel(t: TFunction, providerId: string): string {
  return isKey(providerNames, providerId) ? t(`channels.providers.${providerId}`) : providerId;
}

export function configFieldLabel(t: TFunction, key: string): string {
  return isKey(fieldLabels, key) ? t(`channels.configFields.${key}`) : humanizeFieldKey(key);
}

/** The field's help text: ours when we have one, else the provider's own description. */
export function configFieldHint(
  t: TFunction,
  key: string,
  schemaDescription: string | undefined,
): string | undefined {
  return isKey(fieldHints, key) ? t(`channels.configHints.${key}`) : schemaDescription;
}
