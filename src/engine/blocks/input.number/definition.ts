import { z } from 'zod';
import type { BlockDefinition } from '../../types.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  inputWrites,
  invalidPort,
} from '../input-common.js';

/**
 * Asks a number and stores it as a number. Read with the flow's conventions: "1.234,5" in
 * Portuguese, "1,234.5" in English; "12,5" and "12.5" both work wherever they cannot be
 * thousands.
 */
export const optionsSchema = z
  .strictObject({
    ...inputBaseOptions,
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    /** Only whole numbers. */
    integer: z.boolean().default(false),
  })
  .refine(
    (options) =>
      options.min === undefined || options.max === undefined || options.min <= options.max,
    { message: 'min is greater than max', path: ['min'] },
  );
export type InputNumberOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

export const definition: BlockDefinition<InputNumberOptions> = {
  type: 'input.number',
  category: 'input',
  title: { 'pt-BR': 'Pergunta numérica', en: 'Number question' },
  optionsSchema,
  ports: () => [invalidPort],
  templates: inputTemplates,
  writes: (options) => inputWrites(options, ['number']),
};
