import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createHttpClient,
  type PooledHttpClient,
} from '../../../platform/http-client/http-client.js';
import { parseConsultationPage } from './consultation-page.js';
import {
  decodeHtml,
  fetchConsultationPage,
  originalHostHeader,
  parseRetryAfter,
  resolveConsultationRequest,
} from './consultation-resolver.js';
import { parseNfceQr } from './nfce-qr.js';

/*
 * A fake tax site on loopback: requests reach it through the override base URL, and it answers
 * by the original host (X-Original-Host) and path, the way tests and proxies use
 * NFCE_PORTAL_OVERRIDE.
 */
type Seen = { url: string; headers: IncomingMessage['headers'] };
type Route = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let override = '';
let client: PooledHttpClient;
let seen: Seen[] = [];
const routes = new Map<string, Route>();
const hanging = new Set<ServerResponse>();

const page = (name: string) =>
  readFileSync(new URL(`./test-pages/${name}.html`, import.meta.url), 'utf8');
const prHost = 'www.fazenda.pr.gov.br';
const mobileKey = '41240311222333000181650050000045211123456789';
const qr = `http://${prHost}/nfce/qrcode?p=${mobileKey}|2|1|1|0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C`;

function html(body: string | Buffer, contentType = 'text/html; charset=utf-8'): Route {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': contentType });
    response.end(body);
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    const host = String(request.headers[originalHostHeader.toLowerCase()] ?? 'none');
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const route = routes.get(`${host}${path}`);
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<html><body>Página não encontrada</body></html>');
      return;
    }
    route(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  override = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createHttpClient({ headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000 });

  routes.set(`${prHost}/nfce/qrcode`, html(page('mobile-template')));
  routes.set(
    'portalsped.fazenda.mg.gov.br/portalnfce/qrcode.xhtml',
    // ISO-8859-1 bytes, charset only in the page's <meta>.
    html(Buffer.from(page('mg-portal'), 'latin1'), 'text/html'),
  );
  routes.set(`${prHost}/relative`, (_request, response) => {
    response.writeHead(302, { location: '/nfce/qrcode?p=redirected' });
    response.end();
  });
  routes.set(`${prHost}/absolute-override`, (_request, response) => {
    response.writeHead(301, { location: `${override}/nfce/qrcode?via=override` });
    response.end();
  });
  routes.set(`${prHost}/other-portal`, (_request, response) => {
    response.writeHead(302, {
      location: 'https://portalsped.fazenda.mg.gov.br/portalnfce/qrcode.xhtml?p=1',
    });
    response.end();
  });
  routes.set(`${prHost}/evil-redirect`, (_request, response) => {
    response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
    response.end();
  });
  routes.set(`${prHost}/loop`, (_request, response) => {
    response.writeHead(302, { location: '/loop' });
    response.end();
  });
  routes.set(`${prHost}/busy`, (_request, response) => {
    response.writeHead(503, { 'retry-after': '7', 'content-type': 'text/html' });
    response.end('<html>Serviço indisponível</html>');
  });
  routes.set(`${prHost}/rate-limited`, (_request, response) => {
    response.writeHead(429, { 'content-type': 'text/html' });
    response.end('slow down');
  });
  routes.set(`${prHost}/pdf`, html(Buffer.from('%PDF-1.7 ...'), 'application/pdf'));
  routes.set(`${prHost}/untyped`, (_request, response) => {
    response.writeHead(200);
    response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]));
  });
  routes.set(`${prHost}/untyped-html`, (_request, response) => {
    response.writeHead(200);
    response.end('  <html><body>ok</body></html>');
  });
  routes.set(`${prHost}/announced-huge`, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50_000_000) });
    response.write('<html>');
    hanging.add(response);
  });
  routes.set(`${prHost}/chunked-huge`, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let index = 0; index < 40; index += 1) response.write(chunk);
    hanging.add(response);
  });
  routes.set(`${prHost}/never`, (_request, response) => {
    hanging.add(response);
  });
  routes.set(`${prHost}/stalled-body`, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.write('<html><body>');
    hanging.add(response);
  });
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await client.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

const fetchPage = (url: string, extra: { timeoutMs?: number; maxBytes?: number } = {}) =>
  fetchConsultationPage(url, {
    http: client,
    override,
    timeoutMs: extra.timeoutMs ?? 5_000,
    maxBytes: extra.maxBytes ?? 1_000_000,
  });

