import type { ChannelPacing } from '../../../../src/shared/contracts/channels.contract';

/**
 * The pacing policy of bulk sends (random gap between recipients, ceiling per hour, "typing…"
 * first), as the channel form edits it and the table shows it. Pure functions.
 */

export type { ChannelPacing };

/**
 * What the server applies to QR providers (WAHA, WPPConnect) when a channel has no policy of
 * its own (`defaultQrPacing` on the server; the providers list does not carry it). Other
 * providers have no pacing by default.
 */
export const defaultQrPacing: ChannelPacing = {
  minGapSeconds: 30,
  maxGapSeconds: 60,
  maxPerHour: 60,
  typing: true,
};

/** The limits of `channelPacingSchema` in the channels contract. */
export const pacingLimits = {
  gapSeconds: { min: 0, max: 3600 },
  perHour: { min: 1, max: 100_000 },
} as const;

export type PacingFormValues = {
  /** The provider's default: QR providers pace with `defaultQrPacing`, others do not pace. */
  useDefault: boolean;
  minGapSeconds: string;
  maxGapSeconds: string;
  maxPerHour: string;
  typing: boolean;
};

export type PacingField = 'minGapSeconds' | 'maxGapSeconds' | 'maxPerHour';
export type PacingProblem = 'required' | 'integer' | 'minimum' | 'maximum' | 'belowMinGap';

export function isSamePacing(a: ChannelPacing, b: ChannelPacing): boolean {
  return (
    a.minGapSeconds === b.minGapSeconds &&
    a.maxGapSeconds === b.maxGapSeconds &&
    a.maxPerHour === b.maxPerHour &&
    a.typing === b.typing
  );
}

/**
 * Whether a channel runs on its provider's default. The API returns the policy in force, so a
 * QR channel whose policy equals the default reads as the default (it behaves the same).
 */
export function isProviderDefaultPacing(
  pacing: ChannelPacing | null,
  hasQrSession: boolean,
): boolean {
  if (pacing === null) return true;
  return hasQrSession && isSamePacing(pacing, defaultQrPacing);
}

function toValues(pacing: ChannelPacing, useDefault: boolean): PacingFormValues {
  return {
    useDefault,
    minGapSeconds: String(pacing.minGapSeconds),
    maxGapSeconds: String(pacing.maxGapSeconds),
    maxPerHour: String(pacing.maxPerHour),
    typing: pacing.typing,
  };
}

/**
 * The form's starting values: a new channel (or one without a policy of its own) starts on the
 * provider's default, with the QR default's numbers ready for when the user customises.
 */
export function initialPacingValues(
  pacing: ChannelPacing | null | undefined,
  hasQrSession: boolean,
): PacingFormValues {
  if (!pacing || isProviderDefaultPacing(pacing, hasQrSession)) {
    return toValues(defaultQrPacing, true);
  }
  return toValues(pacing, false);
}

function readWholeNumber(
  text: string,
  limits: { min: number; max: number },
): { value: number } | { problem: PacingProblem } {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: 'required' };
  if (!/^-?\d+$/.test(trimmed)) return { problem: 'integer' };
  const value = Number(trimmed);
  if (value < limits.min) return { problem: 'minimum' };
  if (value > limits.max) return { problem: 'maximum' };
  return { value };
}

/** Every field's problem; empty when the policy may be sent (always, on the default). */
export function checkPacingValues(
  values: PacingFormValues,
): Partial<Record<PacingField, PacingProblem>> {
  if (values.useDefault) return {};
  const problems: Partial<Record<PacingField, PacingProblem>> = {};
  const min = readWholeNumber(values.minGapSeconds, pacingLimits.gapSeconds);
  const max = readWholeNumber(values.maxGapSeconds, pacingLimits.gapSeconds);
  const perHour = readWholeNumber(values.maxPerHour, pacingLimits.perHour);
  if ('problem' in min) problems.minGapSeconds = min.problem;
  if ('problem' in max) problems.maxGapSeconds = max.problem;
  else if ('value' in min && max.value < min.value) problems.maxGapSeconds = 'belowMinGap';
  if ('problem' in perHour) problems.maxPerHour = perHour.problem;
  return problems;
}

/** The `pacing` to send: the policy, or null for the provider's default. Values must check. */
export function buildPacingPayload(values: PacingFormValues): ChannelPacing | null {
  if (values.useDefault) return null;
  return {
    minGapSeconds: Number(values.minGapSeconds.trim()),
    maxGapSeconds: Number(values.maxGapSeconds.trim()),
    maxPerHour: Number(values.maxPerHour.trim()),
    typing: values.typing,
  };
}

/** "30–60 s · 60/h" ("45 s · 60/h" when both gaps are equal), numbers in the UI language. */
export function formatPacing(pacing: ChannelPacing, language: string): string {
  const number = new Intl.NumberFormat(language);
  const gap =
    pacing.minGapSeconds === pacing.maxGapSeconds
      ? number.format(pacing.minGapSeconds)
      : `${number.format(pacing.minGapSeconds)}–${number.format(pacing.maxGapSeconds)}`;
  return `${gap} s · ${number.format(pacing.maxPerHour)}/h`;
}
