/**
 * The one catalogue of error codes, shared by server and web. Each code maps to one HTTP
 * status; the web translates codes into user-facing messages.
 */
export const errorStatusByCode = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  TENANT_SUSPENDED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  SLUG_TAKEN: 409,
  LAST_ADMIN: 409,
  MEDIA_NOT_AVAILABLE: 409,
  OUTSIDE_SERVICE_WINDOW: 422,
  CONTENT_NOT_SUPPORTED: 422,
  CONTACT_OPTED_OUT: 422,
  TEMPLATE_NOT_FOUND: 422,
  TEMPLATE_NOT_APPROVED: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  MEDIA_TOO_LARGE: 413,
  MEDIA_TYPE_NOT_ALLOWED: 415,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  PROVIDER_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatusByCode;

/** The JSON body of every error response. */
export type ErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown };
};
