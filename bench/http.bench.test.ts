import { describe, expect, it } from 'vitest';
import { parseHttpBenchArgs } from './http.bench.js';

describe('parseHttpBenchArgs', () => {
  it('defaults to 50 connections, pipelining 1, 5 s warm-up and 10 s per endpoint', () => {
    const options = parseHttpBenchArgs([], {});
    expect(options).toMatchObject({
      connections: 50,
      pipelining: 1,
      warmupSeconds: 5,
      durationSeconds: 10,
      entry: 'auto',
      isStrict: false,
      isVerbose: false,
    });
    expect([...options.only]).toEqual(['raw', 'health', 'me', 'rss']);
  });

  it('reads options and BENCH_VERBOSE', () => {
    const options = parseHttpBenchArgs(
      ['--only=raw,me', '--duration=3', '--warmup=0', '--entry=src', '--strict'],
      { BENCH_VERBOSE: '1' },
    );
    expect([...options.only]).toEqual(['raw', 'me']);
    expect(options).toMatchObject({
      durationSeconds: 3,
      warmupSeconds: 0,
      entry: 'src',
      isStrict: true,
      isVerbose: true,
    });
  });

  it('rejects unknown measurements, entries and options', () => {
    expect(() => parseHttpBenchArgs(['--only=raw,db'], {})).toThrow(/unknown measurement "db"/);
    expect(() => parseHttpBenchArgs(['--entry=docker'], {})).toThrow(/--entry/);
    expect(() => parseHttpBenchArgs(['--connections=0'], {})).toThrow(/--connections/);
    expect(() => parseHttpBenchArgs(['--duration=0'], {})).toThrow(/--duration/);
    expect(() => parseHttpBenchArgs(['--fast'], {})).toThrow();
  });
});
