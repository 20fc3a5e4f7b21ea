import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { AppError } from '../errors/app-error.js';

/**
 * Keyset pagination over (a timestamp desc, id desc): stable under inserts, no OFFSET scans.
 * `createdAt` names the sort timestamp; lists sorted by another one (a conversation's last
 * activity) put that value there.
 */
export type PageCursor = { createdAt: Date; id: string };

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string | undefined): PageCursor | undefined {
  if (value === undefined || value === '') return undefined;
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  const [iso, id] = decoded.split('|');
  const createdAt = iso ? new Date(iso) : undefined;
  if (!createdAt || Number.isNaN(createdAt.getTime()) || !id || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'The cursor is not valid.', [
      { path: 'cursor', message: 'Use the nextCursor value of a previous page.' },
    ]);
  }
  return { createdAt, id };
}

export type Page<T> = { items: T[]; nextCursor: string | null };

/** Turns `limit + 1` fetched rows into a page and its next cursor. */
export function toPage<T extends { createdAt: Date; id: string }, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
): Page<R>;
export function toPage<T, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
  cursorOf: (row: T) => PageCursor,
): Page<R>;
export function toPage<T, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
  cursorOf: (row: T) => PageCursor = (row) => row as PageCursor,
): Page<R> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null,
  };
}

/**
 * The sort key at millisecond precision: PostgreSQL keeps microseconds, a cursor (a JS Date)
 * only milliseconds, so comparing the raw column would skip rows within the cursor's
 * millisecond.
 */
function toMilliseconds(column: SQLWrapper): SQL {
  return sql`date_trunc('milliseconds', ${column})`;
}

/** ORDER BY for keyset pages: newest first, id as the tie-breaker. */
export function keysetOrder(timestamp: SQLWrapper, id: SQLWrapper): SQL[] {
  return [sql`${toMilliseconds(timestamp)} desc`, sql`${id} desc`];
}

/** WHERE for the page after `cursor` (undefined on the first page). */
export function keysetAfter(
  timestamp: SQLWrapper,
  id: SQLWrapper,
  cursor: PageCursor | undefined,
): SQL | undefined {
  if (!cursor) return undefined;
  const at = sql`${cursor.createdAt.toISOString()}::timestamptz`;
  return sql`(${toMilliseconds(timestamp)} < ${at} or (${toMilliseconds(timestamp)} = ${at} and ${id} < ${cursor.id}))`;
}
