import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeWppconnect,
  fakeQrUrlCode,
  startFakeWppconnect,
} from '../../src/channels/wppconnect/testing/fake-wppconnect-server.js';
import {
  createChannelThroughApi,
  createTenantThroughApi,
  createUserThroughApi,
  listChannelsThroughApi,
  signInThroughApi,
} from './helpers/api.js';
import { type BrowserSession, openBrowser } from './helpers/browser.js';
import { signInThroughPage, waitForLive } from './helpers/dashboard.js';
import { type RecadoServer, startRecadoServer } from './helpers/recado-server.js';

/**
 * QR channels in the dashboard against the real server and a loopback WPPConnect Server (the
 * fake the adapter's own tests use): the generated form, pairing through the QR dialog, the
 * session badge and actions, and the pacing policy. Texts are the pt-BR defaults users see.
 */

let server: RecadoServer;
let adminToken: string;
const fakes: FakeWppconnect[] = [];
const sessions: BrowserSession[] = [];

beforeAll(async () => {
  server = await startRecadoServer();
  adminToken = await signInThroughApi(server.baseUrl, server.adminEmail, server.adminPassword);
});

afterEach(async () => {
  const closing = sessions.splice(0);
  const pageErrors = closing.flatMap((session) => session.pageErrors);
  await Promise.all(closing.map((session) => session.close()));
  expect(pageErrors, 'errors thrown in the page').toEqual([]);
});

afterAll(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  await server?.stop();
});

async function openSession(): Promise<BrowserSession> {
  const session = await openBrowser(server.baseUrl);
  sessions.push(session);
  return session;
}

async function startFake(session: string): Promise<FakeWppconnect> {
  const fake = await startFakeWppconnect({ session });
  fakes.push(fake);
  return fake;
}

function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

async function openChannelsPage(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Canais' }).click();
  await page.getByRole('heading', { name: 'Canais', level: 2 }).waitFor();
}

function channelRow(page: Page, name: string): Locator {
  return page.getByTestId('channel-row').filter({ hasText: name });
}

async function sessionStatusOf(row: Locator): Promise<string | null> {
  return row.getByTestId('session-status').getAttribute('data-status');
}

/**
 * Opens a row's menu and picks an action. On a loaded machine the click can land while the row
 * re-renders after a live update and the menu does not open; a user would click again, and so
 * does this (at most three times) before failing.
 */
