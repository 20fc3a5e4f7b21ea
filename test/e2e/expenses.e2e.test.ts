import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signInThroughApi } from './helpers/api.js';
import { type BrowserSession, openBrowser } from './helpers/browser.js';
import { signInThroughPage } from './helpers/dashboard.js';
import { type RecadoServer, startRecadoServer } from './helpers/recado-server.js';

/**
 * The expenses dashboard against the real server: trips seeded through the API (a traveller,
 * a trip with a typed receipt and a Portuguese invoice's QR text and a photo of the next one's QR code, closed; another traveller
 * still travelling), then in the browser the travellers, the trip filters, one trip's receipts
 * and totals, its PDF, and the cost-centre chart. Texts are the pt-BR defaults users see.
 */

// A Portuguese AT invoice's QR code: read from the QR itself (no tax site involved), 14,61 €.
const ptInvoiceQr =
  'A:503504564*B:999999990*C:PT*D:FS*E:N*F:20240612*G:FS 2024A/1523*H:JJ3VD4XB-1523*I1:PT*I3:4.50*I4:0.27*I7:8.00*I8:1.84*N:2.11*O:14.61*Q:Ab3x*R:2543';

let server: RecadoServer;
let token: string;
const sessions: BrowserSession[] = [];
const suffix = randomBytes(3).toString('hex');
const closedCostCentre = `CC-LIS-${suffix}`;
const activeCostCentre = `CC-REC-${suffix}`;
let closedTripId: string;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

