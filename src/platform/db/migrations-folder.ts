import { fileURLToPath } from 'node:url';

/**
 * The one migration folder (`drizzle/` at the package root). Resolved from this file so it
 * works from `src/` (tsx, tests) and from the bundled `dist/`.
 */
export const migrationsFolder = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../drizzle' : '../../../drizzle', import.meta.url),
);
