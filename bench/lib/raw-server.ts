/**
 * Baseline: the smallest useful HTTP server, plain node:http answering `{"status":"ok"}`.
 * Started as a child process by raw-baseline.ts; reports its port over IPC, exits with the
 * parent.
 */
import { createServer } from 'node:http';

const body = JSON.stringify({ status: 'ok' });
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(Buffer.byteLength(body)),
};

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.send?.({ kind: 'listening', port });
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
