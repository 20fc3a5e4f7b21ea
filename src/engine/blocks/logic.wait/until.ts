import { instantOf, isRealWallTime, type WallTime, wallTimeOf } from '../zoned-time.js';

const clockTime = /^(\d{1,2}):(\d{2})$/;
const localDateTime = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const zonedInstant =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The instant (ms) an `until` text names, seen from `now` in the zone; undefined when the text
 * is not one of the accepted forms (see definition.ts).
 */
export function readUntil(text: string, now: number, timeZone: string): number | undefined {
  const value = text.trim();
  const clock = clockTime.exec(value);
  if (clock) {
    const today = wallTimeOf(now, timeZone);
    const time: WallTime = {
      ...today,
      hour: Number(clock[1]),
      minute: Number(clock[2]),
      second: 0,
    };
    if (time.hour > 23 || time.minute > 59) return undefined;
    const at = instantOf(time, timeZone);
    return at > now ? at : instantOf({ ...time, day: time.day + 1 }, timeZone);
  }
  if (zonedInstant.test(value)) {
    const at = Date.parse(value.replace(' ', 'T'));
    return Number.isNaN(at) ? undefined : at;
  }
  const local = localDateTime.exec(value);
  if (local) {
    const time: WallTime = {
      year: Number(local[1]),
      month: Number(local[2]),
      day: Number(local[3]),
      hour: Number(local[4] ?? 0),
      minute: Number(local[5] ?? 0),
      second: Number(local[6] ?? 0),
    };
    return isRealWallTime(time) ? instantOf(time, timeZone) : undefined;
  }
  return undefined;
}
