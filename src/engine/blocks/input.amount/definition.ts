import { z } from 'zod';
import { amountOptionsSchema } from '../../../shared/validators/amount.js';
import type { BlockDefinition } from '../../types.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  inputWrites,
  invalidPort,
} from '../input-common.js';

/**
 * Asks an amount of money ("R$ 1.234,56", "150,50", "2 mil", "€ 12,30") and stores
 * `{ cents, currency }`. The `amount` validator's options sit beside the input's:
 * `currency` (BRL or EUR; otherwise the flow's locale decides), `minCents`, `maxCents`,
 * `allowZero`, `allowNegative`.
 */
export const optionsSchema = z
  .strictObject({ ...inputBaseOptions, ...amountOptionsSchema.omit({ locale: true }).shape })
  .refine(
    (options) =>
      options.minCents === undefined ||
      options.maxCents === undefined ||
      options.minCents <= options.maxCents,
    { message: 'minCents is greater than maxCents', path: ['minCents'] },
  );
export type InputAmountOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

export const definition: BlockDefinition<InputAmountOptions> = {
  type: 'input.amount',
  category: 'input',
  title: { 'pt-BR': 'Pergunta de valor (dinheiro)', en: 'Amount question (money)' },
  optionsSchema,
  ports: () => [invalidPort],
  templates: inputTemplates,
  writes: (options) => inputWrites(options, ['amount']),
};
