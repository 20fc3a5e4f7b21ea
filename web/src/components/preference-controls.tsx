import {
  ActionIcon,
  Button,
  Menu,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { IconCheck, IconLanguage, IconMoon, IconSun } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { supportedLanguages } from '../i18n/i18n';
import { useLanguage } from '../i18n/use-language';

/** Light/dark switch for pages without the user menu (the login page). */
export function ColorSchemeToggle() {
  const { t } = useTranslation();
  const { setColorScheme } = useMantineColorScheme();
  const isDark = useComputedColorScheme('light') === 'dark';
  const label = isDark ? t('userMenu.light') : t('userMenu.dark');
  return (
    <Tooltip label={label}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={label}
        onClick={() => setColorScheme(isDark ? 'light' : 'dark')}
      >
        {isDark ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

/** Language picker for pages without the user menu (the login page). */
export function LanguagePicker() {
  const { t } = useTranslation();
  const { language, setLanguage } = useLanguage();
  return (
    <Menu position="bottom-end" width={200}>
      <Menu.Target>
        <Button variant="default" leftSection={<IconLanguage size={16} />}>
          {t(`languages.${language}`)}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {supportedLanguages.map((option) => (
          <Menu.Item
            key={option}
            onClick={() => setLanguage(option)}
            rightSection={option === language ? <IconCheck size={14} /> : null}
            lang={option}
          >
            {t(`languages.${option}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
