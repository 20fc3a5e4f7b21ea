import { describe, expect, it } from 'vitest';
import {
  assertEnqueueOptions,
  assertJobName,
  decideAfterFailure,
  normalizePayload,
  resolveJobTypeSettings,
} from './job-policy.js';
import { computeBackoffMs, PermanentJobError, RetryLaterError } from './queue.port.js';

describe('computeBackoffMs', () => {
  it.each([
    // attempt, random, expected (base 1000, max 60000)
    [1, 0.5, 1_000],
    [2, 0.5, 2_000],
    [3, 0.5, 4_000],
    [1, 0, 750],
    [1, 1, 1_250],
    [3, 0, 3_000],
    [3, 1, 5_000],
    [10, 0.5, 60_000],
    [10, 1, 60_000],
    [10, 0, 45_000],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(computeBackoffMs(attempt, 1_000, 60_000, () => random)).toBe(expected);
  });

  it('stays within ±25% of the doubled base for real jitter', () => {
    for (let i = 0; i < 1_000; i++) {
      const delay = computeBackoffMs(4, 100, 60_000);
      expect(delay).toBeGreaterThanOrEqual(600);
      expect(delay).toBeLessThanOrEqual(1_000);
    }
  });
});

describe('decideAfterFailure', () => {
  const settings = { backoffMs: 100, maxBackoffMs: 10_000 };
  const middle = () => 0.5;

  it('retries an ordinary error with exponential backoff', () => {
    expect(decideAfterFailure(new Error('x'), 2, 5, settings, middle)).toEqual({
      action: 'retry',
      delayMs: 200,
      reason: 'backoff',
    });
  });

  it('fails once the attempts are used up', () => {
    expect(decideAfterFailure(new Error('x'), 5, 5, settings)).toEqual({
      action: 'fail',
      reason: 'attempts-exhausted',
    });
  });

  it('fails at once on PermanentJobError', () => {
    expect(decideAfterFailure(new PermanentJobError('no'), 1, 5, settings)).toEqual({
      action: 'fail',
      reason: 'permanent',
    });
  });

  it('uses the RetryLaterError delay, uncapped, but still counts the attempt', () => {
    expect(decideAfterFailure(new RetryLaterError('429', 3_600_000), 1, 5, settings)).toEqual({
      action: 'retry',
      delayMs: 3_600_000,
      reason: 'retry-later',
    });
    expect(decideAfterFailure(new RetryLaterError('429', 10), 5, 5, settings)).toMatchObject({
      action: 'fail',
      reason: 'attempts-exhausted',
    });
  });

  it('recognises the error classes by name across module copies', () => {
    const foreign = Object.assign(new Error('later'), {
      name: 'RetryLaterError',
      retryAfterMs: 50,
    });
    expect(decideAfterFailure(foreign, 1, 5, settings)).toMatchObject({ delayMs: 50 });
    const permanent = Object.assign(new Error('no'), { name: 'PermanentJobError' });
    expect(decideAfterFailure(permanent, 1, 5, settings)).toMatchObject({ action: 'fail' });
  });

  it('treats a thrown non-Error as an ordinary failure', () => {
    expect(decideAfterFailure('boom', 1, 2, settings, middle)).toMatchObject({ action: 'retry' });
  });
});

describe('options and payloads', () => {
  it('accepts dotted job names and rejects the rest', () => {
    expect(() => assertJobName('messages.send')).not.toThrow();
    expect(() => assertJobName('flows.wake-up_2')).not.toThrow();
    for (const bad of ['', 'a:b', ' messages', 'messages send', '.leading']) {
      expect(() => assertJobName(bad)).toThrow(/Invalid job name/);
    }
  });

  it('fills defaults and rejects impossible settings', () => {
    expect(resolveJobTypeSettings()).toEqual({
      concurrency: 1,
      attempts: 5,
      backoffMs: 1_000,
      maxBackoffMs: 600_000,
    });
    expect(() => resolveJobTypeSettings({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => resolveJobTypeSettings({ attempts: 1.5 })).toThrow(/attempts/);
    expect(() => resolveJobTypeSettings({ backoffMs: -1 })).toThrow(/backoffMs/);
    expect(() => assertEnqueueOptions({ delayMs: Number.NaN })).toThrow(/delayMs/);
    expect(() => assertEnqueueOptions({ dedupeKey: '' })).toThrow(/dedupeKey/);
  });

  it('keeps only the JSON form of a payload', () => {
    const payload = { at: new Date('2025-05-01T00:00:00.000Z'), skip: undefined, list: [1] };
    expect(normalizePayload(payload)).toEqual({ at: '2025-05-01T00:00:00.000Z', list: [1] });
    expect(() => normalizePayload(undefined)).toThrow(/JSON-serializable/);
    expect(() => normalizePayload({ big: 1n })).toThrow();
  });
});
