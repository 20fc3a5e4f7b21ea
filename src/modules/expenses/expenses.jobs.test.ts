import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/helpers/eventually.js';
import {
  bearer,
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../test/helpers/test-app.js';
import { RetryLaterError } from '../../platform/queue/queue.port.js';
import type { Receipt } from '../../shared/contracts/expenses.contract.js';
import type { SandboxThread } from '../../shared/contracts/sandbox.contract.js';
import {
  type ConsultationRunner,
  createConsultationRunner,
  fetchConsultationJob,
  findDueConsultations,
} from './expenses.jobs.js';
import type { ReceiptRow, TripRow } from './expenses.repository.js';
import { createExpensesService, type ExpensesService } from './expenses.service.js';
import {
  type FakeTaxSite,
  mobileKey,
  mobilePageFor,
  nfceQrText,
  readTestPage,
  startFakeTaxSite,
} from './testing/fake-tax-site.js';

/*
 * The consultation job against a fake tax site on loopback (NFCE_PORTAL_OVERRIDE). A runner
 * built here, with short backoffs and a clock the test moves, works on the real database; the
 * app's sweepers are stopped so only the test decides when a row runs.
 */

let site: FakeTaxSite;
let t: TestApp;
let token: Record<string, string>;
let runner: ConsultationRunner;
let expenses: ExpensesService;
let clock = () => new Date();
const enqueued: Array<{ receiptId: string; delayMs: number }> = [];
let trip: TripRow;
let channelId: string;
let contactId: string;
const phone = '+5541998765432';
let nextKey = 200;

beforeAll(async () => {
  site = await startFakeTaxSite();
  t = await createTestApp({ NFCE_PORTAL_OVERRIDE: site.override });
  for (const sweeper of t.runtime.sweepers) await sweeper.stop();
  token = bearer((await login(t.app, testAdmin)).accessToken);
  runner = createConsultationRunner({
    db: t.database.db,
    queue: {
      enqueue: async (_name, payload, options) => {
        enqueued.push({
          receiptId: (payload as { receiptId: string }).receiptId,
          delayMs: options?.delayMs ?? 0,
        });
        return { id: String(enqueued.length), deduplicated: false };
      },
    },
    logger: t.runtime.logger,
    outbound: t.runtime.outbound,
    settings: { override: site.override, timeoutMs: 3_000, retryBaseMs: 1_000, retryMaxMs: 60_000 },
    now: () => clock(),
    random: () => 0.5,
  });
  expenses = createExpensesService({
    db: t.database.db,
    logger: t.runtime.logger,
    media: t.runtime.media,
    contacts: t.runtime.contacts,
    consultation: runner,
    inlineConsultationTimeoutMs: 0,
  });

  // A traveller who talks from the sandbox phone: the receipts come from that conversation.
  const channels = await t.app.inject({ url: '/api/v1/channels', headers: token });
  const sandbox = channels
    .json<{ items: Array<{ id: string; provider: string }> }>()
    .items.find((channel) => channel.provider === 'sandbox');
  if (!sandbox) throw new Error('no sandbox channel');
  channelId = sandbox.id;
  const sent = await t.app.inject({
    method: 'POST',
    url: `/api/v1/sandbox/${channelId}/inbound`,
    headers: token,
    payload: { from: phone, text: 'oi' },
  });
  expect(sent.statusCode).toBe(202);
  contactId = await eventually(
    async () => {
      const result = await t.database.db.execute(
        sql`select id::text as id from contacts where phone = ${phone}`,
      );
      return (result as unknown as { rows: Array<{ id: string }> }).rows[0]?.id ?? '';
    },
    (id) => id !== '',
  );
  const tenantId = (await login(t.app, testAdmin)).tenant.id;
  const traveller = await expenses.registerTraveller(tenantId, {
    name: 'Ana',
    company: 'Acme',
    email: 'ana@acme.com',
    contactId,
  });
  await expenses.startTrip(tenantId, traveller.id, {
    destination: 'Curitiba',
    costCentre: 'CC-1',
    days: 2,
  });
  const found = await expenses.findTravellerOfContact(tenantId, contactId);
  if (!found?.activeTrip) throw new Error('no trip');
  trip = await expenses.getTripRow(tenantId, found.activeTrip.id);
});

afterAll(async () => {
  await t.close();
  await site.close();
});

beforeEach(() => {
  clock = () => new Date();
});

async function addPending(key: string, fromWhatsApp = false): Promise<ReceiptRow> {
  const added = await expenses.addReceipt(
    trip.tenantId,
    trip,
    { kind: 'qr', text: nfceQrText(key) },
    fromWhatsApp ? { channelId, contactId } : {},
  );
  expect(added.row).toMatchObject({ fetchStatus: 'pending', consultationStatus: 'pending' });
  expect(enqueued.at(-1)).toEqual({ receiptId: added.row.id, delayMs: 0 });
  return added.row;
}

type ReceiptView = Receipt & { consultationStatus: string | null; isLater: boolean | null };

/** The receipt as the API shows it, plus the job's own state. */
async function reload(id: string): Promise<ReceiptView> {
  const detail = await expenses.getTripDetail(trip.tenantId, trip.id);
  const receipt = detail.receipts.find((item) => item.id === id);
  if (!receipt) throw new Error('receipt gone');
  const result = await t.database.db.execute(
    sql`select consultation_status, due_at > now() as is_later from receipts where id = ${id}`,
  );
  const row = (result as unknown as { rows: Array<Record<string, unknown>> }).rows[0] ?? {};
  return {
    ...receipt,
    consultationStatus: (row.consultation_status as string | null) ?? null,
    isLater: (row.is_later as boolean | null) ?? null,
  };
}

/** Makes a row waiting for its backoff due now (time passing). */
async function makeDue(id: string) {
  await t.database.db.execute(sql`update receipts set due_at = now() where id = ${id}`);
}

async function retryDelayOf(run: Promise<void>): Promise<number> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RetryLaterError);
  return (error as RetryLaterError).retryAfterMs;
}

