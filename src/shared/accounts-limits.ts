/**
 * Limits of the accounts contract, as plain values: the zod schemas and the web forms read the
 * same numbers (this file has no imports, so the dashboard bundle stays free of zod).
 */
export const minPasswordLength = 12;
export const maxPasswordLength = 256;
export const tenantSlugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const minTenantSlugLength = 2;
export const maxTenantSlugLength = 48;
