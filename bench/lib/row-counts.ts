import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * Counts in Recado's database after (or during) a run: through PostgreSQL while Recado runs,
 * or by opening the embedded PGlite directory once Recado has stopped (PGlite is
 * single-process: never open it while the server holds it).
 */

export type DatabaseLocation =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string };

/** Runs `select count(*) …` statements and returns their counts, in order. */
export async function countRows(
  location: DatabaseLocation,
  statements: readonly string[],
): Promise<number[]> {
  if (location.kind === 'postgres') {
    const client = new pg.Client({
      connectionString: location.url,
      connectionTimeoutMillis: 10_000,
    });
    await client.connect();
    try {
      const counts: number[] = [];
      for (const statement of statements) {
        const result = await client.query<{ count: string }>(statement);
        counts.push(Number(result.rows[0]?.count ?? Number.NaN));
      }
      return counts;
    } finally {
      await client.end();
    }
  }
  const database = await PGlite.create({ dataDir: path.join(location.dataDir, 'pglite') });
  try {
    const counts: number[] = [];
    for (const statement of statements) {
      const result = await database.query<{ count: number | string | bigint }>(statement);
      counts.push(Number(result.rows[0]?.count ?? Number.NaN));
    }
    return counts;
  } finally {
    await database.close();
  }
}

/** Runs one statement that changes rows (Postgres while running, PGlite only when stopped). */
export async function executeStatement(location: DatabaseLocation, statement: string) {
  if (location.kind === 'postgres') {
    const client = new pg.Client({
      connectionString: location.url,
      connectionTimeoutMillis: 10_000,
    });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
    return;
  }
  const database = await PGlite.create({ dataDir: path.join(location.dataDir, 'pglite') });
  try {
    await database.exec(statement);
  } finally {
    await database.close();
  }
}
