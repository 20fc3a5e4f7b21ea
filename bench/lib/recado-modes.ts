import { getInterruptSignal } from './child-processes.js';
import {
  type RecadoEntry,
  type RecadoEntryPreference,
  resolveRecadoEntry,
} from './recado-server.js';

/** The text of whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Measures Recado in each mode (embedded, scaled, ...) from one resolved entry (dist or src),
 * in order, until Ctrl-C. A mode that fails is a problem of the run, not the end of it: the
 * other modes are still measured and reported.
 */
export async function measureEachMode<Mode extends string, Result>(options: {
  preference: RecadoEntryPreference;
  repoRoot: string;
  modes: readonly Mode[];
  warnings: string[];
  problems: string[];
  measure: (mode: Mode, entry: RecadoEntry) => Promise<Result>;
}): Promise<Result[]> {
  const results: Result[] = [];
  try {
    const entry = await resolveRecadoEntry(options.preference, options.repoRoot);
    console.log(`Recado entry: ${entry.label}`);
    if (entry.warning) options.warnings.push(entry.warning);
    for (const mode of options.modes) {
      if (getInterruptSignal()) break;
      try {
        results.push(await options.measure(mode, entry));
      } catch (error) {
        options.problems.push(`Recado (${mode}): ${errorMessage(error)}`);
      }
    }
  } catch (error) {
    options.problems.push(`Recado: ${errorMessage(error)}`);
  }
  return results;
}
