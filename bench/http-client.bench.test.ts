import { describe, expect, it } from 'vitest';
import { parseHttpClientBenchArgs } from './http-client.bench.js';

describe('parseHttpClientBenchArgs', () => {
  it('defaults to every client, concurrency 16, 3 s warm-up and 10 s each, one round', () => {
    expect(parseHttpClientBenchArgs([], {})).toMatchObject({
      only: ['node-http', 'undici-request', 'http-client', 'node-http-response', 'fetch'],
      concurrency: 16,
      warmupSeconds: 3,
      durationSeconds: 10,
      rounds: 1,
      isVerbose: false,
    });
  });

  it('reads a subset of clients in order, without repeats', () => {
    const options = parseHttpClientBenchArgs(
      ['--only=fetch,node-http,fetch', '--rounds=3', '--warmup=0'],
      { BENCH_VERBOSE: '1' },
    );
    expect(options).toMatchObject({
      only: ['fetch', 'node-http'],
      rounds: 3,
      warmupSeconds: 0,
      isVerbose: true,
    });
  });

  it('rejects unknown clients and bad numbers', () => {
    expect(() => parseHttpClientBenchArgs(['--only=axios'], {})).toThrow(/unknown client "axios"/);
    expect(() => parseHttpClientBenchArgs(['--concurrency=0'], {})).toThrow(/--concurrency/);
    expect(() => parseHttpClientBenchArgs(['--duration=0'], {})).toThrow(/--duration/);
  });
});
