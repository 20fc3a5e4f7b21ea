import 'i18next';
import type ptBR from './pt-BR.json';

/** Types every `t('…')` key against the pt-BR catalogue. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof ptBR };
  }
}
