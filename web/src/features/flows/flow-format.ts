/** Date and time of an ISO timestamp in the UI language, e.g. "23 de nov. de 2025, 14:05". */
export function formatDateTime(
  iso: string,
  language: string,
  options: { withSeconds?: boolean } = {},
): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    timeStyle: options.withSeconds ? 'medium' : 'short',
  }).format(date);
}

/** A value as indented JSON for reading (variables, history details). */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null';
}
