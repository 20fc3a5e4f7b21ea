import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/api-client';
import { createTokenStore } from './api/token-store';
import { App } from './app';
import { createI18n } from './i18n/i18n';
import { createQueryClient } from './query-client';

const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks the #root element');

const api = createApiClient({
  tokens: createTokenStore(window.localStorage),
  locks: 'locks' in navigator ? navigator.locks : undefined,
});

createRoot(container).render(
  <StrictMode>
    <App api={api} queryClient={createQueryClient()} i18n={createI18n()} />
  </StrictMode>,
);
