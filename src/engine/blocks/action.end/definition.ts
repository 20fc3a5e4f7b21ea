import { z } from 'zod';
import type { BlockDefinition } from '../../types.js';

/**
 * Ends the session, saying `message` first when there is one. `reason` is what the session
 * records: `completed` (the default) or `cancelled` (the person gave up, a "cancel" branch).
 */
export const optionsSchema = z.strictObject({
  /** Said before ending; a template. */
  message: z.string().min(1).max(4096).optional(),
  reason: z.enum(['completed', 'cancelled']).default('completed'),
});
export type ActionEndOptions = z.infer<typeof optionsSchema>;

export const definition: BlockDefinition<ActionEndOptions> = {
  type: 'action.end',
  category: 'action',
  title: { 'pt-BR': 'Encerrar', en: 'End' },
  optionsSchema,
  ports: () => [],
  templates: (options) =>
    options.message === undefined ? [] : [{ path: ['message'], template: options.message }],
};
