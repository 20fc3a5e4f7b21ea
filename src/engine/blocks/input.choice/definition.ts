import { z } from 'zod';
import type { BlockDefinition } from '../../types.js';
import {
  type ChoiceDisplay,
  foldLabel,
  optionIdSchema,
  reportRepeatedOptions,
} from '../choice-common.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  inputWrites,
  invalidPort,
} from '../input-common.js';

/** WhatsApp's limits: 3 reply buttons, 10 list rows; numbered text takes up to 20 choices. */
const maxByDisplay: Record<ChoiceDisplay, number> = { buttons: 3, list: 10, text: 20 };

export const optionsSchema = z
  .strictObject({
    ...inputBaseOptions,
    choices: z
      .array(
        z.strictObject({
          /** The port it leaves through and the value stored. */
          id: optionIdSchema,
          /** A template; cut to 20 characters on buttons and 24 on lists. */
          title: z.string().min(1).max(100),
          /** Other answers that pick it ("s", "claro" for "Sim"); any case and accents. */
          synonyms: z.array(z.string().min(1).max(100)).max(30).optional(),
        }),
      )
      .min(1, 'offer at least one choice')
      .max(maxByDisplay.text),
    /** How the question is shown: buttons up to 3 choices, a list up to 10, else numbered text. */
    display: z.enum(['buttons', 'list', 'text']).optional(),
    /** The button that opens the list ("Ver opções" by default); a template. */
    buttonText: z.string().min(1).max(100).optional(),
  })
  .superRefine((options, context) => {
    const display = choiceDisplayOf(options);
    if (options.choices.length > maxByDisplay[display]) {
      context.addIssue({
        code: 'custom',
        path: ['display'],
        message: `"${display}" shows at most ${maxByDisplay[display]} choices; there are ${options.choices.length}`,
      });
    }
    reportRepeatedOptions(options.choices, ['choices'], context);
    // A synonym naming another choice would make the answer ambiguous.
    const owners = new Map<string, string>();
    for (const choice of options.choices) {
      if (!choice.title.includes('{{')) owners.set(foldLabel(choice.title), choice.id);
    }
    options.choices.forEach((choice, index) => {
      choice.synonyms?.forEach((synonym, synonymIndex) => {
        const folded = foldLabel(synonym);
        const owner = owners.get(folded);
        if (owner !== undefined && owner !== choice.id) {
          context.addIssue({
            code: 'custom',
            path: ['choices', index, 'synonyms', synonymIndex],
            message: `"${synonym}" already names the choice "${owner}"`,
          });
        }
        owners.set(folded, choice.id);
      });
    });
  });
export type InputChoiceOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

/** The display the options ask for, or the natural one for their number of choices. */
export function choiceDisplayOf(options: {
  display?: ChoiceDisplay | undefined;
  choices: readonly unknown[];
}): ChoiceDisplay {
  if (options.display) return options.display;
  const count = options.choices.length;
  return count <= maxByDisplay.buttons ? 'buttons' : count <= maxByDisplay.list ? 'list' : 'text';
}

export const definition: BlockDefinition<InputChoiceOptions> = {
  type: 'input.choice',
  category: 'input',
  title: { 'pt-BR': 'Pergunta de múltipla escolha', en: 'Multiple-choice question' },
  optionsSchema,
  ports: (options) => [...options.choices.map((choice) => choice.id), invalidPort],
  templates: (options) => [
    ...inputTemplates(options),
    ...options.choices.map((choice, index) => ({
      path: ['choices', index, 'title'],
      template: choice.title,
    })),
    ...(options.buttonText ? [{ path: ['buttonText'], template: options.buttonText }] : []),
  ],
  writes: (options) => inputWrites(options, ['string']),
  needs: (options) => {
    const display = choiceDisplayOf(options);
    return display === 'buttons' ? ['buttons'] : display === 'list' ? ['lists'] : [];
  },
};
