/** Plain-text tables and ratio verdicts for benchmark output. */

export type Alignment = 'left' | 'right';

export type Column = { title: string; align?: Alignment };

/** A table with a header row and a rule under it; cells padded to the widest in the column. */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const formatRow = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        const width = widths[index] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [formatRow(columns.map((column) => column.title)), rule, ...rows.map(formatRow)].join(
    '\n',
  );
}

export function formatNumber(value: number, fractionDigits = 0): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  });
}

export function formatMebibytes(bytes: number): string {
  return `${formatNumber(bytes / 1024 / 1024, 1)} MiB`;
}

export type RatioVerdict = {
  name: string;
  /** undefined when one side was not measured. */
  ratio?: number;
  target: number;
  isMet?: boolean;
};

/** `numerator / denominator` against a minimum target; no verdict when either is missing. */
export function evaluateRatio(
  name: string,
  numerator: number | undefined,
  denominator: number | undefined,
  target: number,
): RatioVerdict {
  if (numerator === undefined || denominator === undefined || denominator <= 0) {
    return { name, target };
  }
  const ratio = numerator / denominator;
  return { name, ratio, target, isMet: ratio >= target };
}

export function formatVerdict(verdict: RatioVerdict): string {
  if (verdict.ratio === undefined) return 'not measured';
  return verdict.isMet ? 'meets target' : 'BELOW TARGET';
}
