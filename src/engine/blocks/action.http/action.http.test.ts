import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import type { EffectResult, FlowValue, ResumeInput } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const variables = {
  base: 'https://api.example.com/v1',
  customer: { id: 'c 1/2', name: 'José & Filhos' },
  quantity: 3,
  token: 'abc\r\nX-Evil: 1',
  bad: 'ftp://example.com',
};

const enter = (options: Record<string, unknown>) =>
  executor.enter(blockContext(definition, options, { variables }));

describe('action.http', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'a GET with values percent-encoded into the URL',
      { url: 'https://api.example.com/customers/{{customer.id}}?name={{customer.name}}' },
      {
        method: 'GET',
        url: 'https://api.example.com/customers/c%201%2F2?name=Jos%C3%A9%20%26%20Filhos',
        headers: {},
      },
    ],
    [
      'a base URL from a variable, put in as is',
      { url: '{{base}}/orders' },
      { method: 'GET', url: 'https://api.example.com/v1/orders', headers: {} },
    ],
    [
      'a JSON body keeping types, with its content type',
      {
        method: 'POST',
        url: 'https://x.test/o',
        body: { n: '{{quantity}}', who: 'Sr. {{customer.name}}' },
      },
      {
        method: 'POST',
        url: 'https://x.test/o',
        headers: { 'content-type': 'application/json' },
        body: '{"n":3,"who":"Sr. José & Filhos"}',
      },
    ],
    [
      'a text body and headers rendered without line breaks',
      {
        method: 'PUT',
        url: 'https://x.test/o',
        headers: { Authorization: 'Bearer {{token}}', 'Content-Type': 'text/plain' },
        body: 'qtd={{quantity}}',
        timeoutMs: 5000,
        retries: 0,
      },
      {
        method: 'PUT',
        url: 'https://x.test/o',
        headers: { Authorization: 'Bearer abc X-Evil: 1', 'Content-Type': 'text/plain' },
        body: 'qtd=3',
        timeoutMs: 5000,
        retries: 0,
      },
    ],
  ])('asks for %s and waits for the effect', (_name, options, request) => {
    const step = enter(options);
    expect(step.effects).toEqual([
      { kind: 'http', request: { timeoutMs: 10_000, retries: 2, ...request } },
    ]);
    expect(step.next).toEqual({ wait: 'effect' });
    expect(step.log?.detail).toEqual({
      method: request.method ?? 'GET',
      host: new URL(request.url as string).host,
    });
  });

  it('goes through error without a request when the URL is not http(s)', () => {
    const step = enter({ url: '{{bad}}/x', errorVariable: 'failure' });
    expect(step.effects).toBeUndefined();
    expect(step.next).toEqual({ go: 'error' });
    expect(step.set).toEqual({
      failure: {
        code: 'invalid-url',
        message: '"ftp://example.com/x" is not an http(s) address',
        status: null,
      },
    });
  });

  const options = {
    method: 'POST',
    url: 'https://x.test',
    map: [
      { variable: 'orderId', path: '$.data.id' },
      { variable: 'first', path: '$.items[0].name' },
      { variable: 'code', path: '$.status' },
      { variable: 'bodyStatus', path: '$.body.status' },
      { variable: 'trace', path: '$.headers.X-Trace' },
      { variable: 'odd', path: '$["a key"]' },
      { variable: 'missing', path: '$.nothing.here' },
      { variable: 'order.id', path: '$.data.id' },
    ],
    errorVariable: 'failure',
  };
  const waiting = { for: 'effect', key: '2.0', attempts: 0 } as const;
  const result = (value: EffectResult): ResumeInput => ({
    kind: 'effect-result',
    effectId: '2.0',
    result: value,
  });
  const resume = (input: ResumeInput) =>
    executor.resume?.(
      blockContext(definition, options, { variables: { order: { total: 10 } } }),
      input,
      waiting,
    );

  it('maps the response into variables and goes next', () => {
    const body: FlowValue = {
      data: { id: 'o-9' },
      items: [{ name: 'Café' }],
      status: 'created',
      'a key': true,
    };
    const step = resume(
      result({ ok: true, value: { status: 201, headers: { 'x-trace': 't1' }, body } }),
    );
    expect(step?.set).toEqual({
      orderId: 'o-9',
      first: 'Café',
      code: 201,
      bodyStatus: 'created',
      trace: 't1',
      odd: true,
      missing: null,
      order: { total: 10, id: 'o-9' },
    });
    expect(step?.next).toEqual({ go: 'next' });
  });

  it.each<[string, EffectResult, unknown]>([
    [
      'a 4xx response',
      { ok: true, value: { status: 404, body: 'not found' } },
      { code: 'http-status', message: 'HTTP 404', status: 404 },
    ],
    [
      'a failure with the last response',
      {
        ok: false,
        error: { code: 'retries-exhausted', message: 'HTTP 503 three times' },
        value: { status: 503, body: null },
      },
      { code: 'retries-exhausted', message: 'HTTP 503 three times', status: 503 },
    ],
    [
      'no response at all',
      { ok: false, error: { code: 'timeout', message: 'no answer in 10000 ms' } },
      { code: 'timeout', message: 'no answer in 10000 ms', status: null },
    ],
    [
      'a result without a status',
      { ok: true, value: 'weird' },
      { code: 'invalid-response', message: 'the HTTP result had no status', status: null },
    ],
  ])('goes through error on %s, storing it', (_name, value, error) => {
    const step = resume(result(value));
    expect(step?.set).toEqual({ failure: error });
    expect(step?.next).toEqual({ go: 'error' });
    expect(step?.log?.event).toBe('http-failed');
  });

  it('keeps waiting for anything but its own result', () => {
    const step = resume({
      kind: 'effect-result',
      effectId: '1.0',
      result: { ok: true, value: null },
    });
    expect(step).toEqual({ next: { wait: 'effect', attempts: 0 } });
  });

  it.each([
    [{ url: 'api.example.com' }, ['url']],
    [{ url: 'https://x.test', body: 'x' }, ['body']],
    [{ url: 'https://x.test', timeoutMs: 60_001 }, ['timeoutMs']],
    [{ url: 'https://x.test', retries: 6 }, ['retries']],
    [{ url: 'https://x.test', headers: { 'Bad Header': 'x' } }, ['headers', 'Bad Header']],
    [{ url: 'https://x.test', headers: { 'Content-Length': '1' } }, ['headers', 'Content-Length']],
    [{ url: 'https://x.test', map: [{ variable: 'x', path: 'data.id' }] }, ['map', 0, 'path']],
    [{ url: 'https://x.test', map: [{ variable: 'x', path: '$.items[x]' }] }, ['map', 0, 'path']],
  ])('refuses %j at %j', (bad, path) => {
    const parsed = definition.optionsSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
  });

  it('declares its templates, the error port and what it writes', () => {
    const parsed = definition.optionsSchema.parse({
      method: 'POST',
      url: 'https://x.test/{{a}}',
      headers: { Authorization: 'Bearer {{token}}' },
      body: { list: ['{{b}}', 1] },
      map: [{ variable: 'trip.id', path: '$.id' }],
      errorVariable: 'failure',
    });
    expect(definition.ports(parsed)).toEqual(['error']);
    expect(definition.templates?.(parsed)).toEqual([
      { path: ['url'], template: 'https://x.test/{{a}}' },
      { path: ['headers', 'Authorization'], template: 'Bearer {{token}}' },
      { path: ['body', 'list', 0], template: '{{b}}' },
    ]);
    expect(definition.writes?.(parsed)).toEqual([
      { path: ['map', 0, 'variable'], name: 'trip.id' },
      { path: ['errorVariable'], name: 'failure', types: ['object'] },
    ]);
  });
});
