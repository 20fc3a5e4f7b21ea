import type { FlowValue } from '../../types.js';

/**
 * A tiny JSON path into an HTTP response: `$` then `.key`, `[0]` or `["odd key"]` steps.
 * `$.status` is the HTTP status and `$.headers.<name>` a response header (lower case); every
 * other path reads the body (`$.data.id`, `$.items[0].name`, `$` for the whole body).
 * `$.body…` reads the body explicitly — the way to a body field named `status` or `headers`.
 */

const stepPattern = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;

/** The steps of a path, or undefined when it is not one. */
export function parseResponsePath(path: string): (string | number)[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: (string | number)[] = [];
  let at = 1;
  while (at < path.length) {
    stepPattern.lastIndex = at;
    const match = stepPattern.exec(path);
    if (!match) return undefined;
    if (match[1] !== undefined) steps.push(match[1]);
    else if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push((match[3] ?? '').replace(/\\(.)/g, '$1'));
    at = stepPattern.lastIndex;
  }
  return steps;
}

export type HttpResponseValue = {
  status: number;
  headers?: Record<string, string>;
  body: FlowValue;
};

/** The value at a path of the response; undefined when a step is missing. */
export function readResponsePath(
  response: HttpResponseValue,
  steps: readonly (string | number)[],
): FlowValue | undefined {
  const [first, ...rest] = steps;
  if (first === 'status' && rest.length === 0) return response.status;
  if (first === 'headers') {
    const name = rest[0];
    if (rest.length !== 1 || typeof name !== 'string') return undefined;
    return response.headers?.[name.toLowerCase()];
  }
  const path = first === 'body' ? rest : steps;
  let value: FlowValue | undefined = response.body;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) {
      value = typeof step === 'number' ? value[step] : undefined;
    } else {
      const key = String(step);
      value = Object.hasOwn(value, key) ? value[key] : undefined;
    }
  }
  return value;
}