describe('resolveConsultationRequest', () => {
  it('leaves the URL alone without an override', () => {
    const request = resolveConsultationRequest(qr);
    expect(request.url).toBe(qr);
    expect(request.portalUrl).toBe(qr);
    expect(request.headers).not.toHaveProperty(originalHostHeader);
  });

  it('sends to the override base with path, query and the original host', () => {
    const request = resolveConsultationRequest(`https://${prHost}:8443/nfce/qrcode?p=1|2%7C3#x`, {
      override: 'http://fake-sefaz:9000',
    });
    expect(request.url).toBe('http://fake-sefaz:9000/nfce/qrcode?p=1|2%7C3');
    expect(request.headers[originalHostHeader]).toBe(`${prHost}:8443`);
    expect(request.portalUrl).toBe(`https://${prHost}:8443/nfce/qrcode?p=1|2%7C3`);
  });

  it('keeps a path prefix of the override', () => {
    const request = resolveConsultationRequest(qr, { override: 'http://proxy.internal/sefaz/' });
    expect(request.url).toBe(`http://proxy.internal/sefaz/nfce/qrcode?${qr.split('?')[1]}`);
  });

  it('throws for a non-portal URL and a broken override (defects, not input)', () => {
    expect(() => resolveConsultationRequest('http://127.0.0.1/x')).toThrow(TypeError);
    expect(() => resolveConsultationRequest(qr, { override: 'not a url' })).toThrow(TypeError);
    expect(() => resolveConsultationRequest(qr, { override: 'ftp://x' })).toThrow(TypeError);
    expect(() => resolveConsultationRequest(qr, { override: 'http://x/?a=1' })).toThrow(TypeError);
  });
});

