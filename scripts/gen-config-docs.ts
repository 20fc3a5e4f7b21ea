import { readFile, writeFile } from 'node:fs/promises';
import { renderConfigurationDoc, renderEnvExample } from '../src/config/config-docs.js';

/** Writes `.env.example` and `docs/configuration.md`; with `--check`, fails when they drift. */
const targets = [
  { file: new URL('../.env.example', import.meta.url), render: renderEnvExample },
  { file: new URL('../docs/configuration.md', import.meta.url), render: renderConfigurationDoc },
];
const check = process.argv.includes('--check');
let drifted = false;
for (const target of targets) {
  const expected = target.render();
  const current = await readFile(target.file, 'utf8').catch(() => '');
  if (current === expected) continue;
  if (check) {
    console.error(`${target.file.pathname} is out of date: run npm run config:docs`);
    drifted = true;
  } else {
    await writeFile(target.file, expected);
    console.log(`wrote ${target.file.pathname}`);
  }
}
if (drifted) process.exit(1);
