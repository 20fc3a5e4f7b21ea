import { z } from 'zod';
import { computeMod11CheckDigit } from './check-digits.js';
import { stripLeadingLabel } from './text.js';
import {
  type CommonFailureReason,
  fail,
  readInput,
  succeed,
  type ValidationResult,
  type ValidatorDefinition,
} from './validation-result.js';

/**
 * Portuguese NIF / NIPC (número de identificação fiscal): 9 digits, the last a modulo-11 check
 * digit over the first eight (weights 9…2; a result of 10 or 11 gives 0). The first digits say
 * who holds it (Autoridade Tributária): 1, 2, 3 people; 45 non-resident people; 5 companies;
 * 6 public bodies; 70, 74, 75 undivided inheritances; 71 non-resident companies; 72 investment
 * funds; 77 numbers assigned ex officio; 78 non-residents under VAT refund; 79 the Expo 98
 * regime; 8 sole traders (no longer issued, still valid); 90, 91 condominiums and irregular
 * companies; 98 non-residents without a permanent establishment; 99 civil companies without
 * legal personality. Anything else (0, 4 other than 45, 73, 76, 92–97) is no NIF.
 *
 * Accepts the VAT prefix `PT`, a leading "NIF:" and dots, dashes and spaces; the value is the
 * 9 digits, the display `501 964 843`.
 */

export const nifPtOptionsSchema = z.strictObject({
  /** Who may hold it: anyone (default), a person (1, 2, 3, 45) or an entity (every other). */
  holder: z.enum(['any', 'person', 'entity']).optional(),
});
export type NifPtOptions = z.infer<typeof nifPtOptionsSchema>;

export type NifPtFailureReason =
  | CommonFailureReason
  | 'invalid-characters'
  | 'wrong-length'
  | 'invalid-prefix'
  | 'check-digit'
  | 'not-a-person'
  | 'not-an-entity';

const field = { 'pt-BR': 'o NIF', en: 'the NIF' };
const personPrefixes = ['1', '2', '3', '45'];
const entityPrefixes = [
  '5',
  '6',
  '70',
  '71',
  '72',
  '74',
  '75',
  '77',
  '78',
  '79',
  '8',
  '90',
  '91',
  '98',
  '99',
];

const startsWithAny = (digits: string, prefixes: readonly string[]) =>
  prefixes.some((prefix) => digits.startsWith(prefix));

export function validateNifPt(
  input: string,
  options: NifPtOptions = {},
): ValidationResult<string, NifPtFailureReason> {
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  const labelled = stripLeadingLabel(read.text, [
    'nif',
    'nipc',
    'numero de contribuinte',
    'contribuinte',
    'numero fiscal',
  ]);
  const text = labelled.replace(/^pt[\s-]*(?=\d)/i, '');
  if (!/^[\d\s.-]+$/.test(text)) {
    return fail('invalid-characters', {
      'pt-BR': 'O NIF tem só números, como 123 456 789.',
      en: 'A NIF has digits only, like 123 456 789.',
    });
  }
  const digits = text.replace(/\D/g, '');
  if (digits.length !== 9) {
    return fail(
      'wrong-length',
      {
        'pt-BR': `O NIF tem 9 dígitos; você enviou ${digits.length}.`,
        en: `A NIF has 9 digits; you sent ${digits.length}.`,
      },
      { expected: 9, received: digits.length },
    );
  }
  const isPerson = startsWithAny(digits, personPrefixes);
  if (!isPerson && !startsWithAny(digits, entityPrefixes)) {
    const prefix = digits.startsWith('0') ? '0' : digits.slice(0, 2);
    return fail(
      'invalid-prefix',
      {
        'pt-BR': `Nenhum NIF começa por ${prefix}. Confira o número e envie de novo.`,
        en: `No NIF starts with ${prefix}. Please check the number and send it again.`,
      },
      { prefix },
    );
  }
  const values = [...digits].map(Number);
  if (computeMod11CheckDigit(values.slice(0, 8), [9, 8, 7, 6, 5, 4, 3, 2]) !== values[8]) {
    return fail('check-digit', {
      'pt-BR': 'O dígito verificador (de controlo) não confere. Confira o NIF e envie de novo.',
      en: 'The check digit does not match. Please check the NIF and send it again.',
    });
  }
  if (options.holder === 'person' && !isPerson) {
    return fail('not-a-person', {
      'pt-BR': 'Esse NIF é de uma empresa ou entidade; envie o NIF pessoal (começa por 1, 2 ou 3).',
      en: 'That NIF belongs to a company or entity; send a personal NIF (it starts with 1, 2 or 3).',
    });
  }
  if (options.holder === 'entity' && isPerson) {
    return fail('not-an-entity', {
      'pt-BR': 'Esse NIF é de uma pessoa; envie o NIF (NIPC) da empresa ou entidade.',
      en: "That NIF belongs to a person; send the company's or entity's NIF (NIPC).",
    });
  }
  return succeed(digits, `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`);
}

export const nifPtValidator: ValidatorDefinition<
  'nif-pt',
  NifPtOptions,
  string,
  NifPtFailureReason
> = {
  id: 'nif-pt',
  optionsSchema: nifPtOptionsSchema,
  validate: validateNifPt,
};
