import { z } from 'zod';
import { phoneOptionsSchema } from '../../../shared/validators/phone.js';
import type { BlockDefinition } from '../../types.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  inputWrites,
  invalidPort,
} from '../input-common.js';

/**
 * Asks a phone number and stores it in E.164 (`+5511987654321`). The `phone` validator's
 * options sit beside the input's: `defaultCountry`, `allowedCountries`, `mobileOnly`; the
 * flow's locale picks the default country (PT for pt-PT, else BR).
 */
export const optionsSchema = z.strictObject({
  ...inputBaseOptions,
  ...phoneOptionsSchema.omit({ locale: true }).shape,
});
export type InputPhoneOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

export const definition: BlockDefinition<InputPhoneOptions> = {
  type: 'input.phone',
  category: 'input',
  title: { 'pt-BR': 'Pergunta de telefone', en: 'Phone question' },
  optionsSchema,
  ports: () => [invalidPort],
  templates: inputTemplates,
  writes: (options) => inputWrites(options, ['string']),
};
