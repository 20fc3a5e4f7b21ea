#!/usr/bin/env node
// Builds the server bundle (dist/main.js, esbuild) and the dashboard (web/dist, Vite).
// `--if-stale` skips each part whose output is newer than every one of its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const ifStale = args.has('--if-stale');
const only = args.has('--server') ? 'server' : args.has('--web') ? 'web' : 'all';

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function isStale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => newestMtime(path.join(root, source)) > built);
}

async function buildServer() {
  const output = path.join(root, 'dist', 'main.js');
  if (ifStale && !isStale(output, ['src', 'package.json'])) return;
  const started = Date.now();
  const { build } = await import('esbuild');
  await build({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    outfile: output,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  console.log(`built dist/main.js in ${Date.now() - started} ms`);
}

function buildWeb() {
  const output = path.join(root, 'web', 'dist', 'index.html');
  if (
    ifStale &&
    !isStale(output, ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/shared'])
  )
    return;
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    console.error('The web dashboard failed to build (see above).');
    process.exit(result.status ?? 1);
  }
  console.log(`built web/dist in ${Date.now() - started} ms`);
}

if (only !== 'web') await buildServer();
if (only !== 'server') buildWeb();
