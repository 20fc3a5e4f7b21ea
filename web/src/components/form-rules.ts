import type { i18n } from 'i18next';
import { minPasswordLength } from '../api/api-types';

/**
 * Validation rules for @mantine/form that translate their message when they run, so a
 * language switch with the form open shows the new language.
 */
export function createFormRules(i18next: i18n) {
  return {
    required: (value: string) => (value.trim() ? null : i18next.t('validation.required')),
    email: (value: string) =>
      /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : i18next.t('validation.email'),
    optionalPassword: (value: string) =>
      value === '' || value.length >= minPasswordLength
        ? null
        : i18next.t('validation.passwordLength', { count: minPasswordLength }),
  };
}
