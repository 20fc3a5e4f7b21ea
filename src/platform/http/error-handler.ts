import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode } from '../../shared/error-codes.js';
import { errorStatusByCode } from '../../shared/error-codes.js';
import { AppError } from '../errors/app-error.js';

/**
 * Every error leaves the server as `{ error: { code, message, details } }`. A 4xx says what was
 * wrong and where; a 5xx says nothing about internals and is logged with the request id.
 */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.httpStatus, body: body(error.code, error.message, error.details) };
  }
  const fastifyError = error as Partial<FastifyError> & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = fastifyError.validationContext ?? 'body';
    const details = error.validation.map((issue) => ({
      path: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'is invalid',
    }));
    return {
      status: 400,
      body: body(
        'VALIDATION_FAILED',
        `The request ${where} is invalid: ${summarize(details)}.`,
        details,
      ),
    };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: body('PAYLOAD_TOO_LARGE', 'The request body is larger than this endpoint accepts.'),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: body(
          'UNSUPPORTED_MEDIA_TYPE',
          'This endpoint does not accept that Content-Type; send application/json.',
        ),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: body('MALFORMED_JSON', 'The JSON body is empty.') };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: body('MALFORMED_JSON', 'The request body is not valid JSON.') };
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return {
      status: 400,
      body: body('MALFORMED_JSON', `The request body is not valid JSON: ${error.message}`),
    };
  }
  if (fastifyError.statusCode === 429) {
    return {
      status: 429,
      body: body('RATE_LIMITED', fastifyError.message ?? 'Too many requests.'),
    };
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, body: body('BAD_REQUEST', fastifyError.message ?? 'The request is invalid.') };
  }
  return {
    status: 500,
    body: body('INTERNAL', 'Something went wrong on our side. The error was logged.'),
  };
}

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

function summarize(details: Array<{ path: string; message: string }>): string {
  const first = details.slice(0, 3).map((d) => `${d.path} ${d.message}`);
  return details.length > 3
    ? `${first.join('; ')} (and ${details.length - 3} more)`
    : first.join('; ');
}

export function registerErrorHandlers(
  app: FastifyInstance,
  options: {
    serveSpa?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;
  } = {},
) {
  app.setErrorHandler((error, request, reply) => {
    const { status, body: payload } = toErrorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: payload.error.code, status }, 'request rejected');
    if (status === 429 || status === 423) {
      const retryAfter = (payload.error.details as { retryAfterSeconds?: number } | undefined)
        ?.retryAfterSeconds;
      if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
    }
    return reply.status(status).send(payload);
  });
  app.setNotFoundHandler((request, reply) => {
    const served = options.serveSpa?.(request, reply);
    if (served) return served;
    const code: ErrorCode = 'ROUTE_NOT_FOUND';
    return reply.status(errorStatusByCode[code]).send({
      error: { code, message: `No route ${request.method} ${request.url.split('?')[0]}.` },
    } satisfies ErrorBody);
  });
}
