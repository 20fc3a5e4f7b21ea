import type { TFunction } from 'i18next';
import { isApiError } from '../../api/api-error';
import { describeError } from '../../i18n/describe-error';

/**
 * The flows API's refusals as people read them. A 409 CONFLICT says why in English, with
 * details that name the field or the taken keywords; these become specific pt-BR/en sentences
 * ("\"menu\" é o comando Menu do canal") instead of the generic "conflict" one.
 */

export type CommandName = 'menu' | 'cancel' | 'human' | 'optOut';

export type TakenKeyword =
  | { kind: 'command'; word: string; command: CommandName }
  | { kind: 'flow'; word: string; flowName: string }
  | { kind: 'other'; text: string };

export type FlowConflict =
  | { kind: 'name-taken' }
  | { kind: 'not-published' }
  | { kind: 'keywords-taken'; taken: TakenKeyword[] }
  | { kind: 'other' };

const commandNames: readonly string[] = ['menu', 'cancel', 'human', 'optOut'];

function isCommandName(value: string): value is CommandName {
  return commandNames.includes(value);
}

/** One entry of a keyword clash, as the server words it (triggers.service.ts). */
export function readTakenKeyword(text: string): TakenKeyword {
  const command = /^"(.+)" is the channel's (\w+) command$/.exec(text);
  if (command?.[1] !== undefined && command[2] !== undefined && isCommandName(command[2])) {
    return { kind: 'command', word: command[1], command: command[2] };
  }
  const flow = /^"(.+)" already starts the flow "(.*)"$/.exec(text);
  if (flow?.[1] !== undefined && flow[2] !== undefined) {
    return { kind: 'flow', word: flow[1], flowName: flow[2] };
  }
  return { kind: 'other', text };
}

function detailPaths(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((detail) =>
    typeof detail === 'object' && detail !== null && typeof detail.path === 'string'
      ? [detail.path]
      : [],
  );
}

/** What a 409 from the flows API is about; undefined for any other failure. */
export function readFlowConflict(error: unknown): FlowConflict | undefined {
  if (!isApiError(error) || error.code !== 'CONFLICT') return undefined;
  const { details } = error;
  if (typeof details === 'object' && details !== null && 'taken' in details) {
    const taken = (details as { taken: unknown }).taken;
    if (Array.isArray(taken)) {
      return {
        kind: 'keywords-taken',
        taken: taken.filter((entry) => typeof entry === 'string').map(readTakenKeyword),
      };
    }
  }
  const paths = detailPaths(details);
  if (paths.includes('body.document.name')) return { kind: 'name-taken' };
  if (paths.includes('body.flowId')) return { kind: 'not-published' };
  return { kind: 'other' };
}

/** The sentence for a failed flows call: the specific conflict, else the usual description. */
export function describeFlowError(t: TFunction, error: unknown): string {
  const conflict = readFlowConflict(error);
  if (!conflict || conflict.kind === 'other') return describeError(t, error);
  if (conflict.kind === 'name-taken') return t('flows.conflicts.nameTaken');
  if (conflict.kind === 'not-published') return t('flows.conflicts.notPublished');
  const reasons = conflict.taken.map((entry) => {
    if (entry.kind === 'command') {
      return t('flows.conflicts.keywordIsCommand', {
        word: entry.word,
        command: t(`flows.commands.${entry.command}`),
      });
    }
    if (entry.kind === 'flow') {
      return t('flows.conflicts.keywordInUse', { word: entry.word, flow: entry.flowName });
    }
    return entry.text;
  });
  return t('flows.conflicts.keywordsTaken', { reasons: reasons.join('; ') });
}
