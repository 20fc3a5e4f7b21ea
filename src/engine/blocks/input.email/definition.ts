import { z } from 'zod';
import { emailOptionsSchema } from '../../../shared/validators/email.js';
import type { BlockDefinition } from '../../types.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  inputWrites,
  invalidPort,
} from '../input-common.js';

/**
 * Asks an e-mail address and stores it normalized (`Local@domain.lower`). The `email`
 * validator's options sit beside the input's: `allowedDomains`, `rejectFreeProviders`,
 * `suggestTypos` (see src/shared/validators/README.md).
 */
export const optionsSchema = z.strictObject({ ...inputBaseOptions, ...emailOptionsSchema.shape });
export type InputEmailOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

export const definition: BlockDefinition<InputEmailOptions> = {
  type: 'input.email',
  category: 'input',
  title: { 'pt-BR': 'Pergunta de e-mail', en: 'E-mail question' },
  optionsSchema,
  ports: () => [invalidPort],
  templates: inputTemplates,
  writes: (options) => inputWrites(options, ['string']),
};
