import { useTranslation } from 'react-i18next';
import { defaultLanguage, isLanguage, type Language, storeLanguage } from './i18n';

/** The UI language and a setter that also remembers the choice in this browser. */
export function useLanguage(): { language: Language; setLanguage(language: Language): void } {
  const { i18n } = useTranslation();
  const current = i18n.resolvedLanguage ?? i18n.language;
  return {
    language: isLanguage(current) ? current : defaultLanguage,
    setLanguage(language) {
      storeLanguage(language);
      void i18n.changeLanguage(language);
    },
  };
}
