import { z } from 'zod';
import type { BlockDefinition } from '../../types.js';

export const optionsSchema = z.strictObject({
  /** The text; a template (`Olá, {{contact.name}}!`, `{{total | money}}`). */
  text: z.string().min(1).max(4096),
});
export type MessageTextOptions = z.infer<typeof optionsSchema>;

export const definition: BlockDefinition<MessageTextOptions> = {
  type: 'message.text',
  category: 'message',
  title: { 'pt-BR': 'Mensagem de texto', en: 'Text message' },
  optionsSchema,
  ports: () => [],
  templates: (options) => [{ path: ['text'], template: options.text }],
};
