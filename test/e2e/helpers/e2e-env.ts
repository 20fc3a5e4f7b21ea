/**
 * Knobs for the browser tests. By default each test file starts its own server; set
 * RECADO_E2E_BASE_URL (with the admin's credentials) to run against one that is already up.
 */
export const externalBaseUrl = process.env.RECADO_E2E_BASE_URL || undefined;
export const externalAdminEmail = process.env.RECADO_E2E_ADMIN_EMAIL ?? 'admin@example.com';
export const externalAdminPassword = process.env.RECADO_E2E_ADMIN_PASSWORD ?? '';
export const chromiumPath = process.env.RECADO_E2E_CHROMIUM ?? '/usr/bin/chromium';
