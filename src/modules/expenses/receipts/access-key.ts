import { computeMod11CheckDigit } from '../../../shared/validators/check-digits.js';
import { validateCnpj } from '../../../shared/validators/cnpj.js';
import { validateCpf } from '../../../shared/validators/cpf.js';
import { stripLeadingLabel } from '../../../shared/validators/text.js';
import {
  type CommonFailureReason,
  fail,
  readInput,
  succeed,
  type ValidationResult,
} from '../../../shared/validators/validation-result.js';

/**
 * The 44-character access key (chave de acesso) of an NF-e / NFC-e, as printed under the QR
 * code and carried by every QR form. Layout (MOC 7.0, "Chave de Acesso"):
 *
 * | positions | field                                   |
 * | --------- | --------------------------------------- |
 * | 1–2       | cUF, the issuer's state (IBGE code)     |
 * | 3–6       | AAMM, year and month of emission        |
 * | 7–20      | issuer CNPJ (or `000` + CPF)            |
 * | 21–22     | model: 55 NF-e, 65 NFC-e                |
 * | 23–25     | series                                  |
 * | 26–34     | number (nNF)                            |
 * | 35        | emission type (tpEmis)                  |
 * | 36–43     | numeric code (cNF)                      |
 * | 44        | check digit: modulo 11, weights 2–9 from the right; remainder 0 or 1 gives 0 |
 *
 * From July 2026 the CNPJ may be alphanumeric (NT Conjunta 2025.001): positions 7–18 may hold
 * letters, and every character weighs its ASCII code − 48 in the check digit, as in the CNPJ's
 * own check digits (digits keep their value, so numeric keys are the same computation). An
 * issuer that is a person (rural producers, NT 2025.001) appears as `000` followed by the CPF.
 */

export type BrazilianState =
  | 'RO'
  | 'AC'
  | 'AM'
  | 'RR'
  | 'PA'
  | 'AP'
  | 'TO'
  | 'MA'
  | 'PI'
  | 'CE'
  | 'RN'
  | 'PB'
  | 'PE'
  | 'AL'
  | 'SE'
  | 'BA'
  | 'MG'
  | 'ES'
  | 'RJ'
  | 'SP'
  | 'PR'
  | 'SC'
  | 'RS'
  | 'MS'
  | 'MT'
  | 'GO'
  | 'DF';

/** IBGE state codes (cUF). */
export const stateByIbgeCode: Readonly<Record<string, BrazilianState>> = {
  '11': 'RO',
  '12': 'AC',
  '13': 'AM',
  '14': 'RR',
  '15': 'PA',
  '16': 'AP',
  '17': 'TO',
  '21': 'MA',
  '22': 'PI',
  '23': 'CE',
  '24': 'RN',
  '25': 'PB',
  '26': 'PE',
  '27': 'AL',
  '28': 'SE',
  '29': 'BA',
  '31': 'MG',
  '32': 'ES',
  '33': 'RJ',
  '35': 'SP',
  '41': 'PR',
  '42': 'SC',
  '43': 'RS',
  '50': 'MS',
  '51': 'MT',
  '52': 'GO',
  '53': 'DF',
};

/** Emission types (tpEmis) of NF-e 4.00. 8 is not used; 3 was SCAN, now the NFF special regime. */
export type EmissionType =
  | 'normal'
  | 'contingency-fs-ia'
  | 'special-regime-nff'
  | 'contingency-epec'
  | 'contingency-fs-da'
  | 'contingency-svc-an'
  | 'contingency-svc-rs'
  | 'contingency-offline';

const emissionTypes: Readonly<Record<string, EmissionType>> = {
  '1': 'normal',
  '2': 'contingency-fs-ia',
  '3': 'special-regime-nff',
  '4': 'contingency-epec',
  '5': 'contingency-fs-da',
  '6': 'contingency-svc-an',
  '7': 'contingency-svc-rs',
  '9': 'contingency-offline',
};

/** Fiscal documents that share the 44-character key but are not sales invoices. */
const otherModels: Readonly<Record<string, string>> = {
  '57': 'um CT-e (conhecimento de transporte)',
  '58': 'um MDF-e (manifesto de carga)',
  '59': 'um cupom fiscal SAT (CF-e)',
  '62': 'uma NFCom (nota de comunicação)',
  '63': 'um BP-e (bilhete de passagem)',
  '66': 'uma NF3e (nota de energia elétrica)',
  '67': 'um CT-e OS (transporte de pessoas)',
};
const otherModelsEn: Readonly<Record<string, string>> = {
  '57': 'a CT-e (transport document)',
  '58': 'an MDF-e (cargo manifest)',
  '59': 'a SAT fiscal coupon (CF-e)',
  '62': 'an NFCom (communication invoice)',
  '63': 'a BP-e (passenger ticket)',
  '66': 'an NF3e (electricity invoice)',
  '67': 'a CT-e OS (passenger transport)',
};

