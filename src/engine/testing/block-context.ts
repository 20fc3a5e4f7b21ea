import type { FlowLocale } from '../../shared/flows/flow-document.js';
import { renderTemplate } from '../template.js';
import type { BlockContext, BlockDefinition, TurnEnvironment, Variables } from '../types.js';

/**
 * A block's context for table-driven block tests: the options go through the definition's
 * schema (so defaults apply as in a validated flow), the clock is fixed.
 */
export function blockContext<Options>(
  definition: BlockDefinition<Options>,
  options: unknown,
  overrides: {
    variables?: Variables;
    locale?: FlowLocale;
    timeZone?: string;
    env?: Partial<TurnEnvironment>;
    ports?: string[];
    blockId?: string;
    turn?: number;
  } = {},
): BlockContext<Options> {
  const parsed = definition.optionsSchema.parse(options);
  const variables = overrides.variables ?? {};
  const locale = overrides.locale ?? 'pt-BR';
  const timeZone = overrides.timeZone ?? 'America/Sao_Paulo';
  const env: TurnEnvironment = {
    now: new Date('2026-11-23T15:00:00Z'),
    contact: { id: 'contact-1', name: 'Ana Souza', phone: '+5511987654321' },
    channel: { id: 'channel-1', name: 'Sandbox', traits: { buttons: true, lists: true } },
    ...overrides.env,
  };
  const ports = new Set(overrides.ports ?? []);
  return {
    blockId: overrides.blockId ?? 'block',
    options: parsed,
    variables,
    env,
    locale,
    timeZone,
    turn: overrides.turn ?? 0,
    render: (template) => renderTemplate(template, { variables, env, locale, timeZone }),
    text: (texts) => texts[locale],
    hasPort: (port) => ports.has(port),
  };
}
