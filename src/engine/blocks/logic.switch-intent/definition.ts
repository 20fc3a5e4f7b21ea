import { z } from 'zod';
import { flowIdPattern } from '../../../shared/flows/flow-document.js';
import type { BlockDefinition, TemplateField } from '../../types.js';
import { variableNameSchema } from '../variable-paths.js';

/**
 * Reads the person's next message and routes it by intent: it waits (asking `prompt` first,
 * when there is one), classifies the text with the NLU port (`src/nlu`, keywords and example
 * sentences, Portuguese-aware: accents, plurals, verb endings, "não"), and leaves through the
 * port of the best intent scoring at least `minScore`, or through `unknown`. `variable`
 * receives the intent id (or "unknown"). Without an edge, a port falls back to `next`.
 *
 * ```json
 * { "prompt": "Como posso ajudar?",
 *   "intents": [
 *     { "id": "cancel", "keywords": ["cancelar", "desistir"] },
 *     { "id": "human", "keywords": ["atendente", "falar com uma pessoa"],
 *       "examples": ["quero conversar com alguém de verdade"] } ],
 *   "variable": "intent" }
 * ```
 */

export const unknownPort = 'unknown';
const reservedPorts = ['next', unknownPort];

const phrase = z.string().trim().min(1).max(200);

export const intentSchema = z
  .strictObject({
    /** The port and the stored value. */
    id: z
      .string()
      .regex(flowIdPattern, 'use letters, digits, "-" and "_" (up to 64), starting with a letter')
      .refine((id) => !reservedPorts.includes(id), {
        message: `"next" and "${unknownPort}" are ports of this block; name the intent otherwise`,
      }),
    keywords: z.array(phrase).max(100).optional(),
    examples: z.array(phrase).max(100).optional(),
  })
  .refine((intent) => (intent.keywords?.length ?? 0) + (intent.examples?.length ?? 0) > 0, {
    message: 'give the intent at least one keyword or example',
    path: ['keywords'],
  });

export const optionsSchema = z.strictObject({
  /** Asked before waiting; a template. Leave it out when the previous block already asked. */
  prompt: z.string().min(1).max(4096).optional(),
  intents: z
    .array(intentSchema)
    .min(1)
    .max(30)
    .superRefine((intents, context) => {
      const seen = new Set<string>();
      intents.forEach(({ id }, index) => {
        if (seen.has(id)) {
          context.addIssue({
            code: 'custom',
            path: [index, 'id'],
            message: `the intent "${id}" repeats`,
          });
        }
        seen.add(id);
      });
    }),
  /** Receives the intent id, or "unknown". */
  variable: variableNameSchema.optional(),
  /** The score (0–1) an intent needs; see src/nlu/README.md for what scores mean. */
  minScore: z.number().min(0.05).max(1).default(0.5),
});
export type LogicSwitchIntentOptions = z.infer<typeof optionsSchema>;

export const definition: BlockDefinition<LogicSwitchIntentOptions> = {
  type: 'logic.switch-intent',
  category: 'logic',
  title: { 'pt-BR': 'Desvio por intenção', en: 'Switch by intent' },
  optionsSchema,
  ports: (options) => [...options.intents.map(({ id }) => id), unknownPort],
  templates: (options): TemplateField[] =>
    options.prompt === undefined ? [] : [{ path: ['prompt'], template: options.prompt }],
  writes: (options) =>
    options.variable === undefined
      ? []
      : [{ path: ['variable'], name: options.variable, types: ['string'] }],
};