async function chooseRowAction(page: Page, row: Locator, name: string, action: string) {
  const button = row.getByRole('button', { name: `Ações para ${name}` });
  const item = page.getByRole('menuitem', { name: action });
  for (let attempt = 1; ; attempt++) {
    await button.click();
    try {
      await item.waitFor({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await item.click();
}

async function qrSource(dialog: Locator): Promise<string> {
  return (await dialog.getByTestId('pairing-qr').getAttribute('src')) ?? '';
}

describe('a WPPConnect channel in the dashboard', () => {
  it('is created from its form, paired through the QR dialog, paced, disconnected and unpaired', async () => {
    const suffix = uniqueSuffix();
    const name = `Onboarding ${suffix}`;
    const fake = await startFake(`onboarding-${suffix}`);
    const session = await openSession();
    const page = session.page;
    await signInThroughPage(page, server.adminEmail, server.adminPassword);
    await openChannelsPage(page);
    await waitForLive(page);

    // The generated form: every WPPConnect setting is required, the URL is checked.
    await page.getByRole('button', { name: 'Novo canal' }).click();
    let dialog = page.getByRole('dialog', { name: 'Novo canal' });
    await dialog.getByRole('combobox', { name: 'Provedor' }).click();
    await page.getByRole('option', { name: 'WPPConnect' }).click();
    await dialog.getByText('Conexão por QR code (WhatsApp Web)', { exact: false }).waitFor();
    await dialog.getByRole('textbox', { name: 'Nome do canal' }).fill(name);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    expect(await dialog.getByText('Campo obrigatório.').count()).toBe(3);
    const baseUrl = dialog.getByRole('textbox', { name: 'Endereço do servidor' });
    await baseUrl.fill(fake.baseUrl.replace('http://', ''));
    await dialog.getByRole('textbox', { name: 'Sessão' }).fill(fake.session);
    await dialog.getByLabel('Chave secreta do servidor').fill(fake.secretKey);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog
      .getByText('Informe um endereço completo, começando com https://.', { exact: true })
      .waitFor();
    await baseUrl.fill(fake.baseUrl);
    // QR providers pace bulk sends by default.
    const useDefault = dialog.getByRole('switch', { name: 'Usar o padrão do provedor' });
    expect(await useDefault.isChecked()).toBe(true);
    await dialog.getByText('Padrão: 30–60 s · 60/h, com “digitando…”.').waitFor();
    await dialog.getByRole('button', { name: 'Criar' }).click();

    const row = channelRow(page, name);
    await row.waitFor();
    expect(await row.getByTestId('channel-pacing').textContent()).toBe('30–60 s · 60/h (padrão)');
    // Nothing runs on the WPPConnect server yet.
    await row.locator('[data-testid="session-status"][data-status="stopped"]').waitFor();
    await row.getByTestId('channel-status').filter({ hasText: 'Desconectado' }).waitFor();

    // Connect: the dialog starts the session and shows its QR code. The first one comes as
    // the QR's text only (drawn in the browser), the next ones as the server's PNG.
    fake.failNext('qrcode-session', {
      status: 200,
      body: { status: 'QRCODE', qrcode: null, urlcode: `${fakeQrUrlCode},text` },
    });
    await row.getByRole('button', { name: `Conectar ${name} por QR code` }).click();
    dialog = page.getByRole('dialog', { name: `Conectar ${name}` });
    const qr = dialog.getByTestId('pairing-qr');
    await qr.waitFor();
    expect(fake.requests.some((request) => request.route === 'start-session')).toBe(true);
    expect(await qrSource(dialog)).toMatch(/^data:image\/svg\+xml/);
    await expect.poll(() => isImageLoaded(qr), { timeout: 10_000 }).toBe(true);
    await row.locator('[data-testid="session-status"][data-status="qr"]').waitFor();
    // QR codes expire: the dialog fetches a new one (here the PNG) about every 15 s.
    await expect
      .poll(() => qrSource(dialog), { timeout: 25_000, interval: 500 })
      .toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => isImageLoaded(qr), { timeout: 10_000 }).toBe(true);

    // WPPConnect cannot pair by code: the dialog says so and keeps the QR code.
    await dialog
      .getByRole('button', { name: 'Conectar com o número de telefone, sem câmera' })
      .click();
    await dialog
      .getByRole('textbox', { name: 'Número do WhatsApp a conectar' })
      .fill('+55 11 98765-4321');
    await dialog.getByRole('button', { name: 'Gerar código' }).click();
    await dialog
      .getByText('Este provedor não gera código de pareamento: escaneie o QR code.')
      .waitFor();
    expect(await qr.isVisible()).toBe(true);

    // The phone scans the code: the dialog closes with a notice, the row turns active.
    await fake.scanQr();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`${name} está conectado`).first().waitFor();
    await row.locator('[data-testid="session-status"][data-status="connected"]').waitFor();
    await row.getByTestId('channel-status').filter({ hasText: 'Ativo' }).waitFor();

    // A connected session offers restart, disconnect and unpair; not connect.
    await row.getByRole('button', { name: `Ações para ${name}` }).click();
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'Reiniciar sessão' }).waitFor();
    expect(await menu.getByRole('menuitem', { name: 'Conectar (QR code)' }).count()).toBe(0);
    await page.keyboard.press('Escape');

    // Its own pacing policy: checked in the form, then shown in the table.
    await chooseRowAction(page, row, name, 'Editar');
    dialog = page.getByRole('dialog', { name: `Editar ${name}` });
    await dialog.getByRole('switch', { name: 'Usar o padrão do provedor' }).uncheck();
    const minGap = dialog.getByRole('textbox', { name: 'Intervalo mínimo (s)' });
    expect(await minGap.inputValue()).toBe('30');
    await minGap.fill('90');
    await dialog.getByRole('textbox', { name: 'Intervalo máximo (s)' }).fill('45');
    await dialog.getByRole('textbox', { name: 'Máximo por hora' }).fill('30,5');
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.getByText('O intervalo máximo não pode ser menor que o mínimo.').waitFor();
    await dialog.getByText('Informe um número inteiro.').waitFor();
    await dialog.getByRole('textbox', { name: 'Intervalo máximo (s)' }).fill('120');
    await dialog.getByRole('textbox', { name: 'Máximo por hora' }).fill('30');
    await dialog.getByRole('switch', { name: 'Mostrar “digitando…” antes de enviar' }).uncheck();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row
      .getByTestId('channel-pacing')
      .filter({ hasText: /^90–120 s · 30\/h$/ })
      .waitFor();
    const stored = (await listChannelsThroughApi(server.baseUrl, adminToken)).find(
      (channel) => channel.name === name,
    ) as { pacing?: unknown } | undefined;
    expect(stored?.pacing).toEqual({
      minGapSeconds: 90,
      maxGapSeconds: 120,
      maxPerHour: 30,
      typing: false,
    });

    // Back to the provider's default.
    await chooseRowAction(page, row, name, 'Editar');
    dialog = page.getByRole('dialog', { name: `Editar ${name}` });
    const pacingSwitch = dialog.getByRole('switch', { name: 'Usar o padrão do provedor' });
    expect(await pacingSwitch.isChecked()).toBe(false);
    await pacingSwitch.check();
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row
      .getByTestId('channel-pacing')
      .filter({ hasText: '30–60 s · 60/h (padrão)' })
      .waitFor();

    // Disconnect keeps the pairing; the session stops on the server.
    await chooseRowAction(page, row, name, 'Desconectar');
    await row.locator('[data-testid="session-status"][data-status="stopped"]').waitFor();
    await row.getByTestId('channel-status').filter({ hasText: 'Desconectado' }).waitFor();
    expect(fake.state()).toBe('CLOSED');

    // Unpairing asks first.
    await chooseRowAction(page, row, name, 'Desparear telefone');
    const confirm = page.getByRole('dialog', { name: 'Desparear telefone' });
    await confirm.getByText('será preciso escanear um novo QR code', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Desparear telefone' }).click();
    await page.getByText(`O telefone foi despareado de ${name}.`).waitFor();
    expect(fake.requests.some((request) => request.route === 'logout-session')).toBe(true);
  });

  it('offers a retry when the start request fails, then pairs', async () => {
    const suffix = uniqueSuffix();
    const name = `Cobranças ${suffix}`;
    const fake = await startFake(`cobrancas-${suffix}`);
    await createChannelThroughApi(server.baseUrl, adminToken, {
      provider: 'wppconnect',
      name,
      config: { baseUrl: fake.baseUrl, session: fake.session, secretKey: fake.secretKey },
    });
    const session = await openSession();
    const page = session.page;
    await signInThroughPage(page, server.adminEmail, server.adminPassword);
    await openChannelsPage(page);
    const row = channelRow(page, name);
    await row.locator('[data-testid="session-status"][data-status="stopped"]').waitFor();

    // The server cannot start its browser: the request fails and the dialog says so.
    fake.failNext('start-session', {
      status: 500,
      body: { status: 'error', message: 'Error starting the browser' },
    });
    await row.getByRole('button', { name: `Conectar ${name} por QR code` }).click();
    const dialog = page.getByRole('dialog', { name: `Conectar ${name}` });
    await dialog
      .getByText('O provedor do WhatsApp recusou ou não respondeu', { exact: false })
      .waitFor();
    const [retried] = await Promise.all([
      page.waitForRequest(
        (request) => request.method() === 'POST' && request.url().endsWith('/session/start'),
      ),
      dialog.getByRole('button', { name: 'Tentar de novo' }).click(),
    ]);
    expect(retried).toBeTruthy();
    await dialog.getByTestId('pairing-qr').waitFor();
    await fake.scanQr();
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('[data-testid="session-status"][data-status="connected"]').waitFor();
  });

  it('shows a failed session with the provider’s words and starts it again on request', async () => {
    const suffix = uniqueSuffix();
    const name = `Vendas ${suffix}`;
    const fake = await startFake(`vendas-${suffix}`);
    // The server's browser keeps closing: every start and every status says so.
    fake.failNext('start-session', { status: 200, body: { status: 'browserClose' } }, 50);
    fake.failNext('status-session', { status: 200, body: { status: 'browserClose' } }, 500);
    await createChannelThroughApi(server.baseUrl, adminToken, {
      provider: 'wppconnect',
      name,
      config: { baseUrl: fake.baseUrl, session: fake.session, secretKey: fake.secretKey },
    });
    const session = await openSession();
    const page = session.page;
    await signInThroughPage(page, server.adminEmail, server.adminPassword);
    await openChannelsPage(page);
    const row = channelRow(page, name);
    await row.locator('[data-testid="session-status"][data-status="failed"]').waitFor();

    await row.getByRole('button', { name: `Conectar ${name} por QR code` }).click();
    const dialog = page.getByRole('dialog', { name: `Conectar ${name}` });
    // The dialog started it (nothing ran), and the provider answered that it failed.
    await expect
      .poll(() => fake.requests.filter((request) => request.route === 'start-session').length, {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await dialog.locator('[data-testid="pairing-dialog"][data-view="failed"]').waitFor();
    const failed = dialog.getByTestId('pairing-failed');
    await failed.getByText('O provedor diz: browserClose').waitFor();
    const [retried] = await Promise.all([
      page.waitForRequest(
        (request) => request.method() === 'POST' && request.url().endsWith('/session/start'),
      ),
      failed.getByRole('button', { name: 'Tentar de novo' }).click(),
    ]);
    expect(retried).toBeTruthy();
    await failed.getByText('O provedor diz: browserClose').waitFor();
    expect(await dialog.getByTestId('pairing-qr').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Fechar' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('shows operators the session state without any session action', async () => {
    const suffix = uniqueSuffix();
    const admin = {
      name: 'Rita Prado',
      email: `rita+${suffix}@example.com`,
      password: `tenant-admin-${suffix}-pass`,
    };
    await createTenantThroughApi(server.baseUrl, adminToken, {
      name: `Clínica ${suffix}`,
      slug: `clinica-${suffix}`,
      admin,
    });
    const tenantAdminToken = await signInThroughApi(server.baseUrl, admin.email, admin.password);
    const operator = {
      name: 'Olga Operadora',
      email: `olga+${suffix}@example.com`,
      role: 'operator' as const,
      password: `operator-${suffix}-pass`,
    };
    await createUserThroughApi(server.baseUrl, tenantAdminToken, operator);
    const fake = await startFake(`clinica-${suffix}`);
    const name = `Recepção ${suffix}`;
    await createChannelThroughApi(server.baseUrl, tenantAdminToken, {
      provider: 'wppconnect',
      name,
      config: { baseUrl: fake.baseUrl, session: fake.session, secretKey: fake.secretKey },
      pacing: { minGapSeconds: 10, maxGapSeconds: 10, maxPerHour: 120, typing: true },
    });

    const session = await openSession();
    const page = session.page;
    await signInThroughPage(page, operator.email, operator.password);
    await openChannelsPage(page);
    const row = channelRow(page, name);
    await row.locator('[data-testid="session-status"][data-status="stopped"]').waitFor();
    expect(await row.getByTestId('channel-pacing').textContent()).toBe('10 s · 120/h');
    await row.getByTestId('pacing-typing').waitFor();
    expect(await row.getByRole('button', { name: `Conectar ${name} por QR code` }).count()).toBe(0);
    expect(await row.getByRole('button', { name: `Ações para ${name}` }).count()).toBe(0);
    expect(await sessionStatusOf(row)).toBe('stopped');
  });
});

describe('the other providers’ generated forms', () => {
  it('WAHA and Twilio: optional enum and secret, patterns and defaults', async () => {
    const session = await openSession();
    const page = session.page;
    await signInThroughPage(page, server.adminEmail, server.adminPassword);
    await openChannelsPage(page);

    await page.getByRole('button', { name: 'Novo canal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo canal' });
    await dialog.getByRole('combobox', { name: 'Provedor' }).click();
    await page.getByRole('option', { name: 'WAHA' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Sessão' }).getAttribute('placeholder')).toBe(
      'default',
    );
    const engine = dialog.getByRole('combobox', { name: 'Motor do WhatsApp' });
    expect(await engine.getAttribute('placeholder')).toBe('Padrão do provedor');
    await dialog.getByLabel('Chave HMAC dos webhooks').fill('curta');
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.getByText('Use pelo menos 16 caracteres.').waitFor();

    await dialog.getByRole('combobox', { name: 'Provedor' }).click();
    await page.getByRole('option', { name: 'Twilio' }).click();
    await dialog.getByRole('textbox', { name: 'Nome do canal' }).fill('Despesas');
    await dialog.getByRole('textbox', { name: 'Account SID' }).fill('AC123');
    await dialog.getByLabel('Auth token').fill('token');
    await dialog.getByRole('textbox', { name: 'Número remetente' }).fill('+5511987654321');
    expect(
      await dialog
        .getByRole('textbox', { name: 'Endereço da API da Twilio' })
        .getAttribute('placeholder'),
    ).toBe('https://api.twilio.com');
    // Not a QR provider: no pacing unless asked for.
    await dialog.getByText('Padrão: sem espaçamento', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Criar' }).click();
    expect(
      await dialog.getByText('O formato não confere. Confira o valor copiado do provedor.').count(),
    ).toBe(2);
  });
});

async function isImageLoaded(image: Locator): Promise<boolean> {
  return image.evaluate(
    (element) =>
      element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0,
  );
}
