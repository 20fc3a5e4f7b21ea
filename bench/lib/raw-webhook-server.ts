/**
 * Baseline for webhook intake: plain node:http that reads the body, checks Meta's
 * `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the app secret, BENCH_APP_SECRET)
 * and answers 200 — everything Recado does before its 200 except storing the delivery.
 * Started by webhooks.bench.ts through child-server.ts; `{ kind: 'count' }` over IPC answers
 * how many requests it accepted and refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { announceListening, answerQueries } from './child-server.js';

const appSecret = process.env.BENCH_APP_SECRET ?? '';
const accepted = JSON.stringify({ received: true, duplicate: false });
const refused = JSON.stringify({ error: { code: 'INVALID_SIGNATURE' } });
let acceptedCount = 0;
let refusedCount = 0;

function isSigned(body: Buffer, header: string | string[] | undefined): boolean {
  const match = typeof header === 'string' ? /^sha256=([0-9a-f]{64})$/i.exec(header) : null;
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', appSecret).update(body).digest();
  return timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const ok = isSigned(Buffer.concat(chunks), request.headers['x-hub-signature-256']);
    if (ok) acceptedCount += 1;
    else refusedCount += 1;
    const body = ok ? accepted : refused;
    response.writeHead(ok ? 200 : 401, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    });
    response.end(body);
  });
});

answerQueries(() => ({ kind: 'count', accepted: acceptedCount, refused: refusedCount }));
server.listen(0, '127.0.0.1', () => announceListening(server));
