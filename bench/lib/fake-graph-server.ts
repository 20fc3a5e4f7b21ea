/**
 * A loopback stand-in for Meta's Graph API with no limit: answers every
 * `POST /{version}/{phone-number-id}/messages` with Meta's send response (the recipient echoed,
 * a fresh `wamid`), like graph.facebook.com does. Run as a child process by the benchmarks
 * (bench/lib/child-server.ts); `{ kind: 'count' }` over IPC answers how many sends it took.
 */
import { createServer } from 'node:http';
import { announceListening, answerQueries } from './child-server.js';

let sends = 0;
let rejected = 0;
const messagesPath = /^\/v\d+\.\d+\/\d+\/messages$/;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let to: unknown;
    try {
      to = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to?: unknown }).to;
    } catch {
      to = undefined;
    }
    if (
      request.method !== 'POST' ||
      !messagesPath.test(request.url ?? '') ||
      typeof to !== 'string'
    ) {
      rejected += 1;
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 100, message: 'Invalid parameter' } }));
      return;
    }
    sends += 1;
    const body = JSON.stringify({
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id: `wamid.bench.${process.pid}.${sends}` }],
    });
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;

answerQueries(() => ({ kind: 'count', sends, rejected }));
server.listen(0, '127.0.0.1', () => announceListening(server));
