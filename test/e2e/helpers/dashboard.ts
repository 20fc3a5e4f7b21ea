import type { Page } from 'playwright-core';

/** Signs in through the login page (pt-BR texts) and waits for the dashboard. */
export async function signInThroughPage(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await page.getByRole('textbox', { name: 'Senha' }).fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: 'Painel', level: 2 }).waitFor();
}

/** Waits until the page's live connection (WebSocket) is open. */
export async function waitForLive(page: Page): Promise<void> {
  await page.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();
}
