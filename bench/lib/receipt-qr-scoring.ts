import type { DistortionKind } from './receipt-qr-dataset.js';

/**
 * Scores of the receipt-QR benchmark: success rates per distortion kind and grade for each
 * reader, the ratios the issue sets, and medians of the time where two readers both succeed.
 */

export const qrReaderIds = ['recado', 'zxing', 'jsqr'] as const;
export type QrReaderId = (typeof qrReaderIds)[number];

export type ReaderOutcome = {
  isFound: boolean;
  /** Wall time from the file's bytes to the answer (decode included). */
  ms: number;
  /** CPU time of the process over the same span (all threads: libvips works in a pool). */
  cpuMs: number;
};

export type CaseOutcome = {
  id: string;
  kind: DistortionKind;
  grade: number;
  label: string;
  readers: Record<QrReaderId, ReaderOutcome>;
  /** Steps readQrCodes went through, for the verbose listing. */
  steps?: string;
};

export type RateRow = {
  kind: DistortionKind | 'all';
  /** Undefined for a whole kind (or everything). */
  grade?: number;
  label: string;
  count: number;
  found: Record<QrReaderId, number>;
};

/** The value in the middle (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** The nearest-rank percentile (p in 0–100); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

function countFound(outcomes: readonly CaseOutcome[]): Record<QrReaderId, number> {
  const found = { recado: 0, zxing: 0, jsqr: 0 };
  for (const outcome of outcomes) {
    for (const reader of qrReaderIds) if (outcome.readers[reader].isFound) found[reader] += 1;
  }
  return found;
}

/**
 * Rows of success counts: each kind's grades in order followed by the kind's total, then the
 * total over everything.
 */
export function summarizeRates(outcomes: readonly CaseOutcome[]): RateRow[] {
  const rows: RateRow[] = [];
  const kinds = [...new Set(outcomes.map((outcome) => outcome.kind))];
  for (const kind of kinds) {
    const ofKind = outcomes.filter((outcome) => outcome.kind === kind);
    const grades = [...new Set(ofKind.map((outcome) => outcome.grade))].sort((a, b) => a - b);
    for (const grade of grades) {
      const ofGrade = ofKind.filter((outcome) => outcome.grade === grade);
      rows.push({
        kind,
        grade,
        label: ofGrade[0]?.label ?? '',
        count: ofGrade.length,
        found: countFound(ofGrade),
      });
    }
    rows.push({
      kind,
      label: `${kind}, all grades`,
      count: ofKind.length,
      found: countFound(ofKind),
    });
  }
  rows.push({
    kind: 'all',
    label: 'all images',
    count: outcomes.length,
    found: countFound(outcomes),
  });
  return rows;
}

export type PairedTimes = {
  /** Cases both readers read. */
  count: number;
  medianMs: Record<'first' | 'second', number>;
  medianCpuMs: Record<'first' | 'second', number>;
};

/** Medians of both readers' times over the cases both of them read. */
export function comparePairedTimes(
  outcomes: readonly CaseOutcome[],
  first: QrReaderId,
  second: QrReaderId,
): PairedTimes {
  const both = outcomes.filter(
    (outcome) => outcome.readers[first].isFound && outcome.readers[second].isFound,
  );
  return {
    count: both.length,
    medianMs: {
      first: median(both.map((outcome) => outcome.readers[first].ms)),
      second: median(both.map((outcome) => outcome.readers[second].ms)),
    },
    medianCpuMs: {
      first: median(both.map((outcome) => outcome.readers[first].cpuMs)),
      second: median(both.map((outcome) => outcome.readers[second].cpuMs)),
    },
  };
}

export type BoundVerdict = {
  name: string;
  value?: number;
  /** `min`: value ≥ target is met; `max`: value ≤ target is met. */
  bound: 'min' | 'max';
  target: number;
  isMet?: boolean;
};

/** `value` against a bound; no verdict when the value is missing or not a number. */
export function evaluateBound(
  name: string,
  value: number | undefined,
  bound: 'min' | 'max',
  target: number,
): BoundVerdict {
  if (value === undefined || !Number.isFinite(value)) return { name, bound, target };
  return { name, value, bound, target, isMet: bound === 'min' ? value >= target : value <= target };
}

/** `numerator / denominator`, undefined when the denominator is not positive. */
export function divide(numerator: number, denominator: number): number | undefined {
  return denominator > 0 && Number.isFinite(numerator) ? numerator / denominator : undefined;
}
