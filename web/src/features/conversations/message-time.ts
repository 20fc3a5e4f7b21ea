/**
 * A message's time as chat apps show it: the time alone for today, the day and time for
 * older messages, and the year as well for another year. `now` is injectable for tests.
 */
export function formatMessageTime(iso: string, language: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const isToday = date.toDateString() === now.toDateString();
  const isThisYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(language, {
    ...(isToday ? {} : { day: '2-digit', month: '2-digit' }),
    ...(isThisYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** Whole minutes left until `iso` (0 once past), for the 24-hour window countdown. */
export function minutesUntil(iso: string, now: Date = new Date()): number {
  const end = new Date(iso).getTime();
  if (Number.isNaN(end)) return 0;
  return Math.max(0, Math.floor((end - now.getTime()) / 60_000));
}
