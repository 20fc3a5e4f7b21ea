import { type ErrorCode, errorStatusByCode } from '../../shared/error-codes.js';

/**
 * The one error the domain throws. The HTTP layer maps `code` to a status; the message says
 * what was wrong and, through `details`, where (field, row, line). Never put secrets or
 * internals in it: it is shown to the caller.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return errorStatusByCode[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
