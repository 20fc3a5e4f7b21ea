/** Codes the client itself produces, next to the server's UPPER_SNAKE codes. */
export const networkErrorCode = 'NETWORK_ERROR';
export const sessionExpiredCode = 'SESSION_EXPIRED';

/**
 * A failed API call: the server's `{ error: { code, message, details } }`, or a client-side
 * failure (network down, session gone) with one of the codes above.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  /** From the `Retry-After` header (rate limits, locks), in seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    code: string;
    status: number;
    message: string;
    details?: unknown;
    retryAfterSeconds?: number | undefined;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.code = options.code;
    this.status = options.status;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; details?: unknown } };

/** Builds an ApiError from a non-2xx response, whatever its body holds. */
export async function readApiError(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  const code = typeof body?.error?.code === 'string' ? body.error.code : `HTTP_${response.status}`;
  const message =
    typeof body?.error?.message === 'string' ? body.error.message : response.statusText;
  return new ApiError({
    code,
    status: response.status,
    message,
    details: body?.error?.details,
    retryAfterSeconds:
      retryAfterFromDetails(body?.error?.details) ??
      parseRetryAfter(response.headers.get('retry-after')),
  });
}

function retryAfterFromDetails(details: unknown): number | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const value = (details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.ceil(value)
    : undefined;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
