import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../../test/helpers/multipart.js';
import { pdfText } from '../../../test/helpers/pdf-text.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import type {
  Receipt,
  Traveller,
  Trip,
  TripDetail,
  TripListItem,
} from '../../shared/contracts/expenses.contract.js';
import * as repository from './expenses.repository.js';
import { formatDay } from './expenses.texts.js';
import { composeReceiptPhoto } from './qr/testing/receipt-qr-photos.js';
import {
  type FakeTaxSite,
  mobileKey,
  nfceQrText,
  startFakeTaxSite,
} from './testing/fake-tax-site.js';

/*
 * The expenses REST API on the real runtime (PGlite, in-process queue), with a fake tax site
 * on loopback for NFC-e pages (NFCE_PORTAL_OVERRIDE). Two tenants, three roles.
 */

const ptInvoice =
  'A:503504564*B:999999990*C:PT*D:FS*E:N*F:20240612*G:FS 2024A/1523*H:JJ3VD4XB-1523*I1:PT*I3:4.50*I4:0.27*I7:8.00*I8:1.84*N:2.11*O:14.61*Q:Ab3x*R:2543';
const pix =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';

let site: FakeTaxSite;
let t: TestApp;
let admin: Record<string, string>;
let reader: Record<string, string>;
let other: Record<string, string>;

type ErrorBody = {
  error: {
    code: string;
    message: string;
    details?: { reason?: string; userMessage?: Record<string, string>; [key: string]: unknown };
  };
};

beforeAll(async () => {
  site = await startFakeTaxSite();
  t = await createTestApp({ NFCE_PORTAL_OVERRIDE: site.override });
  admin = bearer((await login(t.app, testAdmin)).accessToken);
  const client = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin,
    payload: {
      email: 'leitor@example.com',
      name: 'Leitor',
      role: 'client',
      password: 'reader password!',
    },
  });
  expect(client.statusCode).toBe(201);
  reader = bearer(
    (await login(t.app, { email: 'leitor@example.com', password: 'reader password!' })).accessToken,
  );
  const tenant = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tenants',
    headers: admin,
    payload: {
      name: 'Outra',
      slug: 'outra',
      admin: { email: 'admin@outra.example', name: 'A', password: 'another password!' },
    },
  });
  expect(tenant.statusCode).toBe(201);
  other = bearer(
    (await login(t.app, { email: 'admin@outra.example', password: 'another password!' }))
      .accessToken,
  );
});

afterAll(async () => {
  await t.close();
  await site.close();
});

async function post(url: string, payload: unknown, headers = admin) {
  return t.app.inject({ method: 'POST', url, headers, payload: payload as object });
}

async function registerTraveller(email: string, headers = admin): Promise<Traveller> {
  const response = await post(
    '/api/v1/expenses/travellers',
    { name: 'Ana Souza', company: 'Acme Ltda', email },
    headers,
  );
  expect(response.statusCode).toBe(201);
  return response.json<Traveller>();
}

async function startTrip(
  travellerId: string,
  input: { destination?: string; costCentre?: string; days?: number } = {},
  headers = admin,
): Promise<Trip> {
  const response = await post(
    '/api/v1/expenses/trips',
    { travellerId, destination: 'Curitiba', costCentre: 'CC-100', days: 3, ...input },
    headers,
  );
  expect(response.statusCode).toBe(201);
  return response.json<Trip>();
}

function addReceipt(tripId: string, payload: unknown, headers = admin) {
  return post(`/api/v1/expenses/trips/${tripId}/receipts`, payload, headers);
}

