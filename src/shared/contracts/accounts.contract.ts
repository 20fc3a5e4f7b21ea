import { z } from 'zod';
import {
  maxPasswordLength,
  maxTenantSlugLength,
  minPasswordLength,
  minTenantSlugLength,
  tenantSlugPattern,
} from '../accounts-limits.js';

/** HTTP contract of the accounts module, shared by the server (validation, OpenAPI) and the web. */

export const tenantRoleSchema = z.enum(['admin', 'operator', 'client']);
export type TenantRole = z.infer<typeof tenantRoleSchema>;

export const localeSchema = z.enum(['pt-BR', 'pt-PT', 'en']);

const emailSchema = z
  .email({ message: 'must be a valid e-mail address' })
  .max(254)
  .transform((value) => value.trim().toLowerCase());

const passwordSchema = z
  .string()
  .min(minPasswordLength, `must be at least ${minPasswordLength} characters`)
  .max(maxPasswordLength, `must be at most ${maxPasswordLength} characters`);

const nameSchema = z.string().trim().min(1, 'must not be empty').max(120);

export const loginRequestSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
  tenantId: z.uuid().optional().describe('Tenant to act in, when the user belongs to several.'),
});

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(200) });

export const userSummarySchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  isSuperAdmin: z.boolean(),
  locale: localeSchema,
});

export const tenantSummarySchema = z.object({ id: z.uuid(), name: z.string(), slug: z.string() });

export const sessionResponseSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().describe('Seconds until the access token expires.'),
  user: userSummarySchema,
  tenant: tenantSummarySchema,
  role: tenantRoleSchema,
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const meResponseSchema = z.object({
  user: userSummarySchema,
  tenant: tenantSummarySchema,
  role: tenantRoleSchema,
  memberships: z.array(z.object({ tenant: tenantSummarySchema, role: tenantRoleSchema })),
});

export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const tenantUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: tenantRoleSchema,
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
});
export type TenantUser = z.infer<typeof tenantUserSchema>;

export const createUserRequestSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: tenantRoleSchema,
  password: passwordSchema.optional(),
});

export const updateUserRequestSchema = z
  .object({
    name: nameSchema.optional(),
    role: tenantRoleSchema.optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'give at least one field to change');

export const createUserResponseSchema = z.object({
  user: tenantUserSchema,
  temporaryPassword: z.string().optional(),
});

export const tenantSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  status: z.enum(['active', 'suspended']),
  userCount: z.number().int(),
  createdAt: z.string(),
});
export type Tenant = z.infer<typeof tenantSchema>;

export const slugSchema = z
  .string()
  .trim()
  .min(minTenantSlugLength)
  .max(maxTenantSlugLength)
  .regex(tenantSlugPattern, 'must be lower-case letters, digits and single hyphens');

export const createTenantRequestSchema = z.object({
  name: nameSchema,
  slug: slugSchema,
  admin: z.object({ email: emailSchema, name: nameSchema, password: passwordSchema.optional() }),
});

export const createTenantResponseSchema = z.object({
  tenant: tenantSchema,
  admin: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
  temporaryPassword: z.string().optional(),
});

export const updateTenantRequestSchema = z
  .object({ name: nameSchema.optional(), status: z.enum(['active', 'suspended']).optional() })
  .refine((value) => Object.keys(value).length > 0, 'give at least one field to change');

export const idParamsSchema = z.object({ id: z.uuid() });
