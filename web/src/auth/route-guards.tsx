import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { IconCloudOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import type { Session } from '../api/api-client';
import { FullPageLoader } from '../components/full-page-loader';
import { ForbiddenPage } from '../features/errors/forbidden-page';
import { useAuth, useSession } from './auth-context';

/** Where the login page sends the user back to, and why they were sent to it. */
export type LoginRedirectState = { from?: string; isExpired?: boolean };

/** Renders its children only for a signed-in user; otherwise sends them to the login page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'signed-in') return children;
  if (state.status === 'restoring') return <FullPageLoader />;
  if (state.status === 'unreachable') return <ServerUnreachable />;
  const redirect: LoginRedirectState = {
    from: `${location.pathname}${location.search}`,
    isExpired: state.isExpired,
  };
  return <Navigate to="/login" replace state={redirect} />;
}

/** Renders its children only when `isAllowed` accepts the session; else a "restricted" page. */
export function RequirePermission({
  isAllowed,
  children,
}: {
  isAllowed: (session: Session) => boolean;
  children: ReactNode;
}) {
  const session = useSession();
  return isAllowed(session) ? children : <ForbiddenPage />;
}

function ServerUnreachable() {
  const { t } = useTranslation();
  const { retryRestore } = useAuth();
  return (
    <Center h="100dvh" p="md">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <IconCloudOff size={48} stroke={1.4} color="var(--mantine-color-dimmed)" />
        <Title order={3}>{t('boot.errorTitle')}</Title>
        <Text c="dimmed">{t('boot.errorBody')}</Text>
        <Button onClick={retryRestore} mt="sm">
          {t('common.retry')}
        </Button>
      </Stack>
    </Center>
  );
}
