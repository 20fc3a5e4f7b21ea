import { z } from 'zod';
import type { BlockDefinition } from '../../types.js';
import { readUntil } from './until.js';

/**
 * Pauses the flow, then goes `next`: for a while (`seconds`, `minutes`, `hours`, `days`, which
 * add up) or until a moment (`until`).
 *
 * `until` is a template giving one of:
 * - `"09:00"` — the next 09:00 in the flow's time zone (today if still ahead, else tomorrow);
 * - `"2026-12-11"` — midnight starting that day, in the flow's time zone;
 * - `"2026-12-11T09:00"` — that wall-clock time in the flow's time zone;
 * - `"2026-12-11T12:00:00Z"`, `"…-03:00"` — that instant (`{{now}}` and stored dates work).
 * A moment already past goes on at once; text that is none of these goes on at once as well,
 * noted in the session's history.
 *
 * A message that arrives while waiting is ignored and the wait goes on — unless
 * `interruptible`, then the flow goes on through `next` right away (the message is not read
 * by the next block).
 */

const maxTotalSeconds = 90 * 24 * 3600;

export const optionsSchema = z
  .strictObject({
    seconds: z.number().int().min(1).max(maxTotalSeconds).optional(),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(maxTotalSeconds / 60)
      .optional(),
    hours: z
      .number()
      .int()
      .min(1)
      .max(maxTotalSeconds / 3600)
      .optional(),
    days: z.number().int().min(1).max(90).optional(),
    until: z.string().min(1).max(200).optional(),
    interruptible: z.boolean().default(false),
  })
  .superRefine((options, context) => {
    const seconds = durationSeconds(options);
    if (options.until !== undefined) {
      if (seconds > 0) {
        context.addIssue({
          code: 'custom',
          path: ['until'],
          message: 'wait either for a duration (seconds, minutes, hours, days) or until a moment',
        });
      } else if (!options.until.includes('{{') && !readUntil(options.until, 0, 'UTC')) {
        context.addIssue({
          code: 'custom',
          path: ['until'],
          message:
            'is "09:00", "2026-12-11", "2026-12-11T09:00", an ISO instant or a template giving one',
        });
      }
      return;
    }
    if (seconds === 0) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'say how long to wait (seconds, minutes, hours, days) or until when (until)',
      });
    } else if (seconds > maxTotalSeconds) {
      context.addIssue({ code: 'custom', path: [], message: 'a wait lasts at most 90 days' });
    }
  });
export type LogicWaitOptions = z.infer<typeof optionsSchema>;

export function durationSeconds(options: {
  seconds?: number | undefined;
  minutes?: number | undefined;
  hours?: number | undefined;
  days?: number | undefined;
}): number {
  return (
    (options.seconds ?? 0) +
    (options.minutes ?? 0) * 60 +
    (options.hours ?? 0) * 3600 +
    (options.days ?? 0) * 86_400
  );
}

export const definition: BlockDefinition<LogicWaitOptions> = {
  type: 'logic.wait',
  category: 'logic',
  title: { 'pt-BR': 'Aguardar', en: 'Wait' },
  optionsSchema,
  ports: () => [],
  templates: (options) =>
    options.until === undefined ? [] : [{ path: ['until'], template: options.until }],
};
