import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/platform/db/database.js';
import { isServicesRun, postgresUrlFor, testPostgresAdminUrl } from './test-env.js';

export type TestDatabase = DatabaseHandle & {
  /** The connection string when backed by PostgreSQL (for child processes); else undefined. */
  url: string | undefined;
  /** Closes the connection and drops the database. */
  destroy(): Promise<void>;
};

/**
 * A fresh, migrated database for one test file: a copy of the PGlite template, or in the
 * services run a new PostgreSQL database created from the template and dropped afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (isServicesRun) {
    const template = inject('postgresTemplateDatabase');
    const name = `recado_t_${randomBytes(6).toString('hex')}`;
    await runAdmin(`create database ${name} template ${template}`);
    const url = postgresUrlFor(name);
    const handle = await openDatabase({ kind: 'postgres', url, poolMax: 5 });
    return {
      ...handle,
      url,
      destroy: async () => {
        await handle.close();
        await runAdmin(`drop database if exists ${name} with (force)`);
      },
    };
  }
  const dump = await readFile(inject('pgliteTemplatePath'));
  const client = await PGlite.create({ loadDataDir: new Blob([dump]) });
  const handle = await openDatabase({ kind: 'pglite', client });
  return { ...handle, url: undefined, destroy: () => handle.close() };
}

async function runAdmin(statement: string): Promise<void> {
  // CREATE DATABASE from one template is serialized by PostgreSQL; retry the rare
  // "source database is being accessed by other users" race between test files.
  for (let attempt = 1; ; attempt++) {
    const admin = new pg.Client({ connectionString: testPostgresAdminUrl });
    await admin.connect();
    try {
      await admin.query(statement);
      return;
    } catch (error) {
      if (attempt >= 10 || !String(error).includes('being accessed by other users')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    } finally {
      await admin.end();
    }
  }
}