async function botMessages(): Promise<string[]> {
  const response = await t.app.inject({
    url: `/api/v1/sandbox/${channelId}/conversations/${encodeURIComponent(phone)}`,
    headers: token,
  });
  return response
    .json<SandboxThread>()
    .messages.filter((message) => message.direction === 'outbound')
    .map((message) => (message.content.type === 'text' ? message.content.text : ''));
}

const newKey = () => mobileKey(nextKey++);

describe('the consultation job', () => {
  it('confirms a receipt from a page that verifies, once: a second run changes nothing', async () => {
    const key = newKey();
    const receipt = await addPending(key);
    await runner.processConsultation(receipt.id);
    const settled = await reload(receipt.id);
    expect(settled).toMatchObject({
      status: 'parsed',
      consultationStatus: 'done',
      fetchAttempts: 1,
      total: { cents: 6505, currency: 'BRL' },
      issuer: { name: 'SUPERMERCADO EXEMPLO LTDA', taxId: '11222333000181' },
      issueDate: '2024-03-15',
      lastError: null,
    });
    expect(settled.items).toHaveLength(3);

    const requests = site.requests.length;
    await runner.processConsultation(receipt.id);
    expect(site.requests.length).toBe(requests);
    expect(await reload(receipt.id)).toEqual(settled);
  });

  it('keeps a receipt pending with backoff while the portal fails or lacks the note', async () => {
    const key = newKey();
    site.answer(
      key,
      { kind: 'status', status: 503, retryAfterSeconds: 7 },
      { kind: 'page', html: readTestPage('not-available') },
      { kind: 'page', html: mobilePageFor(key) },
    );
    const receipt = await addPending(key);

    // 503 with Retry-After: pending, retried no sooner than the portal asked.
    expect(await retryDelayOf(runner.processConsultation(receipt.id))).toBe(7_000);
    expect(await reload(receipt.id)).toMatchObject({
      status: 'pending',
      consultationStatus: 'pending',
      fetchAttempts: 1,
      isLater: true,
      lastError: expect.stringContaining('503'),
    });
    // Not due yet: a run now (a duplicate job) does nothing.
    const requests = site.requests.length;
    await runner.processConsultation(receipt.id);
    expect(site.requests.length).toBe(requests);

    // The note is not on the portal yet: still pending, the backoff doubles (base 1 s).
    await makeDue(receipt.id);
    expect(await retryDelayOf(runner.processConsultation(receipt.id))).toBe(2_000);
    expect(await reload(receipt.id)).toMatchObject({ status: 'pending', fetchAttempts: 2 });

    await makeDue(receipt.id);
    await runner.processConsultation(receipt.id);
    expect(await reload(receipt.id)).toMatchObject({
      status: 'parsed',
      fetchAttempts: 3,
      total: { cents: 6505 },
    });
  });

  it('tells the traveller on WhatsApp when a pending receipt is confirmed, once', async () => {
    const key = newKey();
    site.answer(key, { kind: 'status', status: 502 }, { kind: 'page', html: mobilePageFor(key) });
    const receipt = await addPending(key, true);
    await retryDelayOf(runner.processConsultation(receipt.id));
    await makeDue(receipt.id);
    await runner.processConsultation(receipt.id);
    const sentence = 'Sua nota de SUPERMERCADO EXEMPLO LTDA foi confirmada: R$ 65,05.';
    await eventually(botMessages, (texts) => texts.includes(sentence));
    // A repeated run (the job delivered twice) neither consults nor tells again.
    await runner.processConsultation(receipt.id);
    expect((await botMessages()).filter((text) => text === sentence)).toHaveLength(1);
  });

  it.each([
    ['an unverified page (another note’s key)', () => mobilePageFor(mobileKey(9_999))],
    ['an unknown layout', () => readTestPage('unknown-layout')],
  ])('asks for the amount after %s, never taking its numbers', async (_name, page) => {
    const key = newKey();
    site.answer(key, { kind: 'page', html: page() });
    const receipt = await addPending(key, true);
    await runner.processConsultation(receipt.id);
    expect(await reload(receipt.id)).toMatchObject({
      status: 'needs-amount',
      consultationStatus: 'done',
      total: null,
      lastError: expect.any(String),
    });
    await eventually(botMessages, (texts) =>
      texts.includes(
        'Não consegui ler o valor da nota de CNPJ 11.222.333/0001-81 na Sefaz. Envie o valor, por favor.',
      ),
    );
  });

  it('stops at once on an answer a retry cannot change (404)', async () => {
    const key = newKey();
    site.answer(key, { kind: 'status', status: 404 });
    const receipt = await addPending(key);
    await runner.processConsultation(receipt.id);
    expect(await reload(receipt.id)).toMatchObject({
      status: 'needs-amount',
      consultationStatus: 'failed',
      fetchAttempts: 1,
    });
  });

  it('gives up after a day of failures: the amount is asked', async () => {
    const key = newKey();
    site.answer(key, { kind: 'status', status: 503 });
    const receipt = await addPending(key);
    expect(await retryDelayOf(runner.processConsultation(receipt.id))).toBe(1_000);
    // The next try is never scheduled past the day...
    clock = () => new Date(Date.now() + 24 * 60 * 60_000 - 1_500);
    await makeDue(receipt.id);
    expect(await retryDelayOf(runner.processConsultation(receipt.id))).toBeLessThanOrEqual(1_500);
    // ...and after it the receipt needs its amount.
    clock = () => new Date(Date.now() + 25 * 60 * 60_000);
    await makeDue(receipt.id);
    await runner.processConsultation(receipt.id);
    expect(await reload(receipt.id)).toMatchObject({
      status: 'needs-amount',
      consultationStatus: 'failed',
      fetchAttempts: 3,
      lastError: expect.stringMatching(/^Gave up after 3 tries in a day/),
    });
  });

  it('times out a portal that does not answer, keeping the receipt pending', async () => {
    const key = newKey();
    site.answer(key, { kind: 'hang' });
    const receipt = await addPending(key);
    const started = Date.now();
    await retryDelayOf(runner.processConsultation(receipt.id));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await reload(receipt.id)).toMatchObject({
      status: 'pending',
      lastError: expect.stringContaining('timeout'),
    });
  });

  it('lets the sweeper find due and stuck rows, not settled or waiting ones', async () => {
    const due = await addPending(newKey());
    const stuck = await addPending(newKey());
    await t.database.db.execute(
      sql`update receipts set consultation_status = 'running', locked_until = now() - interval '1 minute' where id = ${stuck.id}`,
    );
    const waiting = await addPending(newKey());
    await t.database.db.execute(
      sql`update receipts set due_at = now() + interval '1 hour' where id = ${waiting.id}`,
    );
    const ids = (await findDueConsultations(t.database.db, 500)).map((row) => row.id);
    expect(ids).toEqual(expect.arrayContaining([due.id, stuck.id]));
    expect(ids).not.toContain(waiting.id);
    await runner.processConsultation(stuck.id);
    expect(await reload(stuck.id)).toMatchObject({ status: 'parsed' });
    await runner.processConsultation(due.id);
    const after = (await findDueConsultations(t.database.db, 500)).map((row) => row.id);
    expect(after).not.toContain(stuck.id);
    expect(after).not.toContain(due.id);
  });

  it('runs on the runtime’s queue (the job the runtime registered)', async () => {
    const receipt = await addPending(newKey());
    await t.runtime.queue.enqueue(fetchConsultationJob, { receiptId: receipt.id });
    await eventually(
      () => reload(receipt.id),
      (row) => row.status === 'parsed',
    );
  });
});
