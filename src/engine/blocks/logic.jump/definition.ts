import { z } from 'zod';
import { flowIdPattern } from '../../../shared/flows/flow-document.js';
import type { BlockDefinition } from '../../types.js';

/**
 * Goes to another block by id — a loop back to a menu, a shared ending — without drawing an
 * edge across the graph. The target is checked like an edge when the flow is validated.
 */
export const optionsSchema = z.strictObject({
  /** The block to go to. */
  to: z
    .string()
    .regex(flowIdPattern, 'a block id: letters, digits, "-" and "_", starting with a letter'),
});
export type LogicJumpOptions = z.infer<typeof optionsSchema>;

export const definition: BlockDefinition<LogicJumpOptions> = {
  type: 'logic.jump',
  category: 'logic',
  title: { 'pt-BR': 'Ir para bloco', en: 'Go to block' },
  optionsSchema,
  ports: () => [],
  targets: (options) => [{ path: ['to'], blockId: options.to }],
};
