import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderConfigurationDoc, renderEnvExample } from './config-docs.js';

describe('generated configuration docs', () => {
  it('.env.example matches the schema (run `npm run config:docs` after changing it)', async () => {
    const current = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(current).toBe(renderEnvExample());
  });

  it('docs/configuration.md matches the schema', async () => {
    const current = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(current).toBe(renderConfigurationDoc());
  });

  it('documents every variable with a description', () => {
    const doc = renderConfigurationDoc();
    for (const name of [
      'PORT',
      'HOST',
      'DATA_DIR',
      'DATABASE_URL',
      'REDIS_URL',
      'PUBLIC_URL',
      'RECADO_ROLE',
    ]) {
      expect(doc).toContain(`\`${name}\``);
    }
    expect(doc).not.toMatch(/\| {2}\|$/m);
  });
});
