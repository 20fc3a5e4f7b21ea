import { AppError } from '../errors/app-error.js';

/** Keyset pagination over (created_at desc, id desc): stable under inserts, no OFFSET scans. */
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
): Page<R> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}
