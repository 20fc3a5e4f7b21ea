import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { registerCleanup } from './child-processes.js';

export type TemporaryDatabase = {
  name: string;
  /** Connection string of the new database (same server and credentials as the admin URL). */
  url: string;
  drop(): Promise<void>;
};

/** `adminUrl` with its database replaced by `database`. */
export function getDatabaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function runAdminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the server behind `adminUrl`; dropped by `drop()` or on Ctrl-C. */
export async function createTemporaryDatabase(adminUrl: string): Promise<TemporaryDatabase> {
  // Only [a-z0-9_]: safe to put in the statement unquoted.
  const name = `recado_bench_${randomBytes(6).toString('hex')}`;
  await runAdminQuery(adminUrl, `create database ${name}`);
  const drop = registerCleanup(() =>
    runAdminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  );
  return { name, url: getDatabaseUrl(adminUrl, name), drop };
}