describe('fetchConsultationPage on a fake tax site', () => {
  it('fetches the QR code’s page through the override, and the page verifies against the QR', async () => {
    const parsed = parseNfceQr(qr);
    if (!parsed.ok) throw new Error(parsed.reason);
    const fetched = await fetchPage(parsed.value.portalUrl);
    expect(fetched).toMatchObject({ ok: true, status: 200, url: parsed.value.portalUrl });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(
      `/nfce/qrcode?p=${mobileKey}|2|1|1|0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C`,
    );
    expect(seen[0]?.headers[originalHostHeader.toLowerCase()]).toBe(prHost);
    expect(seen[0]?.headers['accept-language']).toMatch(/^pt-BR/);
    if (!fetched.ok) return;
    const result = parseConsultationPage(fetched.html, {
      expectedAccessKey: parsed.value.accessKey.key,
    });
    expect(result).toMatchObject({ status: 'verified', receipt: { total: 6505 } });
  });

  it('works with the global fetch too (any fetch-shaped client)', async () => {
    const fetched = await fetchConsultationPage(qr, {
      http: (url, init) => fetch(url, init),
      override,
      timeoutMs: 5_000,
      maxBytes: 1_000_000,
    });
    expect(fetched).toMatchObject({ ok: true });
  });

  it('decodes a Latin-1 page declared only in its <meta>', async () => {
    const fetched = await fetchPage(
      'https://portalsped.fazenda.mg.gov.br/portalnfce/qrcode.xhtml?p=1',
    );
    expect(fetched.ok).toBe(true);
    if (!fetched.ok) return;
    expect(fetched.html).toContain('PADARIA PÃO DE QUEIJO LTDA');
    expect(parseConsultationPage(fetched.html)).toMatchObject({
      status: 'verified',
      layout: 'mg-portal',
    });
  });

  it('follows redirects through the override, relative or on the override’s own origin', async () => {
    const relative = await fetchPage(`http://${prHost}/relative`);
    expect(relative).toMatchObject({ ok: true, url: `http://${prHost}/nfce/qrcode?p=redirected` });
    expect(seen.map((request) => request.url)).toEqual(['/relative', '/nfce/qrcode?p=redirected']);

    const absolute = await fetchPage(`http://${prHost}/absolute-override`);
    expect(absolute).toMatchObject({ ok: true, url: `http://${prHost}/nfce/qrcode?via=override` });
  });

  it('follows a redirect to another portal, still through the override', async () => {
    const fetched = await fetchPage(`http://${prHost}/other-portal`);
    expect(fetched).toMatchObject({ ok: true });
    expect(seen.at(-1)?.headers[originalHostHeader.toLowerCase()]).toBe(
      'portalsped.fazenda.mg.gov.br',
    );
  });

  it('refuses redirects off the tax authority sites and redirect loops, for good', async () => {
    expect(await fetchPage(`http://${prHost}/evil-redirect`)).toMatchObject({
      ok: false,
      reason: 'untrusted-url',
      retryable: false,
    });
    expect(seen).toHaveLength(1);
    expect(await fetchPage(`http://${prHost}/loop`)).toMatchObject({
      ok: false,
      reason: 'too-many-redirects',
      retryable: false,
    });
  });

  it('refuses URLs that are not portals without a request', async () => {
    for (const url of ['http://127.0.0.1:1/x', 'file:///etc/passwd', 'not a url']) {
      expect(await fetchPage(url), url).toMatchObject({ ok: false, reason: 'untrusted-url' });
    }
    expect(seen).toHaveLength(0);
  });

  it('says which statuses are worth another try, honouring Retry-After', async () => {
    expect(await fetchPage(`http://${prHost}/busy`)).toMatchObject({
      ok: false,
      reason: 'http-status',
      status: 503,
      retryable: true,
      retryAfterMs: 7_000,
    });
    expect(await fetchPage(`http://${prHost}/rate-limited`)).toMatchObject({
      status: 429,
      retryable: true,
    });
    const missing = await fetchPage(`http://${prHost}/no-such-page`);
    expect(missing).toMatchObject({ status: 404, retryable: false });
    if (!missing.ok) expect(missing.message['pt-BR']).toMatch(/recusou a consulta/);
  });

  it('refuses what is not a page', async () => {
    expect(await fetchPage(`http://${prHost}/pdf`)).toMatchObject({
      reason: 'not-html',
      retryable: false,
    });
    expect(await fetchPage(`http://${prHost}/untyped`)).toMatchObject({ reason: 'not-html' });
    expect(await fetchPage(`http://${prHost}/untyped-html`)).toMatchObject({ ok: true });
  });

  it('refuses bodies over the limit, announced or streamed', async () => {
    expect(await fetchPage(`http://${prHost}/announced-huge`)).toMatchObject({
      reason: 'too-large',
      retryable: false,
    });
    expect(
      await fetchPage(`http://${prHost}/chunked-huge`, { maxBytes: 512 * 1024 }),
    ).toMatchObject({
      reason: 'too-large',
    });
  });

  it('times out on a portal that never answers, or stops mid-body, as retryable', async () => {
    const started = Date.now();
    expect(await fetchPage(`http://${prHost}/never`, { timeoutMs: 300 })).toMatchObject({
      ok: false,
      reason: 'timeout',
      retryable: true,
    });
    expect(await fetchPage(`http://${prHost}/stalled-body`, { timeoutMs: 300 })).toMatchObject({
      reason: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('reports an unreachable portal as a retryable network failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const fetched = await fetchConsultationPage(qr, {
      http: client,
      override: `http://127.0.0.1:${port}`,
      timeoutMs: 5_000,
      maxBytes: 1_000,
    });
    expect(fetched).toMatchObject({ ok: false, reason: 'network', retryable: true });
  });

  it('stops when the caller aborts (shutdown), as retryable', async () => {
    const controller = new AbortController();
    const pending = fetchConsultationPage(`http://${prHost}/never`, {
      http: client,
      override,
      timeoutMs: 10_000,
      maxBytes: 1_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, reason: 'aborted', retryable: true });
  });
});

describe('decodeHtml and parseRetryAfter', () => {
  it('decodes by header, by meta, and falls back to windows-1252 for non-UTF-8 bytes', () => {
    const latin1 = Buffer.from('<p>Cartão de Crédito</p>', 'latin1');
    expect(decodeHtml(latin1, 'text/html; charset=ISO-8859-1')).toBe('<p>Cartão de Crédito</p>');
    expect(decodeHtml(latin1, 'text/html')).toBe('<p>Cartão de Crédito</p>');
    expect(decodeHtml(Buffer.from('<p>Cartão</p>'), 'text/html; charset=bogus')).toBe(
      '<p>Cartão</p>',
    );
  });

  it('reads seconds and dates, capped at a day', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(parseRetryAfter('999999')).toBe(86_400_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