beforeAll(async () => {
  server = await startRecadoServer();
  token = await signInThroughApi(server.baseUrl, server.adminEmail, server.adminPassword);

  const ana = await call<{ id: string }>('POST', '/expenses/travellers', {
    name: `Ana Viajante ${suffix}`,
    company: 'Acme Ltda',
    email: `ana-${suffix}@acme.com.br`,
  });
  const trip = await call<{ id: string }>('POST', '/expenses/trips', {
    travellerId: ana.id,
    destination: 'Lisboa',
    costCentre: closedCostCentre,
    days: 3,
  });
  closedTripId = trip.id;
  await call('POST', `/expenses/trips/${trip.id}/receipts`, {
    amount: '42,50',
    date: '01/03/2024',
    description: 'Táxi do aeroporto',
  });
  await call('POST', `/expenses/trips/${trip.id}/receipts`, { qrText: ptInvoiceQr });
  // The same shop's next invoice, a day later, sent as a photo of its QR code.
  const photo = await QRCode.toBuffer(
    ptInvoiceQr
      .replace('F:20240612', 'F:20240613')
      .replace('FS 2024A/1523', 'FS 2024A/1524')
      .replace('H:JJ3VD4XB-1523', 'H:JJ3VD4XB-1524'),
    { type: 'png', width: 480, margin: 4 },
  );
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/png' }), 'nota.png');
  const uploaded = await fetch(`${server.baseUrl}/api/v1/expenses/trips/${trip.id}/receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (uploaded.status !== 201) {
    throw new Error(`photo receipt answered ${uploaded.status}: ${await uploaded.text()}`);
  }
  const closed = await call<{ reportIds: string[] }>('POST', `/expenses/trips/${trip.id}/close`);
  expect(closed.reportIds).toHaveLength(2);

  const bruno = await call<{ id: string }>('POST', '/expenses/travellers', {
    name: `Bruno Estrada ${suffix}`,
    company: 'Acme Ltda',
    email: `bruno-${suffix}@acme.com.br`,
  });
  await call('POST', '/expenses/trips', {
    travellerId: bruno.id,
    destination: 'Recife',
    costCentre: activeCostCentre,
    days: 2,
  });
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

async function openExpenses(): Promise<Page> {
  const session = await openBrowser(server.baseUrl);
  sessions.push(session);
  const { page } = session;
  await signInThroughPage(page, server.adminEmail, server.adminPassword);
  await page.getByRole('link', { name: 'Despesas' }).click();
  await page.getByRole('heading', { name: 'Despesas de viagem', level: 2 }).waitFor();
  return page;
}

/** Ignores the no-break spaces Intl puts in amounts. */
function plain(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

describe('expenses dashboard', () => {
  it('lists the travellers with their active trip', async () => {
    const page = await openExpenses();
    await page.getByRole('tab', { name: 'Viajantes' }).click();
    const table = page.getByTestId('travellers-table');
    const bruno = table.getByTestId('traveller-row').filter({ hasText: `Bruno Estrada ${suffix}` });
    await bruno.waitFor();
    expect(plain(await bruno.textContent())).toContain(`bruno-${suffix}@acme.com.br`);
    await bruno.getByRole('link', { name: 'Recife' }).waitFor();
    const ana = table.getByTestId('traveller-row').filter({ hasText: `Ana Viajante ${suffix}` });
    expect(plain(await ana.textContent())).toContain('Nenhuma');
  });

  it('filters the trips, opens one, shows its receipts, totals and PDF', async () => {
    const page = await openExpenses();
    const rows = page.getByTestId('trips-table').getByTestId('trip-row');
    await rows.filter({ hasText: 'Recife' }).waitFor();
    await rows.filter({ hasText: 'Lisboa' }).waitFor();

    // Closed trips only.
    await page.getByRole('combobox', { name: 'Situação' }).click();
    await page.getByRole('option', { name: 'Encerrada' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    const lisbon = rows.first();
    expect(plain(await lisbon.textContent())).toContain('Lisboa');
    expect(plain(await lisbon.getByTestId('trip-total').textContent())).toContain('R$ 42,50');

    // A cost centre with no closed trip: nothing left, then clearing shows both again.
    await page.getByRole('textbox', { name: 'Centro de custo' }).fill(activeCostCentre);
    await page.getByText('Nenhuma viagem com esses filtros.').waitFor();
    await page.getByRole('button', { name: 'Limpar filtros' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);

    // One traveller's trips.
    await page.getByRole('combobox', { name: 'Viajante' }).click();
    await page.getByRole('option', { name: `Bruno Estrada ${suffix}` }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(plain(await rows.first().textContent())).toContain('Recife');
    await page.getByRole('button', { name: 'Limpar filtros' }).click();

    await page.getByRole('link', { name: 'Abrir a viagem para Lisboa' }).click();
    await page.getByRole('heading', { name: 'Viagem para Lisboa', level: 2 }).waitFor();
    expect(plain(await page.getByTestId('trip-traveller').textContent())).toBe(
      `Ana Viajante ${suffix} · Acme Ltda`,
    );
    expect(await page.getByTestId('trip-cost-centre').textContent()).toBe(closedCostCentre);
    expect(await page.getByTestId('trip-days').textContent()).toBe('3 dias');
    expect(await page.getByTestId('trip-status-field').textContent()).toBe('Encerrada');

    const receipts = page.getByTestId('receipt-row');
    await expect.poll(() => receipts.count()).toBe(3);
    const taxi = receipts.filter({ hasText: 'Táxi do aeroporto' });
    expect(await taxi.getByTestId('receipt-status').textContent()).toBe('Manual');
    expect(plain(await taxi.getByTestId('receipt-total').textContent())).toBe('R$ 42,50');
    const invoice = receipts.filter({ hasText: '12 de jun. de 2024' });
    expect(await invoice.getByTestId('receipt-status').textContent()).toBe('Lido');
    expect(plain(await invoice.getByTestId('receipt-total').textContent())).toBe('€ 14,61');
    expect(plain(await invoice.textContent())).toContain('503504564');

    // Expanded: its items (none on this invoice) and the photo (sent as text, so none).
    await invoice.getByRole('button', { name: /Mostrar os itens e a foto/ }).click();
    const details = page.getByTestId('receipt-details');
    await details.getByText('A nota não traz itens.').waitFor();
    await details.getByText('Recibo enviado sem foto.').waitFor();

    // The one sent as a photo: the picture, fetched with the session, inline.
    const photographed = receipts.filter({ hasText: '13 de jun. de 2024' });
    expect(await photographed.getByTestId('receipt-status').textContent()).toBe('Lido');
    await photographed.getByRole('button', { name: /Mostrar os itens e a foto/ }).click();
    const picture = page.getByRole('img', { name: 'Foto do recibo' });
    await picture.waitFor();
    await expect
      .poll(() => picture.evaluate((image) => (image as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);

    const totals = plain(await page.getByTestId('trip-totals').textContent());
    expect(totals).toContain('R$ 42,50');
    expect(totals).toContain('€ 29,22');

    const [response, download] = await Promise.all([
      page.waitForResponse((answer) => answer.url().includes('/api/v1/expenses/reports/')),
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Baixar PDF' }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    // The file the browser saved (the response body itself is streamed into a blob).
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    await page.getByRole('button', { name: 'Baixar XLSX' }).waitFor();
  });

  it('draws the totals by cost centre', async () => {
    const page = await openExpenses();
    await page.getByRole('tab', { name: 'Por centro de custo' }).click();
    const bar = page.locator(
      `[data-testid="cost-centre-bar"][data-cost-centre="${closedCostCentre}"]`,
    );
    const brl = page.locator('[data-testid="cost-centre-chart"][data-currency="BRL"]').locator(bar);
    await brl.waitFor();
    expect(await brl.getAttribute('data-total-cents')).toBe('4250');
    expect(plain(await brl.textContent())).toContain('R$ 42,50');
    const eur = page.locator('[data-testid="cost-centre-chart"][data-currency="EUR"]').locator(bar);
    expect(await eur.getAttribute('data-total-cents')).toBe('2922');
  });

  it('opens a trip from its address', async () => {
    const session = await openBrowser(server.baseUrl);
    sessions.push(session);
    await signInThroughPage(session.page, server.adminEmail, server.adminPassword);
    await session.page.goto(`/expenses/trips/${closedTripId}`);
    await session.page.getByRole('heading', { name: 'Viagem para Lisboa', level: 2 }).waitFor();
  });
});
