import { z } from 'zod';
import { amountValidator } from './amount.js';
import { cepValidator } from './cep.js';
import { cnpjValidator } from './cnpj.js';
import { cpfValidator } from './cpf.js';
import { dateValidator } from './date.js';
import { emailValidator } from './email.js';
import { nifPtValidator } from './nif-pt.js';
import { phoneValidator } from './phone.js';
import { postalCodePtValidator } from './postal-code-pt.js';
import { regexValidator } from './regex.js';
import type { ValidationResult, ValidatorLocale } from './validation-result.js';

/**
 * The validators by id, for the flow engine (`input.*` blocks, `input.validated`) and the
 * dashboard. Every one has the same shape: `validate(input, options)` answers
 * `{ ok: true, value, display }` or `{ ok: false, reason, message: { 'pt-BR', en } }`, and
 * `optionsSchema` checks the options a flow author writes. See README.md for the decisions.
 */
export const validators = {
  email: emailValidator,
  phone: phoneValidator,
  cpf: cpfValidator,
  cnpj: cnpjValidator,
  'nif-pt': nifPtValidator,
  cep: cepValidator,
  'postal-code-pt': postalCodePtValidator,
  date: dateValidator,
  amount: amountValidator,
  regex: regexValidator,
} as const;

export type ValidatorId = keyof typeof validators;
export const validatorIds = Object.keys(validators) as ValidatorId[];
export const validatorIdSchema = z.enum(validatorIds as [ValidatorId, ...ValidatorId[]]);

type ValidateFunction<Id extends ValidatorId> = (typeof validators)[Id]['validate'];
export type ValidatorOptions<Id extends ValidatorId> = Parameters<ValidateFunction<Id>>[1];
export type ValidatorResult<Id extends ValidatorId> = ReturnType<ValidateFunction<Id>>;
export type ValidatorValue<Id extends ValidatorId> = Extract<
  ValidatorResult<Id>,
  { ok: true }
>['value'];
export type ValidatorFailureReason<Id extends ValidatorId> = Extract<
  ValidatorResult<Id>,
  { ok: false }
>['reason'];

export function isValidatorId(id: string): id is ValidatorId {
  return Object.hasOwn(validators, id);
}

/** Runs one validator with typed options. */
export function validate<Id extends ValidatorId>(
  id: Id,
  input: string,
  options: ValidatorOptions<Id>,
): ValidatorResult<Id> {
  const run = validators[id].validate as (input: string, options: unknown) => ValidatorResult<Id>;
  return run(input, options);
}

/** What the engine knows at run time and a flow author does not write. */
export type ValidationContext = {
  /** The engine's clock ("hoje" for dates). */
  now: Date;
  /** The flow's locale: defaults for currency, phone country and time zone. */
  locale?: ValidatorLocale;
  /** The tenant's or flow's time zone, unless the options name one. */
  timeZone?: string;
};

/**
 * Runs a validator by id with options as written in a flow, checked against its schema, plus
 * the engine's context (options written in the flow win over the context's locale and time
 * zone). Options that do not pass the schema throw: flows are validated before they are
 * published, so that is a defect in the flow, not bad input from the person chatting.
 */
export function runValidator(
  id: ValidatorId,
  input: string,
  authoredOptions: unknown,
  context: ValidationContext,
): ValidationResult<unknown, string> {
  const definition = validators[id];
  const parsed = definition.optionsSchema.safeParse(authoredOptions ?? {});
  if (!parsed.success) {
    throw new TypeError(`Invalid options for validator "${id}": ${z.prettifyError(parsed.error)}`);
  }
  const options = {
    ...(context.locale ? { locale: context.locale } : {}),
    ...(context.timeZone ? { timeZone: context.timeZone } : {}),
    ...parsed.data,
    now: context.now,
  };
  const run = definition.validate as (
    input: string,
    options: unknown,
  ) => ValidationResult<unknown, string>;
  return run(input, options);
}

export {
  type Amount,
  type AmountFailureReason,
  type AmountOptions,
  type Currency,
  formatAmount,
  validateAmount,
} from './amount.js';
export { type CepFailureReason, type CepOptions, validateCep } from './cep.js';
export { type CnpjFailureReason, type CnpjOptions, formatCnpj, validateCnpj } from './cnpj.js';
export { type CpfFailureReason, type CpfOptions, formatCpf, validateCpf } from './cpf.js';
export {
  type DateFailureReason,
  type DateOptions,
  getCalendarDate,
  validateDate,
} from './date.js';
export { type EmailFailureReason, type EmailOptions, validateEmail } from './email.js';
export { type NifPtFailureReason, type NifPtOptions, validateNifPt } from './nif-pt.js';
export { type PhoneFailureReason, type PhoneOptions, validatePhone } from './phone.js';
export {
  type PostalCodePtFailureReason,
  type PostalCodePtOptions,
  validatePostalCodePt,
} from './postal-code-pt.js';
export {
  checkRegexPattern,
  type RegexFailureReason,
  type RegexOptions,
  validateRegex,
} from './regex.js';
export type {
  LocalizedText,
  ValidationFailure,
  ValidationResult,
  ValidationSuccess,
  ValidatorLocale,
} from './validation-result.js';
