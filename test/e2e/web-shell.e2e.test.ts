import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTenantThroughApi, signInThroughApi } from './helpers/api.js';
import { type BrowserSession, openBrowser } from './helpers/browser.js';
import { type RecadoServer, startRecadoServer } from './helpers/recado-server.js';

/**
 * The dashboard shell against the real server: sign-in, sign-out, the super admin's tenants
 * page and a tenant admin's users page. Texts are the pt-BR defaults users see.
 */

let server: RecadoServer;
const sessions: BrowserSession[] = [];

beforeAll(async () => {
  server = await startRecadoServer();
});

afterEach(async () => {
  const closing = sessions.splice(0);
  const pageErrors = closing.flatMap((session) => session.pageErrors);
  await Promise.all(closing.map((session) => session.close()));
  expect(pageErrors, 'errors thrown in the page').toEqual([]);
});

afterAll(async () => {
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const session = await openBrowser(server.baseUrl);
  sessions.push(session);
  return session.page;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await page.getByRole('textbox', { name: 'Senha' }).fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

async function signInAsSuperAdmin(page: Page): Promise<void> {
  await signIn(page, server.adminEmail, server.adminPassword);
  await page.getByRole('heading', { name: 'Painel', level: 2 }).waitFor();
}

function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

describe('sign-in', () => {
  it('shows the API error when the password is wrong, and stays on the login page', async () => {
    const page = await newPage();
    await signIn(page, server.adminEmail, 'definitely-not-the-password');

    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('E-mail ou senha inválidos.');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('lands on the dashboard after a successful sign-in', async () => {
    const page = await newPage();
    await signInAsSuperAdmin(page);

    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByTestId('dashboard-greeting').waitFor();
    // The super admin sees both administration entries.
    await page.getByRole('link', { name: 'Usuários' }).waitFor();
    await page.getByRole('link', { name: 'Empresas' }).waitFor();
    // The user menu shows who is signed in.
    await page.getByTestId('user-menu').click();
    expect(await page.getByTestId('user-menu-email').textContent()).toBe(server.adminEmail);
  });

  it('keeps the session across a reload (refresh token) and opens the live connection', async () => {
    const page = await newPage();
    await signInAsSuperAdmin(page);
    await page.reload();

    await page.getByRole('heading', { name: 'Painel', level: 2 }).waitFor();
    await page.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();
  });

  it('returns to the login page after signing out, and the old session is gone', async () => {
    const page = await newPage();
    await signInAsSuperAdmin(page);

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sair' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByRole('button', { name: 'Entrar' }).waitFor();

    expect(await page.evaluate(() => localStorage.getItem('recado.refresh-token'))).toBeNull();
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
  });
});

describe('preferences', () => {
  it('switches to English and dark mode from the user menu, and remembers both', async () => {
    const page = await newPage();
    await signInAsSuperAdmin(page);

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 2 }).waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Dark theme' }).click();
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');

    await page.reload();
    await page.getByRole('link', { name: 'Tenants' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
  });
});

describe('tenants page (super admin)', () => {
  it('creates a tenant with a generated password and lists it', async () => {
    const page = await newPage();
    await signInAsSuperAdmin(page);
    const suffix = uniqueSuffix();
    const name = `Transportes Lisboa ${suffix}`;
    const slug = `transportes-lisboa-${suffix}`;

    await page.getByRole('link', { name: 'Empresas' }).click();
    await page.getByRole('heading', { name: 'Empresas', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Nova empresa' }).click();

    const dialog = page.getByRole('dialog', { name: 'Nova empresa' });
    await dialog.getByRole('textbox', { name: 'Nome da empresa' }).fill(name);
    // The slug is suggested from the name.
    expect(await dialog.getByRole('textbox', { name: 'Identificador' }).inputValue()).toBe(slug);
    await dialog.getByRole('textbox', { name: 'Nome', exact: true }).fill('Joana Ferreira');
    await dialog.getByRole('textbox', { name: 'E-mail' }).fill(`joana+${suffix}@example.com`);
    await dialog.getByRole('button', { name: 'Criar' }).click();

    // No password given: the generated one is shown once.
    const temporaryPassword = page.getByTestId('temporary-password');
    await temporaryPassword.waitFor();
    expect((await temporaryPassword.inputValue()).length).toBeGreaterThanOrEqual(8);
    await page.getByRole('button', { name: 'Concluído' }).click();

    const row = page.getByTestId('tenant-row').filter({ hasText: name });
    await row.waitFor();
    const rowText = await row.textContent();
    expect(rowText).toContain(slug);
    expect(rowText).toContain('Ativa');
  });
});

describe('users page (tenant admin)', () => {
  it('lists the tenant users and adds an operator', async () => {
    const suffix = uniqueSuffix();
    const admin = {
      name: 'Marcos Tavares',
      email: `marcos+${suffix}@example.com`,
      password: `tenant-admin-${suffix}-pass`,
    };
    const token = await signInThroughApi(server.baseUrl, server.adminEmail, server.adminPassword);
    await createTenantThroughApi(server.baseUrl, token, {
      name: `Cobranças Paulista ${suffix}`,
      slug: `cobrancas-paulista-${suffix}`,
      admin,
    });

    const page = await newPage();
    await signIn(page, admin.email, admin.password);
    await page.getByRole('heading', { name: 'Painel', level: 2 }).waitFor();
    // A tenant admin manages users but not tenants.
    expect(await page.getByRole('link', { name: 'Empresas' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Usuários' }).click();

    const adminRow = page.getByTestId('user-row').filter({ hasText: admin.email });
    await adminRow.waitFor();
    expect(await adminRow.textContent()).toContain(admin.name);
    expect(await adminRow.getByLabel(`Papel de ${admin.name}`).inputValue()).toBe('Administrador');

    await page.getByRole('button', { name: 'Novo usuário' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo usuário' });
    await dialog.getByRole('textbox', { name: 'Nome' }).fill('Paula Operadora');
    await dialog.getByRole('textbox', { name: 'E-mail' }).fill(`paula+${suffix}@example.com`);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await page.getByTestId('temporary-password').waitFor();
    await page.getByRole('button', { name: 'Concluído' }).click();

    const operatorRow = page
      .getByTestId('user-row')
      .filter({ hasText: `paula+${suffix}@example.com` });
    await operatorRow.waitFor();
    expect(await operatorRow.getByLabel('Papel de Paula Operadora').inputValue()).toBe('Operador');
    expect(await page.getByTestId('user-row').count()).toBe(2);
  });
});
