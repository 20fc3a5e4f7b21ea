import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDueRequests, runPacedLoad } from './paced-load.js';

describe('countDueRequests', () => {
  it('makes request 0 due at once and one more every 1/rate', () => {
    expect(countDueRequests(0, 1000, 10_000)).toBe(1);
    expect(countDueRequests(0.999, 1000, 10_000)).toBe(1);
    expect(countDueRequests(1, 1000, 10_000)).toBe(2);
    expect(countDueRequests(999.5, 100, 10_000)).toBe(100);
    expect(countDueRequests(-5, 100, 10_000)).toBe(0);
  });

  it('never exceeds the total', () => {
    expect(countDueRequests(60_000, 100, 500)).toBe(500);
  });
});

describe('runPacedLoad', () => {
  let server: Server;
  let url = '';
  const bodies: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(body.endsWith('3') ? 401 : 200);
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends rate × duration requests, each body once, and sorts answers by status', async () => {
    let sequence = 0;
    const result = await runPacedLoad({
      url,
      ratePerSecond: 200,
      durationSeconds: 0.1,
      maxInFlight: 4,
      nextRequest: () => ({ body: `body-${sequence++}`, headers: { 'x-test': '1' } }),
    });
    expect(result.sent).toBe(20);
    expect(new Set(bodies).size).toBe(20);
    // body-3 and body-13 end with 3: the server refused them.
    expect(result).toMatchObject({ ok: 18, non2xx: 2, errors: 0 });
    expect(result.statusCodes).toEqual({ 200: 18, 401: 2 });
    expect(result.latenciesMs).toHaveLength(18);
  });

  it('counts connection failures as errors', async () => {
    const result = await runPacedLoad({
      url: 'http://127.0.0.1:9/refused',
      ratePerSecond: 100,
      durationSeconds: 0.05,
      maxInFlight: 2,
      nextRequest: () => ({ body: 'x', headers: {} }),
    });
    expect(result.errors).toBe(5);
    expect(result.ok).toBe(0);
    expect(result.firstError).toMatch(/ECONNREFUSED/);
  });
});
