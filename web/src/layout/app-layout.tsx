import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/auth-context';
import { BrandMark } from '../components/brand-mark';
import { FullPageLoader } from '../components/full-page-loader';
import { RealtimeProvider } from '../realtime/realtime-context';
import { isNavigationItemActive, type NavigationItem, navigationItems } from './navigation-items';
import { RealtimeIndicator } from './realtime-indicator';
import { UserMenu } from './user-menu';

const groups = ['operation', 'administration'] as const;

/** The signed-in frame: header, navigation and the current page. */
export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const { pathname } = useLocation();
  const [isNavOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const visibleItems = navigationItems.filter((item) => item.isVisibleTo?.(session) ?? true);

  const renderItem = (item: NavigationItem) => (
    <NavLink
      key={item.key}
      component={Link}
      to={item.path}
      label={t(`nav.${item.key}`)}
      leftSection={<item.icon size={19} stroke={1.6} />}
      active={isNavigationItemActive(item, pathname)}
      onClick={closeNav}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
      data-testid={`nav-${item.key}`}
    />
  );

  return (
    <RealtimeProvider>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }}
        padding="lg"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="md" wrap="nowrap">
              <Burger
                opened={isNavOpen}
                onClick={toggleNav}
                hiddenFrom="sm"
                size="sm"
                aria-label={t('nav.toggle')}
              />
              <BrandMark />
              <Badge variant="light" color="gray" radius="sm" tt="none" visibleFrom="sm" size="lg">
                {session.tenant.name}
              </Badge>
            </Group>
            <Group gap="md" wrap="nowrap">
              <RealtimeIndicator />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="sm" aria-label={t('nav.main')}>
          <AppShell.Section grow component={ScrollArea}>
            <Stack gap="lg">
              {groups.map((group) => {
                const items = visibleItems.filter((item) => item.group === group);
                if (items.length === 0) return null;
                return (
                  <Stack key={group} gap={2}>
                    <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pb={4}>
                      {t(`nav.${group}`)}
                    </Text>
                    {items.map(renderItem)}
                  </Stack>
                );
              })}
            </Stack>
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main>
          <Suspense fallback={<FullPageLoader isInline />}>
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </RealtimeProvider>
  );
}
