import type {
  BlockContext,
  BlockExecutor,
  FlowValue,
  HttpRequestEffect,
  Step,
  Variables,
} from '../../types.js';
import { awaitedResult, failure } from '../action-common.js';
import { resolveJson } from '../json-template.js';
import { scopeOf, writePath } from '../variable-paths.js';
import type { ActionHttpOptions } from './definition.js';
import { type HttpResponseValue, parseResponsePath, readResponsePath } from './response-path.js';

export const executor: BlockExecutor<ActionHttpOptions> = {
  enter: (context) => {
    const { options } = context;
    const url = renderUrl(context);
    if (!isHttpUrl(url)) {
      return failure(
        context,
        { code: 'invalid-url', message: `"${url}" is not an http(s) address`, status: null },
        'http-failed',
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, template] of Object.entries(options.headers)) {
      headers[name] = context
        .render(template)
        .replace(/[\r\n]+/g, ' ')
        .trim();
    }
    let body: string | undefined;
    if (typeof options.body === 'string') {
      body = context.render(options.body);
    } else if (options.body !== undefined) {
      body = JSON.stringify(resolveJson(options.body, scopeOf(context)));
      const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
      if (!hasType) headers['content-type'] = 'application/json';
    }
    const request: HttpRequestEffect = {
      method: options.method,
      url,
      headers,
      ...(body === undefined ? {} : { body }),
      timeoutMs: options.timeoutMs,
      retries: options.retries,
    };
    return {
      effects: [{ kind: 'http', request }],
      next: { wait: 'effect' },
      log: { event: 'http-requested', detail: { method: options.method, host: hostOf(url) } },
    };
  },
  resume: (context, input, waiting): Step => {
    const awaited = awaitedResult(input, waiting);
    if (awaited.step) return awaited.step;
    const { result } = awaited;
    const response = asResponse(result.value);
    if (!result.ok) {
      return failure(
        context,
        {
          code: result.error.code,
          message: result.error.message,
          status: response?.status ?? null,
        },
        'http-failed',
      );
    }
    if (!response) {
      return failure(
        context,
        { code: 'invalid-response', message: 'the HTTP result had no status', status: null },
        'http-failed',
      );
    }
    if (response.status >= 400) {
      return failure(
        context,
        { code: 'http-status', message: `HTTP ${response.status}`, status: response.status },
        'http-failed',
      );
    }
    const variables: Variables = { ...context.variables };
    const changed = new Set<string>();
    for (const { variable, path } of context.options.map) {
      const steps = parseResponsePath(path) ?? [];
      changed.add(writePath(variables, variable, readResponsePath(response, steps) ?? null));
    }
    const set: Variables = {};
    for (const name of changed) set[name] = variables[name] ?? null;
    return {
      set,
      next: { go: 'next' },
      log: { event: 'http-answered', detail: { status: response.status } },
    };
  },
};

const expression = /\{\{[\s\S]*?\}\}/g;

/** The URL with each value percent-encoded, except an expression that opens it (a base URL). */
function renderUrl(context: BlockContext<ActionHttpOptions>): string {
  return context.options.url
    .replace(expression, (template, offset: number) => {
      const value = context.render(template);
      return offset === 0 ? value : encodeURIComponent(value);
    })
    .trim();
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}

/** Only the host goes to the session's history: paths and queries may carry personal data. */
function hostOf(url: string): string {
  return new URL(url).host;
}

function asResponse(value: FlowValue | undefined): HttpResponseValue | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (typeof value.status !== 'number') return undefined;
  const headers =
    value.headers !== null && typeof value.headers === 'object' && !Array.isArray(value.headers)
      ? Object.fromEntries(
          Object.entries(value.headers).flatMap(([name, header]) =>
            typeof header === 'string' ? [[name.toLowerCase(), header]] : [],
          ),
        )
      : undefined;
  return {
    status: value.status,
    ...(headers ? { headers } : {}),
    body: value.body ?? null,
  };
}
