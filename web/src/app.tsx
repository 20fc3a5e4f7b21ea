import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { i18n } from 'i18next';
import { lazy } from 'react';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router';
import type { ApiClient } from './api/api-client';
import { ApiClientProvider } from './api/api-context';
import { AuthProvider } from './auth/auth-context';
import { canManageTenants, canManageUsers } from './auth/permissions';
import { RequireAuth, RequirePermission } from './auth/route-guards';
import { LoginPage } from './features/auth/login-page';
import { canSendMessages } from './features/channels/channel-permissions';
import { DashboardPage } from './features/dashboard/dashboard-page';
import { NotFoundPage } from './features/errors/not-found-page';
import { canViewFlows } from './features/flows/flow-permissions';
import { ModulePlaceholderPage } from './features/modules/module-placeholder-page';
import { AppLayout } from './layout/app-layout';
import { placeholderModules } from './layout/navigation-items';
import { colorSchemeManager, theme } from './theme';

// Admin pages are loaded on demand: most users never open them.
const UsersPage = lazy(() =>
  import('./features/users/users-page').then((module) => ({ default: module.UsersPage })),
);
const TenantsPage = lazy(() =>
  import('./features/tenants/tenants-page').then((module) => ({ default: module.TenantsPage })),
);
// Messaging pages: each in its own chunk too.
const ConversationsPage = lazy(() =>
  import('./features/conversations/conversations-page').then((module) => ({
    default: module.ConversationsPage,
  })),
);
const ChannelsPage = lazy(() =>
  import('./features/channels/channels-page').then((module) => ({ default: module.ChannelsPage })),
);
const SandboxPage = lazy(() =>
  import('./features/sandbox/sandbox-page').then((module) => ({ default: module.SandboxPage })),
);
// Flows: the list, one flow's editor (with the graph library) and the sessions view.
const FlowsPage = lazy(() =>
  import('./features/flows/flows-page').then((module) => ({ default: module.FlowsPage })),
);
const FlowEditorPage = lazy(() =>
  import('./features/flows/flow-editor-page').then((module) => ({
    default: module.FlowEditorPage,
  })),
);
// Travel expenses: trips, travellers, the cost-centre chart; one trip's receipts and reports.
const ExpensesPage = lazy(() =>
  import('./features/expenses/expenses-page').then((module) => ({ default: module.ExpensesPage })),
);
const TripDetailPage = lazy(() =>
  import('./features/expenses/trip-detail-page').then((module) => ({
    default: module.TripDetailPage,
  })),
);
const FlowSessionsPage = lazy(() =>
  import('./features/flows/flow-sessions-page').then((module) => ({
    default: module.FlowSessionsPage,
  })),
);

/** Pages only some users may open; the others get the "restricted" page. */
const guardedPages = [
  { path: '/users', isAllowed: canManageUsers, Page: UsersPage },
  { path: '/tenants', isAllowed: canManageTenants, Page: TenantsPage },
  { path: '/sandbox', isAllowed: canSendMessages, Page: SandboxPage },
  { path: '/flows', isAllowed: canViewFlows, Page: FlowsPage },
  { path: '/flows/sessions', isAllowed: canViewFlows, Page: FlowSessionsPage },
  { path: '/flows/:flowId', isAllowed: canViewFlows, Page: FlowEditorPage },
] as const;

export type AppProps = {
  api: ApiClient;
  queryClient: QueryClient;
  i18n: i18n;
};

/** Providers and routes of the dashboard; `main.tsx` builds the dependencies. */
export function App({ api, queryClient, i18n }: AppProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider
        theme={theme}
        colorSchemeManager={colorSchemeManager}
        defaultColorScheme="auto"
      >
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <ApiClientProvider client={api}>
            <AuthProvider>
              <BrowserRouter>
                <AppRoutes />
              </BrowserRouter>
            </AuthProvider>
          </ApiClientProvider>
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="/conversations/:conversationId?" element={<ConversationsPage />} />
        <Route path="/channels" element={<ChannelsPage />} />
        <Route path="/expenses" element={<ExpensesPage />} />
        <Route path="/expenses/trips/:tripId" element={<TripDetailPage />} />
        {placeholderModules.map(({ key, path }) => (
          <Route key={key} path={path} element={<ModulePlaceholderPage module={key} />} />
        ))}
        {guardedPages.map(({ path, isAllowed, Page }) => (
          <Route
            key={path}
            path={path}
            element={
              <RequirePermission isAllowed={isAllowed}>
                <Page />
              </RequirePermission>
            }
          />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
