import { describe, expect, it } from 'vitest';
import {
  buildPacingPayload,
  checkPacingValues,
  defaultQrPacing,
  formatPacing,
  initialPacingValues,
  isProviderDefaultPacing,
  type PacingFormValues,
} from './pacing';

const custom = { minGapSeconds: 5, maxGapSeconds: 20, maxPerHour: 200, typing: false };

describe('initialPacingValues', () => {
  it('starts a new channel on the provider default, with the QR numbers ready to customise', () => {
    expect(initialPacingValues(undefined, true)).toEqual({
      useDefault: true,
      minGapSeconds: '30',
      maxGapSeconds: '60',
      maxPerHour: '60',
      typing: true,
    });
    expect(initialPacingValues(null, false).useDefault).toBe(true);
  });

  it('reads a QR channel on the default policy as the default, and its own policy as custom', () => {
    expect(initialPacingValues(defaultQrPacing, true).useDefault).toBe(true);
    expect(initialPacingValues(custom, true)).toEqual({
      useDefault: false,
      minGapSeconds: '5',
      maxGapSeconds: '20',
      maxPerHour: '200',
      typing: false,
    });
    // Other providers have no default pacing: the same numbers there were set on purpose.
    expect(initialPacingValues(defaultQrPacing, false).useDefault).toBe(false);
  });
});

describe('isProviderDefaultPacing', () => {
  it('is true for no policy, and for the QR default on QR providers only', () => {
    expect(isProviderDefaultPacing(null, false)).toBe(true);
    expect(isProviderDefaultPacing(defaultQrPacing, true)).toBe(true);
    expect(isProviderDefaultPacing({ ...defaultQrPacing, typing: false }, true)).toBe(false);
    expect(isProviderDefaultPacing(defaultQrPacing, false)).toBe(false);
  });
});

describe('checkPacingValues', () => {
  const values = (changes: Partial<PacingFormValues>): PacingFormValues => ({
    ...initialPacingValues(custom, true),
    ...changes,
  });

  it('accepts whole numbers in range, spaces around them, and equal gaps', () => {
    expect(checkPacingValues(values({}))).toEqual({});
    expect(checkPacingValues(values({ minGapSeconds: ' 10 ', maxGapSeconds: '10' }))).toEqual({});
    expect(checkPacingValues(values({ minGapSeconds: '0', maxGapSeconds: '3600' }))).toEqual({});
  });

  it('names each wrong field: empty, fractions, out of range, a maximum below the minimum', () => {
    expect(
      checkPacingValues(values({ minGapSeconds: '', maxGapSeconds: '1,5', maxPerHour: '0' })),
    ).toEqual({ minGapSeconds: 'required', maxGapSeconds: 'integer', maxPerHour: 'minimum' });
    expect(
      checkPacingValues(values({ minGapSeconds: '-1', maxGapSeconds: '3601', maxPerHour: 'x' })),
    ).toEqual({ minGapSeconds: 'minimum', maxGapSeconds: 'maximum', maxPerHour: 'integer' });
    expect(checkPacingValues(values({ minGapSeconds: '40', maxGapSeconds: '30' }))).toEqual({
      maxGapSeconds: 'belowMinGap',
    });
    expect(checkPacingValues(values({ maxPerHour: '100001' }))).toEqual({
      maxPerHour: 'maximum',
    });
  });

  it('checks nothing while the provider default is chosen', () => {
    expect(checkPacingValues(values({ useDefault: true, minGapSeconds: 'abc' }))).toEqual({});
  });
});

describe('buildPacingPayload', () => {
  it('sends the policy as numbers, or null for the provider default', () => {
    expect(buildPacingPayload(initialPacingValues(custom, true))).toEqual(custom);
    expect(
      buildPacingPayload({ ...initialPacingValues(custom, true), minGapSeconds: ' 7 ' })
        ?.minGapSeconds,
    ).toBe(7);
    expect(buildPacingPayload(initialPacingValues(null, true))).toBeNull();
  });
});

describe('formatPacing', () => {
  it('shows the gap range and the hourly ceiling', () => {
    expect(formatPacing(defaultQrPacing, 'pt-BR')).toBe('30–60 s · 60/h');
    expect(formatPacing({ ...custom, minGapSeconds: 45, maxGapSeconds: 45 }, 'en')).toBe(
      '45 s · 200/h',
    );
    expect(formatPacing({ ...custom, maxPerHour: 12000 }, 'pt-BR')).toBe('5–20 s · 12.000/h');
    expect(formatPacing({ ...custom, maxPerHour: 12000 }, 'en')).toBe('5–20 s · 12,000/h');
  });
});
