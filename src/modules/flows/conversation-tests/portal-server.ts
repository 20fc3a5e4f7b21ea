import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LoadedConversationTests } from './conversation-test.parser.js';

/**
 * The stand-in for the tax authorities' NFC-e consultation portals that conversation tests
 * with a `portal:` setting need: a loopback HTTP server answering each request whose path and
 * query start with an entry's `path` with that entry's page (the longest matching path wins;
 * nothing matching: 404). The Recado under test reaches it through NFCE_PORTAL_OVERRIDE, which
 * keeps the portal URL's path and query. One server serves every loaded file's pages.
 */

export type ConversationTestPortal = {
  /** The value for NFCE_PORTAL_OVERRIDE. */
  override: string;
  close(): Promise<void>;
};

type Page = { path: string; status: number; body: Buffer };

/** Starts the server when some file has `portal:` pages; undefined when none has. */
export async function startConversationTestPortal(
  files: readonly LoadedConversationTests[],
): Promise<ConversationTestPortal | undefined> {
  const pages: Page[] = [];
  for (const loaded of files) {
    for (const entry of loaded.spec.portal ?? []) {
      pages.push({
        path: entry.path,
        status: entry.status,
        body: await readFile(path.resolve(loaded.directory, entry.file)),
      });
    }
  }
  if (pages.length === 0) return undefined;
  pages.sort((a, b) => b.path.length - a.path.length);
  const server = createServer((request, response) => {
    const target = request.url ?? '/';
    // Pipes in the `p` parameter may arrive escaped (%7C) or not.
    const wanted = [target, safeDecode(target)];
    const page = pages.find((candidate) =>
      wanted.some((value) => value.startsWith(candidate.path)),
    );
    if (!page) {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<html><body>Página não encontrada</body></html>');
      return;
    }
    response.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    override: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
