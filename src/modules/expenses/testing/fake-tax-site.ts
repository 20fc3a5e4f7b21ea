import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeAccessKeyCheckDigit } from '../receipts/access-key.js';

/**
 * Test support: a fake tax authority site on loopback, reached through NFCE_PORTAL_OVERRIDE,
 * and NFC-e QR contents whose pages it serves. The page is the receipts module's mobile
 * template test page (SUPERMERCADO EXEMPLO LTDA, R$ 65,05) with the asked key written in, so
 * every key `mobileKey(n)` makes is a distinct receipt that verifies.
 */

const mobileTemplateKey = '41240311222333000181650050000045211123456789';
const printedKey = (key: string) => key.replace(/(.{4})/g, '$1 ').trim();

export const mobilePageTotalCents = 6505;
export const mobilePageIssuer = 'SUPERMERCADO EXEMPLO LTDA';

export function readTestPage(name: string): string {
  return readFileSync(new URL(`../receipts/test-pages/${name}.html`, import.meta.url), 'utf8');
}

/** The n-th key the mobile page verifies against (only the random code cNF differs). */
export function mobileKey(n: number): string {
  const first43 = `${mobileTemplateKey.slice(0, 35)}${String(n).padStart(8, '0')}`;
  return `${first43}${computeAccessKeyCheckDigit(first43)}`;
}

/** The mobile template page for `key`. */
export function mobilePageFor(key: string): string {
  return readTestPage('mobile-template').replace(printedKey(mobileTemplateKey), printedKey(key));
}

const hash = '0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C';

/** A Paraná NFC-e QR (v2 online; offline with the QR's own total when `offlineTotal` is set). */
export function nfceQrText(key: string, options: { offlineTotal?: string; day?: number } = {}) {
  const portal = 'http://www.fazenda.pr.gov.br/nfce/qrcode';
  if (options.offlineTotal === undefined) return `${portal}?p=${key}|2|1|1|${hash}`;
  const day = String(options.day ?? 15).padStart(2, '0');
  const digestValue = '6a6b6c6d'.repeat(7);
  return `${portal}?p=${key}|2|1|${day}|${options.offlineTotal}|${digestValue}|1|${hash}`;
}

export type FakeAnswer =
  | { kind: 'page'; html: string }
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'hang' };

export type FakeTaxSite = {
  /** NFCE_PORTAL_OVERRIDE for the server. */
  override: string;
  /** Keys asked for, in order. */
  requests: string[];
  /** How the site answers for a key: a list is used in turn (its last entry repeats). */
  answer(key: string, ...answers: FakeAnswer[]): void;
  close(): Promise<void>;
};

/**
 * By default a key gets the mobile page written for it; `answer` changes that per key (the
 * portal's "not found yet" page, a 503, a page of another layout...).
 */
export async function startFakeTaxSite(): Promise<FakeTaxSite> {
  const answers = new Map<string, FakeAnswer[]>();
  const requests: string[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const p = new URL(request.url ?? '/', 'http://fake').searchParams.get('p') ?? '';
    const key = p.slice(0, 44);
    requests.push(key);
    const queue = answers.get(key);
    const answer: FakeAnswer = (queue && queue.length > 1 ? queue.shift() : queue?.[0]) ?? {
      kind: 'page',
      html: mobilePageFor(key),
    };
    switch (answer.kind) {
      case 'page':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(answer.html);
        return;
      case 'status':
        response.writeHead(answer.status, {
          'content-type': 'text/html',
          ...(answer.retryAfterSeconds ? { 'retry-after': String(answer.retryAfterSeconds) } : {}),
        });
        response.end('<html><body>Serviço indisponível</body></html>');
        return;
      case 'hang':
        hanging.push(response);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    override: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer(key, ...list) {
      answers.set(key, list);
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
