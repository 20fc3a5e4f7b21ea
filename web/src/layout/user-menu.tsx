import {
  Avatar,
  Group,
  Menu,
  Text,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { IconCheck, IconChevronDown, IconLogout, IconMoon, IconSun } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth, useSession } from '../auth/auth-context';
import { initialsOf } from '../components/initials';
import { supportedLanguages } from '../i18n/i18n';
import { useLanguage } from '../i18n/use-language';

/** Avatar menu: who is signed in, language, light/dark theme, sign out. */
export function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const { language, setLanguage } = useLanguage();
  const { setColorScheme } = useMantineColorScheme();
  const isDark = useComputedColorScheme('light') === 'dark';
  const roleLabel = session.user.isSuperAdmin ? t('roles.superAdmin') : t(`roles.${session.role}`);

  const signOut = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <Menu position="bottom-end" width={260} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('userMenu.open')} data-testid="user-menu">
          <Group gap="xs" wrap="nowrap">
            <Avatar color="teal" radius="xl" size={34}>
              {initialsOf(session.user.name)}
            </Avatar>
            <div style={{ lineHeight: 1.2 }}>
              <Text size="sm" fw={600} visibleFrom="sm" lineClamp={1}>
                {session.user.name}
              </Text>
              <Text size="xs" c="dimmed" visibleFrom="sm" lineClamp={1}>
                {roleLabel}
              </Text>
            </div>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" lineClamp={1}>
            {session.user.name}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={1} data-testid="user-menu-email">
            {session.user.email}
          </Text>
          <Text size="xs" c="dimmed" lineClamp={1}>
            {session.tenant.name} · {roleLabel}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Label>{t('userMenu.language')}</Menu.Label>
        {supportedLanguages.map((option) => (
          <Menu.Item
            key={option}
            lang={option}
            onClick={() => setLanguage(option)}
            rightSection={option === language ? <IconCheck size={14} /> : null}
          >
            {t(`languages.${option}`)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Label>{t('userMenu.theme')}</Menu.Label>
        <Menu.Item
          leftSection={isDark ? <IconSun size={16} /> : <IconMoon size={16} />}
          onClick={() => setColorScheme(isDark ? 'light' : 'dark')}
        >
          {isDark ? t('userMenu.light') : t('userMenu.dark')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} />}
          onClick={() => void signOut()}
        >
          {t('userMenu.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
