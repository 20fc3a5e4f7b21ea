import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * In a fresh process whose `fetch` refuses every request and records it: zxing-wasm's own
 * default would fetch its `.wasm` from a CDN (jsDelivr) there; ours must not.
 */
async function runWithoutNetwork(script: string) {
  const guarded = `
    const fetched = [];
    globalThis.fetch = async (url) => { fetched.push(String(url)); throw new Error('no network'); };
    ${script}
  `;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', guarded],
    { cwd: repoRoot, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

describe('loadZxing', () => {
  it('loads the .wasm from node_modules, with no network request, once per process', async () => {
    const result = await runWithoutNetwork(`
      const { loadZxing, readZxing } = await import('./src/modules/expenses/qr/zxing-module.ts');
      const first = loadZxing();
      const same = first === loadZxing();
      await Promise.all([first, loadZxing()]);
      const found = await readZxing({ data: new Uint8ClampedArray(40_000).fill(255), width: 100, height: 100 });
      console.log(JSON.stringify({ same, found: found.length, fetched }));
    `);
    expect(result).toEqual({ same: true, found: 0, fetched: [] });
  });

  it("is needed: zxing-wasm's default would have fetched the .wasm from a CDN", async () => {
    const result = await runWithoutNetwork(`
      const { readBarcodes } = await import('zxing-wasm/reader');
      console.error = () => {};
      const outcome = await readBarcodes({ data: new Uint8ClampedArray(400), width: 10, height: 10 })
        .then(() => 'read', () => 'failed');
      console.log(JSON.stringify({ outcome, fetched }));
    `);
    expect(result.outcome).toBe('failed');
    expect(result.fetched).toEqual([expect.stringMatching(/^https:\/\/.+zxing_reader\.wasm$/)]);
  });
});
