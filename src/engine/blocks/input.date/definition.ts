import { z } from 'zod';
import { dateOptionsSchema } from '../../../shared/validators/date.js';
import type { BlockDefinition } from '../../types.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  inputWrites,
  invalidPort,
} from '../input-common.js';

/**
 * Asks a date ("amanhã", "sexta", "dia 5", "10/12") and stores it as an ISO day
 * (`2026-12-11`), resolved against the flow's clock and time zone. The `date` validator's
 * options sit beside the input's: `direction`, `allowToday`, `maxDaysInPast`,
 * `maxDaysInFuture`.
 */
export const optionsSchema = z.strictObject({
  ...inputBaseOptions,
  ...dateOptionsSchema.omit({ locale: true, timeZone: true }).shape,
});
export type InputDateOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

export const definition: BlockDefinition<InputDateOptions> = {
  type: 'input.date',
  category: 'input',
  title: { 'pt-BR': 'Pergunta de data', en: 'Date question' },
  optionsSchema,
  ports: () => [invalidPort],
  templates: inputTemplates,
  writes: (options) => inputWrites(options, ['date']),
};
