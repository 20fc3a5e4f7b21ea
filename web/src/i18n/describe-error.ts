import type { TFunction } from 'i18next';
import type { ErrorCode } from '../../../src/shared/error-codes';
import { isApiError, type networkErrorCode, type sessionExpiredCode } from '../api/api-error';
import ptBR from './pt-BR.json';

/** Every server error code and every client-side one has a sentence (checked at compile time). */
type TranslatedErrorCode = ErrorCode | typeof networkErrorCode | typeof sessionExpiredCode;
const errorSentences = ptBR.errors.codes satisfies Record<TranslatedErrorCode, string>;
type KnownErrorCode = keyof typeof errorSentences;

function isKnownErrorCode(code: string): code is KnownErrorCode {
  return Object.hasOwn(errorSentences, code);
}

/**
 * The sentence to show for a failed call: the translation of the server's error code, else
 * (a code newer than this dashboard) the server's own message for a 4xx, else a generic one.
 * Lock-outs and rate limits say how long to wait when the server tells.
 */
export function describeError(t: TFunction, error: unknown): string {
  if (!isApiError(error)) return t('errors.generic');
  let sentence: string;
  if (isKnownErrorCode(error.code)) sentence = t(`errors.codes.${error.code}`);
  else if (error.status >= 400 && error.status < 500 && error.message) sentence = error.message;
  else sentence = t('errors.generic');
  if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0) {
    sentence = `${sentence} ${t('errors.retryAfter', { count: error.retryAfterSeconds })}`;
  }
  return sentence;
}
