import { z } from 'zod';
import type { BlockDefinition, TemplateField, VariableUse } from '../../types.js';
import { errorPort, errorVariableOption } from '../action-common.js';
import { jsonTemplates, jsonValueSchema } from '../json-template.js';
import { variablePathSchema } from '../variable-paths.js';
import { parseResponsePath } from './response-path.js';

/**
 * Calls an HTTP API and maps the response into variables.
 *
 * ```json
 * { "method": "POST",
 *   "url": "https://api.example.com/customers/{{customer.id}}/orders",
 *   "headers": { "Authorization": "Bearer {{apiToken}}" },
 *   "body": { "item": "{{item}}", "quantity": "{{quantity}}" },
 *   "map": [ { "variable": "orderId", "path": "$.data.id" },
 *            { "variable": "httpStatus", "path": "$.status" } ],
 *   "errorVariable": "orderError" }
 * ```
 *
 * - `url` is a template; the values put into it are percent-encoded (an expression that opens
 *   the URL, a base address kept in a variable, is put in as is). It must give http(s).
 * - `headers` values are templates (line breaks are removed from what they give).
 * - `body` is a template (sent as written) or JSON whose strings are templates (sent as JSON,
 *   `content-type: application/json` unless a header says otherwise; `"{{quantity}}"` keeps
 *   the variable's type). GET has no body.
 * - `timeoutMs` per attempt (default 10 s, at most 60 s); `retries` after a network failure,
 *   a timeout or a 5xx/429 (default 2, at most 5) — the flows module applies both.
 * - `map` paths: `$.status` (HTTP status), `$.headers.<name>`, else into the body
 *   (`$.data.id`, `$.items[0].name`; `$.body.status` for a body field named "status"); a
 *   missing path stores null.
 *
 * The flows module runs the request as the `http` effect and answers with its result: on a
 * response, `{ ok: true, value: { status, headers, body } }` (`HttpResponseValue`; body parsed
 * when JSON, else text); when no response came, `{ ok: false, error: { code, message } }`. A
 * status of 400 or more, no response, or a URL that is not http(s) go through `error` (or
 * `next` when it has no edge), with `errorVariable` set to `{ code, message, status }`.
 */

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const headerName = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const forbiddenHeaders = ['host', 'content-length', 'transfer-encoding', 'connection'];

export const optionsSchema = z
  .strictObject({
    method: z.enum(httpMethods).default('GET'),
    url: z
      .string()
      .min(1)
      .max(4096)
      .refine((url) => url.startsWith('{{') || /^https?:\/\/[^/\s]/i.test(url), {
        message: 'starts with http:// or https:// (or with a variable that holds the address)',
      }),
    headers: z
      .record(
        z
          .string()
          .regex(headerName, 'is not a header name')
          .refine((name) => !forbiddenHeaders.includes(name.toLowerCase()), {
            message: 'is set by the HTTP client',
          }),
        z.string().max(4096),
      )
      .default({}),
    body: z.union([z.string().max(65_536), jsonValueSchema]).optional(),
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    retries: z.number().int().min(0).max(5).default(2),
    map: z
      .array(
        z.strictObject({
          variable: variablePathSchema,
          path: z.string().refine((path) => parseResponsePath(path) !== undefined, {
            message: 'is a path like "$.data.id", "$.items[0].name" or "$.status"',
          }),
        }),
      )
      .max(50)
      .default([]),
    ...errorVariableOption,
  })
  .superRefine((options, context) => {
    if (options.method === 'GET' && options.body !== undefined) {
      context.addIssue({ code: 'custom', path: ['body'], message: 'a GET request has no body' });
    }
  });
export type ActionHttpOptions = z.infer<typeof optionsSchema>;

export const definition: BlockDefinition<ActionHttpOptions> = {
  type: 'action.http',
  category: 'action',
  title: { 'pt-BR': 'Requisição HTTP', en: 'HTTP request' },
  optionsSchema,
  ports: () => [errorPort],
  templates: (options) => {
    const fields: TemplateField[] = [{ path: ['url'], template: options.url }];
    for (const [name, value] of Object.entries(options.headers)) {
      fields.push({ path: ['headers', name], template: value });
    }
    if (typeof options.body === 'string') fields.push({ path: ['body'], template: options.body });
    else if (options.body !== undefined) fields.push(...jsonTemplates(options.body, ['body']));
    return fields;
  },
  writes: (options) => {
    const uses: VariableUse[] = options.map.map(({ variable }, index) => ({
      path: ['map', index, 'variable'],
      name: variable,
    }));
    if (options.errorVariable) {
      uses.push({ path: ['errorVariable'], name: options.errorVariable, types: ['object'] });
    }
    return uses;
  },
};