export type AccessKeyIssuer = { kind: 'cnpj'; cnpj: string } | { kind: 'cpf'; cpf: string };

export type DecodedAccessKey = {
  /** The 44 characters, upper case, no separators. */
  key: string;
  stateCode: string;
  state: BrazilianState;
  /** Year and month of emission (AAMM). */
  year: number;
  month: number;
  issuer: AccessKeyIssuer;
  model: '55' | '65';
  documentType: 'nfe' | 'nfce';
  series: number;
  number: number;
  emissionType: EmissionType;
  /** The tpEmis digit as in the key. */
  emissionTypeCode: string;
  /** cNF: the issuer's random code. */
  numericCode: string;
  checkDigit: number;
};

export type AccessKeyFailureReason =
  | CommonFailureReason
  | 'invalid-characters'
  | 'wrong-length'
  | 'check-digit'
  | 'invalid-state'
  | 'invalid-month'
  | 'invalid-year'
  | 'unsupported-model'
  | 'invalid-emission-type'
  | 'invalid-number'
  | 'invalid-issuer';

export type AccessKeyResult = ValidationResult<DecodedAccessKey, AccessKeyFailureReason>;

const field = { 'pt-BR': 'a chave de acesso', en: 'the access key' };
export const accessKeyLength = 44;

/** Weights 2–9 repeated from the rightmost of the 43 characters before the check digit. */
const checkDigitWeights = Array.from(
  { length: accessKeyLength - 1 },
  (_, index) => 2 + ((accessKeyLength - 2 - index) % 8),
);

/** The check digit of the first 43 characters (digits, or CNPJ letters as ASCII − 48). */
export function computeAccessKeyCheckDigit(first43: string): number {
  const values = [...first43.toUpperCase()].map((char) => char.charCodeAt(0) - 48);
  return computeMod11CheckDigit(values, checkDigitWeights);
}

/** Whether the 44 characters carry a matching check digit (no other check). */
export function hasValidAccessKeyCheckDigit(key: string): boolean {
  const compact = key.toUpperCase();
  if (!/^[0-9]{6}[0-9A-Z]{12}[0-9]{26}$/.test(compact)) return false;
  return computeAccessKeyCheckDigit(compact.slice(0, 43)) === Number(compact.slice(43));
}

