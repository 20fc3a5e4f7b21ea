import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ptBR from './pt-BR.json';

export const supportedLanguages = ['pt-BR', 'en'] as const;
export type Language = (typeof supportedLanguages)[number];
export const defaultLanguage: Language = 'pt-BR';

/** Both catalogues must have the same keys: each assignment fails to compile otherwise. */
const resources = {
  'pt-BR': { translation: ptBR satisfies typeof en },
  en: { translation: en satisfies typeof ptBR },
};

const languageStorageKey = 'recado.language';

export function isLanguage(value: unknown): value is Language {
  return supportedLanguages.includes(value as Language);
}

/** The language the user picked in this browser, if any. */
export function readStoredLanguage(): Language | undefined {
  try {
    const stored = localStorage.getItem(languageStorageKey);
    return isLanguage(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

export function storeLanguage(language: Language): void {
  try {
    localStorage.setItem(languageStorageKey, language);
  } catch {
    // Without storage the choice lasts for this page only.
  }
}

/** Maps a user's account locale to a UI language (pt-PT reads the pt-BR catalogue). */
export function languageForLocale(locale: string): Language {
  if (isLanguage(locale)) return locale;
  return locale.startsWith('pt') ? 'pt-BR' : defaultLanguage;
}

export function createI18n(language: Language = readStoredLanguage() ?? defaultLanguage): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: defaultLanguage,
    supportedLngs: [...supportedLanguages],
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  syncDocumentLanguage(language);
  instance.on('languageChanged', syncDocumentLanguage);
  return instance;
}

function syncDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
}
