/**
 * Wall-clock times in a time zone, with `Intl` only (the engine imports no date library):
 * "2026-12-11 09:00 in America/Sao_Paulo" to an instant, and an instant's calendar fields in a
 * zone. An unknown zone reads as UTC.
 */

export type WallTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    };
    try {
      format = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    } catch {
      format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** The calendar fields of an instant as seen in the zone. */
export function wallTimeOf(instant: number, timeZone: string): WallTime {
  const parts = formatOf(timeZone).formatToParts(new Date(instant));
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour') % 24,
    minute: field('minute'),
    second: field('second'),
  };
}

function utcOf(time: WallTime): number {
  return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  return utcOf(wallTimeOf(instant, timeZone)) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in the zone. Fields may overflow (day 32 is the 1st of
 * the next month). In a daylight-saving gap the time is read with the offset before the jump;
 * in an overlap, the earlier of the two.
 */
export function instantOf(time: WallTime, timeZone: string): number {
  const guess = utcOf(time);
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}

/** Whether the fields name a real calendar day and time (no 31 April, no 25:00). */
export function isRealWallTime(time: WallTime): boolean {
  const date = new Date(utcOf(time));
  return (
    date.getUTCFullYear() === time.year &&
    date.getUTCMonth() === time.month - 1 &&
    date.getUTCDate() === time.day &&
    date.getUTCHours() === time.hour &&
    date.getUTCMinutes() === time.minute &&
    date.getUTCSeconds() === time.second
  );
}