function uploadPhoto(tripId: string, bytes: Buffer, type = 'image/jpeg', filename = 'nota.jpg') {
  const body = multipart([{ name: 'file', filename, type, data: bytes }]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/expenses/trips/${tripId}/receipts`,
    headers: { ...admin, ...body.headers },
    payload: body.payload,
  });
}

describe('travellers', () => {
  it('registers a traveller and refuses the same e-mail in any case, clearly', async () => {
    const ana = await registerTraveller('ana@acme.com.br');
    expect(ana).toMatchObject({ name: 'Ana Souza', company: 'Acme Ltda', contactId: null });

    const again = await post('/api/v1/expenses/travellers', {
      name: 'Outra Ana',
      company: 'Acme',
      email: 'ANA@Acme.com.br',
    });
    expect(again.statusCode).toBe(409);
    const body = again.json<ErrorBody>();
    expect(body.error.code).toBe('EMAIL_TAKEN');
    expect(body.error.details?.reason).toBe('EMAIL_TAKEN');
    expect(body.error.details?.userMessage?.['pt-BR']).toMatch(
      /^O e-mail ANA@acme\.com\.br já está cadastrado\./,
    );
    // The same e-mail in another tenant is another traveller.
    await registerTraveller('ana@acme.com.br', other);
  });

  it.each([
    ['an invalid e-mail', { name: 'B', company: 'C', email: 'bruno@gmial.com' }, 'body.email'],
    ['a missing company', { name: 'B', email: 'b@acme.com' }, 'body.company'],
    ['a number for the name', { name: 12, company: 'C', email: 'b@acme.com' }, 'body.name'],
    [
      'an unknown contact',
      { name: 'B', company: 'C', email: 'b@acme.com', contactId: crypto.randomUUID() },
      'body.contactId',
    ],
  ])('refuses %s, naming the field', async (_name, payload, path) => {
    const response = await post('/api/v1/expenses/travellers', payload);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(JSON.stringify(response.json())).toContain(path.replace('body.', ''));
  });

  it('refuses malformed JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/expenses/travellers',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name": "Ana",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe('MALFORMED_JSON');
  });

  it('lists the tenant’s travellers, searchable, never another tenant’s', async () => {
    await registerTraveller('carla@beta.com');
    const found = await t.app.inject({
      url: '/api/v1/expenses/travellers?search=carla',
      headers: reader,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json<{ items: Traveller[] }>().items.map((item) => item.email)).toEqual([
      'carla@beta.com',
    ]);
    const theirs = await t.app.inject({ url: '/api/v1/expenses/travellers', headers: other });
    expect(theirs.json<{ items: Traveller[] }>().items).toHaveLength(1);
  });

  it('lets read-only members read but not write', async () => {
    const response = await post(
      '/api/v1/expenses/travellers',
      { name: 'D', company: 'E', email: 'd@e.com' },
      reader,
    );
    expect(response.statusCode).toBe(403);
  });
});

describe('trips', () => {
  it('starts one active trip per traveller; a second names the active one', async () => {
    const bruno = await registerTraveller('bruno@acme.com');
    const trip = await startTrip(bruno.id, { destination: 'Recife' });
    expect(trip).toMatchObject({ status: 'active', destination: 'Recife', closedAt: null });

    const second = await post('/api/v1/expenses/trips', {
      travellerId: bruno.id,
      destination: 'Natal',
      costCentre: 'CC-1',
      days: 2,
    });
    expect(second.statusCode).toBe(409);
    const { details } = second.json<ErrorBody>().error;
    expect(details?.reason).toBe('ACTIVE_TRIP_EXISTS');
    expect(details?.activeTripId).toBe(trip.id);
    expect(details?.userMessage?.['pt-BR']).toBe(
      `Você já tem uma viagem ativa para Recife (centro de custo CC-100), iniciada em ${formatDay(new Date(trip.startedAt))}. Encerre-a antes de iniciar outra.`,
    );
  });

  it('lets only one of two simultaneous starts win (the database holds the rule too)', async () => {
    const traveller = await registerTraveller('simultaneo@acme.com');
    const input = { travellerId: traveller.id, destination: 'Belém', costCentre: 'CC-2', days: 4 };
    const responses = await Promise.all([
      post('/api/v1/expenses/trips', input),
      post('/api/v1/expenses/trips', input),
      post('/api/v1/expenses/trips', input),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409, 409]);
    const trips = await t.app.inject({
      url: `/api/v1/expenses/trips?travellerId=${traveller.id}`,
      headers: admin,
    });
    expect(trips.json<{ items: Trip[] }>().items).toHaveLength(1);
  });

  it('has the database refuse a second active trip, naming its index', async () => {
    const traveller = await registerTraveller('indice@acme.com');
    const trip = await startTrip(traveller.id);
    const error = await repository
      .insertTrip(t.database.db, {
        tenantId: (await login(t.app, testAdmin)).tenant.id,
        travellerId: traveller.id,
        destination: 'X',
        costCentre: 'Y',
        days: 1,
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(repository.findViolatedUniqueIndex(error)).toBe('trips_one_active_per_traveller');
    expect(trip.status).toBe('active');
  });

  it.each([
    ['days as text', { destination: 'X', costCentre: 'Y', days: 'três' }, 400],
    ['zero days', { destination: 'X', costCentre: 'Y', days: 0 }, 400],
    ['an empty destination', { destination: '  ', costCentre: 'Y', days: 2 }, 400],
  ])('refuses %s', async (_name, input, status) => {
    const traveller = await registerTraveller(`t${Math.random()}@acme.com`);
    const response = await post('/api/v1/expenses/trips', { travellerId: traveller.id, ...input });
    expect(response.statusCode).toBe(status);
  });

  it('does not start trips for unknown travellers or another tenant’s', async () => {
    const unknown = await post('/api/v1/expenses/trips', {
      travellerId: crypto.randomUUID(),
      destination: 'X',
      costCentre: 'Y',
      days: 1,
    });
    expect(unknown.statusCode).toBe(404);
    const theirs = await registerTraveller('zeca@outra.com', other);
    const crossed = await post('/api/v1/expenses/trips', {
      travellerId: theirs.id,
      destination: 'X',
      costCentre: 'Y',
      days: 1,
    });
    expect(crossed.statusCode).toBe(404);
  });
});

describe('receipts', () => {
  let trip: Trip;

  beforeAll(async () => {
    const traveller = await registerTraveller('dora@acme.com');
    trip = await startTrip(traveller.id, { costCentre: 'CC-RECEIPTS' });
  });

  it('reads an NFC-e from its QR text and confirms it on the tax site at once', async () => {
    const response = await addReceipt(trip.id, { qrText: nfceQrText(mobileKey(101)) });
    expect(response.statusCode).toBe(201);
    const { receipt, message } = response.json<{ receipt: Receipt; message: string }>();
    expect(message).toBe('Recebi sua nota de R$ 65,05 de SUPERMERCADO EXEMPLO LTDA.');
    expect(receipt).toMatchObject({
      source: 'nfce',
      status: 'parsed',
      accessKey: mobileKey(101),
      total: { cents: 6505, currency: 'BRL' },
      issuer: { name: 'SUPERMERCADO EXEMPLO LTDA', taxId: '11222333000181' },
      issueDate: '2024-03-15',
    });
    expect(receipt.items.map((item) => item.description)).toContain('ARROZ TIPO 1 5KG');
  });

  it('refuses the same receipt twice, in any trip of the tenant, saying when it came', async () => {
    const again = await addReceipt(trip.id, { qrText: nfceQrText(mobileKey(101)) });
    expect(again.statusCode).toBe(409);
    const { details } = again.json<ErrorBody>().error;
    expect(details?.reason).toBe('DUPLICATE_RECEIPT');
    expect(details?.userMessage?.['pt-BR']).toBe(
      `Esta nota já foi registrada em ${formatDay(new Date())}.`,
    );
    // Another tenant may hold the same note (another company's expense).
    const theirs = await registerTraveller('eva@outra.com', other);
    const theirTrip = await startTrip(theirs.id, {}, other);
    const response = await addReceipt(theirTrip.id, { qrText: nfceQrText(mobileKey(101)) }, other);
    expect(response.statusCode).toBe(201);
  });

  it('registers a receipt sent twice at once only once', async () => {
    const traveller = await registerTraveller('duas-vezes@acme.com');
    const own = await startTrip(traveller.id);
    const qrText = ptInvoice.replace('H:JJ3VD4XB-1523', 'H:JJ3VD4XB-1524');
    const responses = await Promise.all([
      addReceipt(own.id, { qrText }),
      addReceipt(own.id, { qrText }),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409]);
  });

  it('keeps an NFC-e pending while the tax site does not have it yet', async () => {
    const key = mobileKey(102);
    site.answer(key, { kind: 'status', status: 503 });
    const response = await addReceipt(trip.id, {
      qrText: nfceQrText(key, { offlineTotal: '65.05' }),
    });
    expect(response.statusCode).toBe(201);
    const { receipt, message } = response.json<{ receipt: Receipt; message: string }>();
    expect(receipt).toMatchObject({
      status: 'pending',
      total: null,
      declaredTotal: { cents: 6505, currency: 'BRL' },
      fetchAttempts: 1,
    });
    expect(message).toBe(
      'Recebi sua nota de CNPJ 11.222.333/0001-81; o QR code indica R$ 65,05. Aviso assim que a Sefaz confirmar o valor.',
    );
  });

  it('reads a Portuguese invoice from its QR, in euros', async () => {
    const response = await addReceipt(trip.id, { qrText: ptInvoice });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ receipt: Receipt; message: string }>()).toMatchObject({
      receipt: { source: 'pt-invoice', status: 'parsed', total: { cents: 1461, currency: 'EUR' } },
      message: 'Recebi sua nota de 14,61 € de NIF 503 504 564.',
    });
  });

  it('registers an expense typed by hand', async () => {
    const response = await addReceipt(trip.id, {
      amount: '42,50',
      date: '01/03/2024',
      description: 'Táxi do aeroporto',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json<{ receipt: Receipt; message: string }>()).toMatchObject({
      receipt: { source: 'manual', status: 'manual', total: { cents: 4250, currency: 'BRL' } },
      message: 'Registrei sua despesa de R$ 42,50 em 01/03/2024: Táxi do aeroporto.',
    });
  });

  it.each([
    ['a PIX code', { qrText: pix }, 400, 'NOT_A_RECEIPT'],
    ['QR text with an amount too', { qrText: ptInvoice, amount: '10' }, 400, undefined],
    ['a typed receipt without a date', { amount: '10', description: 'x' }, 400, undefined],
    [
      'an amount of the wrong type',
      { amount: true, date: 'hoje', description: 'x' },
      400,
      undefined,
    ],
    ['a future date', { amount: '10', date: '31/12/2099', description: 'x' }, 400, 'INVALID_DATE'],
    [
      'an amount in words',
      { amount: 'dez', date: 'hoje', description: 'x' },
      400,
      'INVALID_AMOUNT',
    ],
    ['nothing', {}, 400, undefined],
  ])('refuses %s', async (_name, payload, status, reason) => {
    const response = await addReceipt(trip.id, payload);
    expect(response.statusCode).toBe(status);
    if (reason) expect(response.json<ErrorBody>().error.details?.reason).toBe(reason);
  });

  it('reads a photo uploaded as multipart and keeps it as the receipt’s photo', async () => {
    const photo = await composeReceiptPhoto({
      width: 1200,
      height: 1600,
      seed: 7,
      receipts: [{ text: nfceQrText(mobileKey(103)), center: { x: 600, y: 800 }, modulePx: 6 }],
    });
    const response = await uploadPhoto(trip.id, photo.bytes);
    expect(response.statusCode).toBe(201);
    const { receipt } = response.json<{ receipt: Receipt }>();
    expect(receipt).toMatchObject({ status: 'parsed', total: { cents: 6505 } });
    expect(receipt.photoMediaId).not.toBeNull();
    const media = await t.app.inject({
      url: `/api/v1/media/${receipt.photoMediaId}`,
      headers: admin,
    });
    expect(media.json()).toMatchObject({ kind: 'image', mimeType: 'image/jpeg' });
  });

  it('answers a PDF sent as a photo, a photo without a QR and a 30 MB file clearly', async () => {
    const pdf = await uploadPhoto(
      trip.id,
      Buffer.from('%PDF-1.7\n1 0 obj\n<< >>\nendobj\ntrailer\n%%EOF\n'),
      'image/jpeg',
    );
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json<ErrorBody>().error.details?.userMessage?.['pt-BR']).toBe(
      'Envie uma foto (JPG ou PNG) do QR code da nota, por favor; recebi um PDF.',
    );

    const blank = await composeReceiptPhoto({ width: 640, height: 480, seed: 3, receipts: [] });
    const noQr = await uploadPhoto(trip.id, blank.bytes);
    expect(noQr.statusCode).toBe(400);
    expect(noQr.json<ErrorBody>().error.details?.reason).toBe('NO_QR_FOUND');

    const huge = Buffer.alloc(30 * 1024 * 1024, 1);
    huge.set([0xff, 0xd8, 0xff, 0xe0]);
    const tooLarge = await uploadPhoto(trip.id, huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json<ErrorBody>().error).toMatchObject({
      code: 'MEDIA_TOO_LARGE',
      details: {
        reason: 'PHOTO_TOO_LARGE',
        userMessage: { 'pt-BR': 'A foto passa de 20 MB; envie uma foto de até 20 MB, por favor.' },
      },
    });
  });

  it('shows the trip with its receipts and totals per currency', async () => {
    const response = await t.app.inject({
      url: `/api/v1/expenses/trips/${trip.id}`,
      headers: reader,
    });
    expect(response.statusCode).toBe(200);
    const detail = response.json<TripDetail>();
    expect(detail.traveller.email).toBe('dora@acme.com');
    expect(detail.receipts.map((receipt) => receipt.status)).toEqual([
      'parsed',
      'pending',
      'parsed',
      'manual',
      'parsed',
    ]);
    expect(detail.totals).toEqual([
      { currency: 'BRL', cents: 6505 + 4250 + 6505, receiptCount: 3 },
      { currency: 'EUR', cents: 1461, receiptCount: 1 },
    ]);
    expect(detail).toMatchObject({ receiptCount: 5, unconfirmedCount: 1, reports: [] });
  });

  it('hides trips of other tenants and unknown ones; refuses malformed ids', async () => {
    for (const [url, headers, status] of [
      [`/api/v1/expenses/trips/${trip.id}`, other, 404],
      [`/api/v1/expenses/trips/${crypto.randomUUID()}`, admin, 404],
      ['/api/v1/expenses/trips/not-a-uuid', admin, 400],
    ] as const) {
      expect((await t.app.inject({ url, headers })).statusCode).toBe(status);
    }
    const crossed = await addReceipt(trip.id, { qrText: ptInvoice }, other);
    expect(crossed.statusCode).toBe(404);
    const crossedClose = await post(`/api/v1/expenses/trips/${trip.id}/close`, {}, other);
    expect(crossedClose.statusCode).toBe(404);
  });
});

describe('lists, totals and the end of a trip', () => {
  it('filters trips by traveller, status, cost centre and period, in pages', async () => {
    const fabio = await registerTraveller('fabio@acme.com');
    const first = await startTrip(fabio.id, { costCentre: 'CC-LIST' });
    await post(`/api/v1/expenses/trips/${first.id}/close`, {});
    const second = await startTrip(fabio.id, { costCentre: 'CC-LIST' });
    await addReceipt(second.id, { amount: '100', date: 'hoje', description: 'Hotel' });

    const byTraveller = await t.app.inject({
      url: `/api/v1/expenses/trips?travellerId=${fabio.id}&limit=1`,
      headers: admin,
    });
    const page = byTraveller.json<{ items: TripListItem[]; nextCursor: string | null }>();
    expect(page.items.map((item) => item.id)).toEqual([second.id]);
    expect(page.items[0]).toMatchObject({
      traveller: { name: 'Ana Souza' },
      totals: [{ currency: 'BRL', cents: 10000, receiptCount: 1 }],
      receiptCount: 1,
    });
    const next = await t.app.inject({
      url: `/api/v1/expenses/trips?travellerId=${fabio.id}&limit=1&cursor=${page.nextCursor}`,
      headers: admin,
    });
    expect(next.json<{ items: TripListItem[] }>().items.map((item) => item.id)).toEqual([first.id]);

    const closed = await t.app.inject({
      url: '/api/v1/expenses/trips?status=closed&costCentre=CC-LIST',
      headers: admin,
    });
    expect(closed.json<{ items: TripListItem[] }>().items.map((item) => item.id)).toEqual([
      first.id,
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const inPeriod = await t.app.inject({
      url: `/api/v1/expenses/trips?costCentre=CC-LIST&from=${today}&to=${today}`,
      headers: admin,
    });
    expect(inPeriod.json<{ items: TripListItem[] }>().items).toHaveLength(2);
    const before = await t.app.inject({
      url: '/api/v1/expenses/trips?costCentre=CC-LIST&to=2020-01-01',
      headers: admin,
    });
    expect(before.json<{ items: TripListItem[] }>().items).toHaveLength(0);
    const badDate = await t.app.inject({
      url: '/api/v1/expenses/trips?from=ontem',
      headers: admin,
    });
    expect(badDate.statusCode).toBe(400);
    const badCursor = await t.app.inject({
      url: '/api/v1/expenses/trips?cursor=x',
      headers: admin,
    });
    expect(badCursor.statusCode).toBe(400);
  });

  it('adds confirmed amounts by cost centre and currency', async () => {
    const gil = await registerTraveller('gil@acme.com');
    const trip = await startTrip(gil.id, { costCentre: 'CC-SUM' });
    await addReceipt(trip.id, { amount: '10,00', date: 'hoje', description: 'Café' });
    await addReceipt(trip.id, { amount: '5,50 €', date: 'hoje', description: 'Metro' });
    const response = await t.app.inject({
      url: '/api/v1/expenses/summary/cost-centres?status=active',
      headers: reader,
    });
    expect(response.statusCode).toBe(200);
    const items = response
      .json<{ items: Array<{ costCentre: string }> }>()
      .items.filter((item) => item.costCentre === 'CC-SUM');
    expect(items).toEqual([
      { costCentre: 'CC-SUM', currency: 'BRL', totalCents: 1000, receiptCount: 1, tripCount: 1 },
      { costCentre: 'CC-SUM', currency: 'EUR', totalCents: 550, receiptCount: 1, tripCount: 1 },
    ]);
    const theirs = await t.app.inject({
      url: '/api/v1/expenses/summary/cost-centres',
      headers: other,
    });
    expect(JSON.stringify(theirs.json())).not.toContain('CC-SUM');
  });

  it('ends a trip once with its PDF and XLSX reports; a closed trip takes no receipts', async () => {
    const hugo = await registerTraveller('hugo@acme.com');
    const trip = await startTrip(hugo.id);
    await addReceipt(trip.id, { amount: '1.234,56', date: 'hoje', description: 'Hotel Avenida' });
    const closed = await post(`/api/v1/expenses/trips/${trip.id}/close`, {});
    expect(closed.statusCode).toBe(200);
    const body = closed.json<{ trip: TripDetail; reportIds: string[] }>();
    expect(body.trip).toMatchObject({ id: trip.id, status: 'closed', receiptCount: 1 });
    expect(body.trip.reports.map((report) => report.kind)).toEqual(['pdf', 'xlsx']);
    expect(body.reportIds).toEqual(body.trip.reports.map((report) => report.id));

    const [pdfId, xlsxId] = body.reportIds;
    const pdf = await t.app.inject({
      url: `/api/v1/expenses/reports/${pdfId}.pdf`,
      headers: reader,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('Hotel Avenida');
    expect(text).toContain('1.234,56');
    const xlsx = await t.app.inject({
      url: `/api/v1/expenses/reports/${xlsxId}`,
      headers: {
        ...reader,
        accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const theirs = await t.app.inject({ url: `/api/v1/expenses/reports/${pdfId}`, headers: other });
    expect(theirs.statusCode).toBe(404);

    const again = await post(`/api/v1/expenses/trips/${trip.id}/close`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.details?.reason).toBe('TRIP_CLOSED');
    const late = await addReceipt(trip.id, { amount: '1', date: 'hoje', description: 'x' });
    expect(late.statusCode).toBe(409);
    expect(late.json<ErrorBody>().error.details?.userMessage?.['pt-BR']).toMatch(
      /^A viagem para Curitiba já foi encerrada em .*; não aceita mais notas\.$/,
    );
    // A new trip can start now.
    await startTrip(hugo.id);
  });

  it('makes reports for a trip without receipts too', async () => {
    const ivo = await registerTraveller('ivo@acme.com');
    const trip = await startTrip(ivo.id);
    const closed = await post(`/api/v1/expenses/trips/${trip.id}/close`, {});
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ trip: { receipts: [], totals: [] } });
    expect(closed.json<{ reportIds: string[] }>().reportIds).toHaveLength(2);
  });

  it('documents every route in the OpenAPI description', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(Object.keys(spec.paths).filter((path) => path.startsWith('/api/v1/expenses'))).toEqual(
      expect.arrayContaining([
        '/api/v1/expenses/travellers',
        '/api/v1/expenses/trips',
        '/api/v1/expenses/trips/{id}',
        '/api/v1/expenses/trips/{id}/receipts',
        '/api/v1/expenses/trips/{id}/close',
        '/api/v1/expenses/summary/cost-centres',
        '/api/v1/expenses/reports/{id}',
      ]),
    );
  });
});
