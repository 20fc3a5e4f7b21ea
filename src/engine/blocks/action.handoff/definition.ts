import { z } from 'zod';
import type { BlockDefinition, TemplateField } from '../../types.js';

/**
 * Hands the conversation to a person: says so (`message`, or a polite default in the flow's
 * language; `""` says nothing), and asks for the `handoff` effect with the `team` and a `note`
 * for the agent. The runtime marks the session `handoff` and the bot stays silent until an
 * agent hands the conversation back; then the flow goes on through `next` (no edge ends it).
 */
export const optionsSchema = z.strictObject({
  /** The inbox team that should pick it up (e.g. "financeiro"); any agent when absent. */
  team: z.string().trim().min(1).max(64).optional(),
  /** For the agent, not the person: what the bot learned; a template. */
  note: z.string().min(1).max(2000).optional(),
  /** Said to the person; a template. `""` says nothing. */
  message: z.string().max(4096).optional(),
});
export type ActionHandoffOptions = z.infer<typeof optionsSchema>;

export const definition: BlockDefinition<ActionHandoffOptions> = {
  type: 'action.handoff',
  category: 'action',
  title: { 'pt-BR': 'Transferir para atendente', en: 'Hand off to an agent' },
  optionsSchema,
  ports: () => [],
  templates: (options) => {
    const fields: TemplateField[] = [];
    if (options.message) fields.push({ path: ['message'], template: options.message });
    if (options.note) fields.push({ path: ['note'], template: options.note });
    return fields;
  },
};
