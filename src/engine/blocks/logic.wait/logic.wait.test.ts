import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import type { ResumeInput, WaitState } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

// The test clock: 2026-11-23T15:00:00Z, a Monday — 12:00 in São Paulo, 15:00 in Lisbon.
const variables = { trip: { start: '2026-12-01' }, vague: 'amanhã' };

describe('logic.wait', () => {
  it.each<[string, Record<string, unknown>, string, string?]>([
    ['30 seconds', { seconds: 30 }, '2026-11-23T15:00:30.000Z'],
    ['an hour and a half, added up', { hours: 1, minutes: 30 }, '2026-11-23T16:30:00.000Z'],
    ['two days', { days: 2 }, '2026-11-25T15:00:00.000Z'],
    ['09:00, already past today: tomorrow', { until: '09:00' }, '2026-11-24T12:00:00.000Z'],
    ['13:30, still ahead today', { until: '13:30' }, '2026-11-23T16:30:00.000Z'],
    ['a date: its local midnight', { until: '2026-12-11' }, '2026-12-11T03:00:00.000Z'],
    ['a local date and time', { until: '2026-12-11T09:00' }, '2026-12-11T12:00:00.000Z'],
    ['an instant', { until: '2026-12-11T09:00:00Z' }, '2026-12-11T09:00:00.000Z'],
    ['an instant with offset', { until: '2026-12-11T09:00:00+01:00' }, '2026-12-11T08:00:00.000Z'],
    ['a date from a variable', { until: '{{trip.start}}' }, '2026-12-01T03:00:00.000Z'],
    [
      'summer time in Lisbon',
      { until: '2027-07-01T09:00' },
      '2027-07-01T08:00:00.000Z',
      'Europe/Lisbon',
    ],
    [
      'winter time in Lisbon',
      { until: '2027-01-10T09:00' },
      '2027-01-10T09:00:00.000Z',
      'Europe/Lisbon',
    ],
  ])('waits %s', (_name, options, until, timeZone = 'America/Sao_Paulo') => {
    const step = executor.enter(
      blockContext(definition, options, { variables, timeZone, blockId: 'pause', turn: 4 }),
    );
    expect(step).toEqual({
      effects: [{ kind: 'schedule-wake', wakeId: 'pause:4', at: until, reason: 'wait' }],
      next: { wait: 'wake', data: { until } },
      log: { event: 'waiting', detail: { until } },
    });
  });

  it.each([
    ['a moment already past', '{{now}}', 'wait-elapsed'],
    ['a date in the past', '2026-01-01', 'wait-elapsed'],
    ['text that names no moment', '{{vague}}', 'wait-skipped'],
  ])('goes on at once for %s', (_name, until, event) => {
    const step = executor.enter(blockContext(definition, { until }, { variables }));
    expect(step.next).toEqual({ go: 'next' });
    expect(step.effects).toBeUndefined();
    expect(step.log?.event).toBe(event);
  });

  const waiting: WaitState = {
    for: 'wake',
    key: '3.0',
    attempts: 0,
    data: { until: '2026-11-23T15:00:30.000Z' },
  };
  const message: ResumeInput = { kind: 'message', content: { type: 'text', text: 'oi?' } };

  it.each<[string, ResumeInput, boolean, unknown]>([
    ['its wake-up comes', { kind: 'wake', wakeId: '3.0' }, false, { go: 'next' }],
    [
      'another wake-up comes',
      { kind: 'wake', wakeId: '9.9' },
      false,
      { wait: 'wake', attempts: 0, data: waiting.data },
    ],
    ['a message comes', message, false, { wait: 'wake', attempts: 0, data: waiting.data }],
    ['a message comes and it is interruptible', message, true, { go: 'next' }],
    [
      'its wake-up comes and it is interruptible',
      { kind: 'wake', wakeId: '3.0' },
      true,
      { go: 'next' },
    ],
  ])('when %s', (_name, input, interruptible, next) => {
    const step = executor.resume?.(
      blockContext(definition, { seconds: 30, interruptible }),
      input,
      waiting,
    );
    expect(step?.next).toEqual(next);
    expect(step?.send).toBeUndefined();
  });

  it.each([
    [{}, 'say how long'],
    [{ seconds: 0 }, 'Too small'],
    [{ seconds: 30, until: '09:00' }, 'either for a duration'],
    [{ until: 'amanhã' }, 'is "09:00"'],
    [{ until: '25:00' }, 'is "09:00"'],
    [{ until: '2026-02-30' }, 'is "09:00"'],
    [{ days: 60, hours: 24 * 31 }, 'at most 90 days'],
  ])('refuses %j', (options, message) => {
    const parsed = definition.optionsSchema.safeParse(options);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(message);
  });

  it('declares until as a template', () => {
    const options = definition.optionsSchema.parse({ until: '{{trip.start}}' });
    expect(definition.templates?.(options)).toEqual([
      { path: ['until'], template: '{{trip.start}}' },
    ]);
  });
});
