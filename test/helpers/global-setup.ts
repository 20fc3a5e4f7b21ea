import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/platform/db/database.js';
import { postgresUrlFor, testPostgresAdminUrl } from './test-env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
    postgresTemplateDatabase: string;
  }
}

/**
 * Migrates one database per run and hands it to every test file as a template:
 * a dumped PGlite data dir (loaded per file, ~1 s instead of ~4 s of initdb + migrate), or,
 * in the services run, a PostgreSQL template database that each file copies and drops.
 */
export default async function setup(project: TestProject) {
  const workDir = await mkdtemp(path.join(tmpdir(), 'recado-test-'));
  const client = await PGlite.create();
  const handle = await openDatabase({ kind: 'pglite', client });
  await handle.migrate();
  const dump = await client.dumpDataDir('none');
  const templatePath = path.join(workDir, 'template.tar');
  await writeFile(templatePath, Buffer.from(await dump.arrayBuffer()));
  await client.close();
  project.provide('pgliteTemplatePath', templatePath);

  // Project `env` reaches test workers only, not this process: decide by the project's name.
  const isServicesRun = project.name === 'services';
  let templateDatabase = '';
  if (isServicesRun) {
    templateDatabase = `recado_tpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: testPostgresAdminUrl });
    await admin.connect();
    await admin.query(`create database ${templateDatabase}`);
    await admin.end();
    const pgHandle = await openDatabase({
      kind: 'postgres',
      url: postgresUrlFor(templateDatabase),
      poolMax: 1,
    });
    await pgHandle.migrate();
    await pgHandle.close();
  }
  project.provide('postgresTemplateDatabase', templateDatabase);

  return async () => {
    await rm(workDir, { recursive: true, force: true });
    if (templateDatabase) {
      const admin = new pg.Client({ connectionString: testPostgresAdminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${templateDatabase} with (force)`);
      await admin.end();
    }
  };
}