/** `41200976…7452` → `4120 0976 … 7452`, the way DANFEs print it. */
export function formatAccessKey(key: string): string {
  return key.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Decodes and checks an access key. Accepts what people and pages show: groups of four
 * separated by spaces, dots or dashes, a leading "Chave de acesso:" and the `NFe` prefix of the
 * XML id. Checks run in the order a person can act on: characters, length, check digit (a
 * mistyped digit, the usual case), then the fields.
 */
export function decodeAccessKey(input: string): AccessKeyResult {
  const read = readInput(input, 100, field);
  if ('failure' in read) return read.failure;
  const text = stripLeadingLabel(read.text, ['chave de acesso', 'chave']).replace(/^nfe/i, '');
  if (!/^[\dA-Za-z\s./-]+$/.test(text)) {
    return fail('invalid-characters', {
      'pt-BR': 'A chave de acesso tem só números (44 dígitos), como aparece embaixo do QR Code.',
      en: 'An access key has digits only (44 of them), as printed under the QR code.',
    });
  }
  const key = text.replace(/[\s./-]/g, '').toUpperCase();
  if (key.length !== accessKeyLength) {
    return fail(
      'wrong-length',
      {
        'pt-BR': `A chave de acesso tem 44 dígitos; você enviou ${key.length}.`,
        en: `An access key has 44 digits; you sent ${key.length}.`,
      },
      { expected: accessKeyLength, received: key.length },
    );
  }
  // Letters may only stand where an alphanumeric CNPJ's first 12 characters are.
  if (!/^[0-9]{6}[0-9A-Z]{12}[0-9]{26}$/.test(key)) {
    return fail('invalid-characters', {
      'pt-BR': 'A chave de acesso tem só números (44 dígitos), como aparece embaixo do QR Code.',
      en: 'An access key has digits only (44 of them), as printed under the QR code.',
    });
  }
  const checkDigit = Number(key.slice(43));
  const expected = computeAccessKeyCheckDigit(key.slice(0, 43));
  if (checkDigit !== expected) {
    return fail(
      'check-digit',
      {
        'pt-BR':
          'O dígito verificador da chave de acesso não confere: algum número está errado. Confira a chave e envie de novo.',
        en: 'The check digit of the access key does not match: some digit is wrong. Please check the key and send it again.',
      },
      { expected, received: checkDigit },
    );
  }
  const stateCode = key.slice(0, 2);
  const state = stateByIbgeCode[stateCode];
  if (!state) {
    return fail(
      'invalid-state',
      {
        'pt-BR': `A chave começa com ${stateCode}, que não é o código de nenhum estado.`,
        en: `The key starts with ${stateCode}, which is no state's code.`,
      },
      { stateCode },
    );
  }
  const yearDigits = Number(key.slice(2, 4));
  const month = Number(key.slice(4, 6));
  if (month < 1 || month > 12) {
    return fail(
      'invalid-month',
      {
        'pt-BR': `A chave indica o mês ${key.slice(4, 6)}, que não existe.`,
        en: `The key gives month ${key.slice(4, 6)}, which does not exist.`,
      },
      { month: key.slice(4, 6) },
    );
  }
  // The NF-e started in 2006; no key has an earlier year.
  if (yearDigits < 6) {
    return fail(
      'invalid-year',
      {
        'pt-BR': `A chave indica o ano 20${key.slice(2, 4)}, antes de existir nota fiscal eletrônica.`,
        en: `The key gives the year 20${key.slice(2, 4)}, before electronic invoices existed.`,
      },
      { year: 2000 + yearDigits },
    );
  }
  const model = key.slice(20, 22);
  if (model !== '55' && model !== '65') {
    const other = otherModels[model];
    return fail(
      'unsupported-model',
      {
        'pt-BR': other
          ? `Essa chave é de ${other}, modelo ${model}, não de uma nota fiscal de compra.`
          : `Essa chave é de um documento modelo ${model}; só notas fiscais (NFC-e, modelo 65, ou NF-e, modelo 55) valem aqui.`,
        en: other
          ? `That key belongs to ${otherModelsEn[model]}, model ${model}, not a purchase invoice.`
          : `That key belongs to a model ${model} document; only invoices (NFC-e, model 65, or NF-e, model 55) count here.`,
      },
      { model },
    );
  }
  const emissionTypeCode = key.slice(34, 35);
  const emissionType = emissionTypes[emissionTypeCode];
  if (!emissionType) {
    return fail(
      'invalid-emission-type',
      {
        'pt-BR': `A chave indica o tipo de emissão ${emissionTypeCode}, que não existe.`,
        en: `The key gives emission type ${emissionTypeCode}, which does not exist.`,
      },
      { emissionType: emissionTypeCode },
    );
  }
  const number = Number(key.slice(25, 34));
  if (number === 0) {
    return fail('invalid-number', {
      'pt-BR': 'A chave indica a nota número 0, que não existe.',
      en: 'The key gives invoice number 0, which does not exist.',
    });
  }
  const issuer = readIssuer(key.slice(6, 20));
  if (!issuer) {
    return fail(
      'invalid-issuer',
      {
        'pt-BR': `O CNPJ do emitente dentro da chave (${key.slice(6, 20)}) não é válido.`,
        en: `The issuer's CNPJ inside the key (${key.slice(6, 20)}) is not valid.`,
      },
      { issuer: key.slice(6, 20) },
    );
  }
  return succeed(
    {
      key,
      stateCode,
      state,
      year: 2000 + yearDigits,
      month,
      issuer,
      model,
      documentType: model === '65' ? 'nfce' : 'nfe',
      series: Number(key.slice(22, 25)),
      number,
      emissionType,
      emissionTypeCode,
      numericCode: key.slice(35, 43),
      checkDigit,
    },
    formatAccessKey(key),
  );
}

/** The issuer field: a CNPJ, or `000` and a CPF (a person issuing, e.g. a rural producer). */
function readIssuer(document: string): AccessKeyIssuer | undefined {
  const cnpj = validateCnpj(document);
  if (cnpj.ok) return { kind: 'cnpj', cnpj: cnpj.value };
  if (document.startsWith('000')) {
    const cpf = validateCpf(document.slice(3));
    if (cpf.ok) return { kind: 'cpf', cpf: cpf.value };
  }
  return undefined;
}
