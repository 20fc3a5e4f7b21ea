import { z } from 'zod';

/** OpenAPI security requirement of routes that need `Authorization: Bearer <access token>`. */
export const bearerSecurity = [{ bearerAuth: [] }];

/** The response shape of every keyset-paginated list. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
