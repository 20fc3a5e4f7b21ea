import { z } from 'zod';
import { validatorIds, validators } from '../../../shared/validators/index.js';
import type { BlockDefinition } from '../../types.js';
import {
  type InputBaseOptions,
  inputBaseOptions,
  inputTemplates,
  inputWrites,
} from '../input-common.js';

/** The validators `input.validated` offers; e-mail, phone, date and amount have their own blocks. */
export const validatedIds = ['cpf', 'cnpj', 'nif-pt', 'cep', 'postal-code-pt', 'regex'] as const;

export const optionsSchema = z.strictObject({
  ...inputBaseOptions,
  validator: z.enum(validatedIds),
  /** The validator's own options (checked against its schema when the flow is validated). */
  validatorOptions: z.record(z.string(), z.unknown()).default({}),
});
export type InputValidatedOptions = z.infer<typeof optionsSchema> & InputBaseOptions;

export const definition: BlockDefinition<InputValidatedOptions> = {
  type: 'input.validated',
  category: 'input',
  title: {
    'pt-BR': 'Pergunta validada (CPF, CNPJ, NIF, CEP…)',
    en: 'Validated question (CPF, CNPJ, NIF, postal code…)',
  },
  optionsSchema,
  ports: () => ['invalid'],
  templates: inputTemplates,
  writes: (options) => inputWrites(options, ['string']),
  check: (options) => {
    const parsed = validators[options.validator].optionsSchema.safeParse(options.validatorOptions);
    if (parsed.success) return [];
    return parsed.error.issues.map((issue) => ({
      path: ['validatorOptions', ...(issue.path as (string | number)[])],
      code: 'invalid-options' as const,
      message: `${options.validator}: ${issue.message}`,
    }));
  },
};

// Every id offered here must exist in the shared registry.
for (const id of validatedIds) {
  if (!(validatorIds as readonly string[]).includes(id)) throw new Error(`Unknown validator ${id}`);
}
