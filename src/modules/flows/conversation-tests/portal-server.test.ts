import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConversationTests } from './conversation-test.parser.js';
import { type ConversationTestPortal, startConversationTestPortal } from './portal-server.js';

let dir: string;
let portal: ConversationTestPortal | undefined;

function loadedWith(portalPages: { path: string; file: string; status: number }[]) {
  return {
    file: 'x.test.yaml',
    directory: dir,
    flow: {},
    spec: { flow: 'f.json', channel: { buttons: true }, portal: portalPages, tests: [] },
  } as unknown as LoadedConversationTests;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recado-portal-'));
  await writeFile(path.join(dir, 'key.html'), '<p>key</p>');
  await writeFile(path.join(dir, 'any.html'), '<p>any</p>');
  portal = await startConversationTestPortal([
    loadedWith([
      { path: '/nfce/qrcode', file: 'any.html', status: 200 },
      { path: '/nfce/qrcode?p=4124', file: 'key.html', status: 503 },
    ]),
  ]);
});

afterAll(async () => {
  await portal?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('startConversationTestPortal', () => {
  it('starts nothing when no file has portal pages', async () => {
    expect(await startConversationTestPortal([loadedWith([])])).toBeUndefined();
  });

  it.each([
    ['/nfce/qrcode?p=4124|2|1|1|AB', 503, '<p>key</p>'],
    ['/nfce/qrcode?p=4124%7C2%7C1', 503, '<p>key</p>'],
    ['/nfce/qrcode?p=3524|2|1|1|AB', 200, '<p>any</p>'],
    ['/other', 404, 'Página não encontrada'],
  ])('%s → %i (the longest matching path wins)', async (target, status, body) => {
    const response = await fetch(`${portal?.override}${target}`);
    expect(response.status).toBe(status);
    expect(await response.text()).toContain(body);
  });
});
