import { describe, expect, it } from 'vitest';
import { formatMessageTime, minutesUntil } from './message-time';

describe('formatMessageTime', () => {
  const now = new Date(2026, 10, 23, 18, 0);

  it('shows only the time for today, the day for this year, the year for older ones', () => {
    expect(formatMessageTime(new Date(2026, 10, 23, 9, 5).toISOString(), 'pt-BR', now)).toBe(
      '09:05',
    );
    expect(formatMessageTime(new Date(2026, 10, 2, 14, 30).toISOString(), 'pt-BR', now)).toBe(
      '02/11, 14:30',
    );
    expect(formatMessageTime(new Date(2025, 0, 31, 8, 0).toISOString(), 'pt-BR', now)).toBe(
      '31/01/2025, 08:00',
    );
  });

  it('returns what it cannot read unchanged', () => {
    expect(formatMessageTime('yesterday', 'en', now)).toBe('yesterday');
  });
});

describe('minutesUntil', () => {
  it('counts whole minutes left and stops at zero', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(minutesUntil('2026-11-24T11:59:30Z', now)).toBe(1439);
    expect(minutesUntil('2026-11-23T11:00:00Z', now)).toBe(0);
    expect(minutesUntil('nonsense', now)).toBe(0);
  });
});
