import { z } from 'zod';
import type { BlockDefinition } from '../../types.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  inputWrites,
} from '../input-common.js';

export const optionsSchema = z
  .strictObject({
    ...inputBaseOptions,
    minLength: z.number().int().min(1).max(4096).default(1),
    maxLength: z.number().int().min(1).max(4096).default(1000),
  })
  .refine((options) => options.minLength <= options.maxLength, {
    message: 'minLength is greater than maxLength',
    path: ['minLength'],
  });
export type InputTextOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

export const definition: BlockDefinition<InputTextOptions> = {
  type: 'input.text',
  category: 'input',
  title: { 'pt-BR': 'Pergunta (texto livre)', en: 'Question (free text)' },
  optionsSchema,
  ports: () => ['invalid'],
  templates: inputTemplates,
  writes: (options) => inputWrites(options, ['string']),
};
