import { describe, expect, it } from 'vitest';
import type { WebhookPhaseResult } from './lib/webhook-load.js';
import { evaluateDurability, parseWebhooksBenchArgs } from './webhooks.bench.js';

describe('parseWebhooksBenchArgs', () => {
  it('defaults to both modes, scaled first, against the local services', () => {
    expect(parseWebhooksBenchArgs([], {})).toMatchObject({
      durationSeconds: 10,
      warmupSeconds: 5,
      halfSeconds: 10,
      connections: 50,
      senders: 1000,
      modes: ['scaled', 'embedded'],
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: 'redis://127.0.0.1:6379',
    });
  });

  it('reads options and the services from the environment', () => {
    const options = parseWebhooksBenchArgs(['--modes=embedded', '--duration=3', '--strict'], {
      BENCH_DATABASE_URL: 'postgres://u@db:5432/postgres',
      BENCH_REDIS_URL: 'redis://cache:6379',
    });
    expect(options).toMatchObject({
      modes: ['embedded'],
      durationSeconds: 3,
      isStrict: true,
      databaseUrl: 'postgres://u@db:5432/postgres',
      redisUrl: 'redis://cache:6379',
    });
  });

  it('rejects unknown modes and bad numbers', () => {
    expect(() => parseWebhooksBenchArgs(['--modes=cluster'], {})).toThrow(/unknown mode/);
    expect(() => parseWebhooksBenchArgs(['--duration=0'], {})).toThrow(/--duration/);
    expect(() => parseWebhooksBenchArgs(['--connections=0'], {})).toThrow(/--connections/);
  });
});

function phase(ok: number, sent: number): WebhookPhaseResult {
  return {
    label: 'run',
    kind: 'max',
    requestsPerSecond: 1,
    sent,
    ok,
    non2xx: 0,
    errors: 0,
    statusCodes: { 200: ok },
    latencyP50Ms: 1,
    latencyP99Ms: 1,
    latencyMaxMs: 1,
  };
}

describe('evaluateDurability', () => {
  it('holds when every 200 is stored, and stored requests were all sent', () => {
    const phases = [phase(100, 110), phase(50, 50)];
    expect(evaluateDurability(phases, 155)).toEqual({
      ok: 150,
      sent: 160,
      stored: 155,
      isMet: true,
    });
  });

  it('fails when a 200 has no stored delivery, or more is stored than was sent', () => {
    expect(evaluateDurability([phase(100, 110)], 99).isMet).toBe(false);
    expect(evaluateDurability([phase(100, 110)], 111).isMet).toBe(false);
  });
});
