#!/usr/bin/env node
// `npm start`: builds what is missing or stale, then runs the CLI in this same process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const buildScript = fileURLToPath(new URL('./build.mjs', import.meta.url));
const build = spawnSync(process.execPath, [buildScript, '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
await import(new URL('../dist/main.js', import.meta.url).href);
