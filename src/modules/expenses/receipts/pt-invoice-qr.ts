import { validateNifPt } from '../../../shared/validators/nif-pt.js';
import {
  type CommonFailureReason,
  fail,
  succeed,
  type ValidationFailure,
  type ValidationResult,
} from '../../../shared/validators/validation-result.js';
import { parseDotDecimalToCents } from './amounts.js';

/**
 * The QR code of a Portuguese invoice (Autoridade Tributária, "Especificações Técnicas Código
 * QR", Portaria 195/2020): `A:…*B:…*…`, fields separated by `*`, each `CODE:value`.
 *
 * | code  | field                                                                          |
 * | ----- | ------------------------------------------------------------------------------ |
 * | A     | issuer NIF                                                                     |
 * | B     | buyer tax id (999999990 = final consumer; a foreign id when C is not PT)       |
 * | C     | buyer's country (ISO 3166-1 alpha-2, or "Desconhecido")                        |
 * | D     | document type (FT, FS, FR, NC, ND, GT, PF, …)                                  |
 * | E     | document status (N normal, S self-billing, A cancelled, R summary, F invoiced) |
 * | F     | date, YYYYMMDD                                                                 |
 * | G     | unique document id ("FT AB2019/0035")                                          |
 * | H     | ATCUD                                                                          |
 * | I1–I8 | tax region (PT, PT-AC, PT-MA, a country, or 0 for none); exempt base; reduced, |
 * |       | intermediate and normal rate base and VAT                                      |
 * | J1–J8 | a second tax region, same layout                                               |
 * | K1–K8 | a third tax region, same layout                                                |
 * | L     | not subject to / not taxed in VAT                                              |
 * | M     | stamp duty                                                                     |
 * | N     | total taxes                                                                    |
 * | O     | gross total (with taxes)                                                       |
 * | P     | withholding tax                                                                |
 * | Q     | 4 characters of the document's hash                                            |
 * | R     | software certificate number                                                    |
 * | S     | other information                                                              |
 *
 * Amounts are written `12000.00` and returned as integer cents (euro).
 */

export type PtTaxRegion = {
  /** PT, PT-AC (Açores), PT-MA (Madeira) or a country code. */
  region: string;
  exemptBase?: number;
  reducedRateBase?: number;
  reducedRateVat?: number;
  intermediateRateBase?: number;
  intermediateRateVat?: number;
  normalRateBase?: number;
  normalRateVat?: number;
};

export type PtInvoiceQr = {
  issuerNif: string;
  buyerTaxId: string;
  buyerCountry: string;
  /** True when the buyer is the anonymous final consumer (999999990). */
  isFinalConsumer: boolean;
  documentType: string;
  /** Portuguese name of the document type, when it is one the specification lists. */
  documentTypeName?: string;
  documentStatus: string;
  /** ISO date (YYYY-MM-DD). */
  date: string;
  documentId: string;
  atcud: string;
  /** Empty when I1 is 0 (a document with no taxes, such as a transport guide). */
  taxRegions: PtTaxRegion[];
  nonTaxable?: number;
  stampDuty?: number;
  totalTaxes: number;
  grossTotal: number;
  withholding?: number;
  hashCharacters: string;
  certificateNumber: string;
  otherInfo?: string;
  currency: 'EUR';
  /**
   * Sums that do not add up (N ≠ VAT of every region + stamp duty; O ≠ bases + L + N). The
   * issuer's software computed them; reported, not refused.
   */
  inconsistencies: Array<'total-taxes' | 'gross-total'>;
  /** Every field as written, by code. */
  fields: Record<string, string>;
};

export type PtInvoiceQrFailureReason =
  | CommonFailureReason
  | 'not-pt-invoice'
  | 'malformed-field'
  | 'unknown-field'
  | 'duplicate-field'
  | 'missing-field'
  | 'invalid-issuer-nif'
  | 'invalid-buyer-nif'
  | 'invalid-date'
  | 'invalid-amount'
  | 'invalid-field';

export type PtInvoiceQrResult = ValidationResult<PtInvoiceQr, PtInvoiceQrFailureReason>;
type Failure = ValidationFailure<PtInvoiceQrFailureReason>;

const maxQrLength = 1000;

const documentTypeNames: Readonly<Record<string, string>> = {
  FT: 'Fatura',
  FS: 'Fatura simplificada',
  FR: 'Fatura-recibo',
  ND: 'Nota de débito',
  NC: 'Nota de crédito',
  RC: 'Recibo (regime de IVA de caixa)',
  RG: 'Recibo',
  GR: 'Guia de remessa',
  GT: 'Guia de transporte',
  GA: 'Guia de movimentação de ativos próprios',
  GC: 'Guia de consignação',
  GD: 'Guia de devolução',
  CM: 'Consulta de mesa',
  CC: 'Crédito de consignação',
  FC: 'Fatura de consignação',
  FO: 'Folha de obra',
  NE: 'Nota de encomenda',
  OU: 'Outro documento',
  OR: 'Orçamento',
  PF: 'Fatura pró-forma',
  RP: 'Prémio ou recibo de prémio',
  RE: 'Estorno ou recibo de estorno',
  CS: 'Imputação a co-seguradoras',
  LD: 'Imputação a co-seguradora líder',
  RA: 'Resseguro aceite',
};

const regionFieldNames = [
  'exemptBase',
  'reducedRateBase',
  'reducedRateVat',
  'intermediateRateBase',
  'intermediateRateVat',
  'normalRateBase',
  'normalRateVat',
] as const;

const knownCodes = new Set([
  ...'ABCDEFGH'.split(''),
  ...['I', 'J', 'K'].flatMap((group) => [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `${group}${n}`)),
  ...'LMNOPQRS'.split(''),
]);
const requiredCodes = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I1', 'N', 'O', 'Q', 'R'];
const maxLengths: Readonly<Record<string, number>> = {
  A: 9,
  B: 30,
  C: 12,
  D: 2,
  E: 1,
  F: 8,
  G: 60,
  H: 70,
  I1: 5,
  J1: 5,
  K1: 5,
  Q: 4,
  R: 4,
  S: 65,
};

export function parsePtInvoiceQr(input: string): PtInvoiceQrResult {
  if (input.length > maxQrLength) {
    return fail(
      'too-long',
      {
        'pt-BR': 'Esse texto é longo demais para ser o QR Code de uma fatura portuguesa.',
        en: 'That text is too long to be a Portuguese invoice QR code.',
      },
      { maxLength: maxQrLength, received: input.length },
    );
  }
  // Spaces are part of values ("FT AB2019/0035"); only line breaks a reader adds go.
  const text = input.replace(/[\r\n]+/g, '').trim();
  if (text === '') {
    return fail('empty', { 'pt-BR': 'O QR Code está vazio.', en: 'The QR code is empty.' });
  }
  if (!/^A:[^*]*\*B:/.test(text)) {
    return fail(
      'not-pt-invoice',
      {
        'pt-BR': 'Esse QR Code não é de uma fatura portuguesa (começaria por "A:" e o NIF).',
        en: 'That QR code is not from a Portuguese invoice (it would start with "A:" and the NIF).',
      },
      { detected: 'other' },
    );
  }

  const fields = new Map<string, string>();
  for (const segment of text.split('*')) {
    const separator = segment.indexOf(':');
    if (separator <= 0) return malformed(segment);
    const code = segment.slice(0, separator);
    const value = segment.slice(separator + 1);
    if (!knownCodes.has(code)) {
      return fail(
        'unknown-field',
        {
          'pt-BR': `O QR Code tem um campo "${code.slice(0, 10)}" que a especificação da AT não tem.`,
          en: `The QR code has a field "${code.slice(0, 10)}" that the AT specification does not.`,
        },
        { field: code.slice(0, 10) },
      );
    }
    if (fields.has(code)) {
      return fail(
        'duplicate-field',
        {
          'pt-BR': `O campo ${code} aparece duas vezes no QR Code.`,
          en: `Field ${code} appears twice in the QR code.`,
        },
        { field: code },
      );
    }
    const maxLength = maxLengths[code] ?? 16;
    if (value === '' || value.length > maxLength) {
      return invalidField(code, value === '' ? 'vazio' : `mais de ${maxLength} caracteres`);
    }
    fields.set(code, value);
  }
  for (const code of requiredCodes) {
    if (!fields.has(code)) {
      return fail(
        'missing-field',
        {
          'pt-BR': `Falta o campo ${code} no QR Code da fatura; ele pode ter sido lido pela metade.`,
          en: `Field ${code} is missing from the invoice QR code; it may have been read partially.`,
        },
        { field: code },
      );
    }
  }
  const get = (code: string) => fields.get(code) ?? '';

  const issuer = validateNifPt(get('A'));
  if (!issuer.ok) {
    return fail('invalid-issuer-nif', {
      'pt-BR': `O NIF do emitente (${get('A')}) não é válido: ${issuer.message['pt-BR']}`,
      en: `The issuer's NIF (${get('A')}) is not valid: ${issuer.message.en}`,
    });
  }
  const buyerCountry = get('C');
  if (!/^(?:[A-Z]{2}|Desconhecido)$/.test(buyerCountry)) return invalidField('C', buyerCountry);
  const buyerTaxId = get('B');
  if (buyerCountry === 'PT') {
    const buyer = validateNifPt(buyerTaxId);
    if (!buyer.ok) {
      return fail('invalid-buyer-nif', {
        'pt-BR': `O NIF do adquirente (${buyerTaxId}) não é válido: ${buyer.message['pt-BR']}`,
        en: `The buyer's NIF (${buyerTaxId}) is not valid: ${buyer.message.en}`,
      });
    }
  }
  const documentType = get('D');
  if (!/^[A-Z]{2}$/.test(documentType)) return invalidField('D', documentType);
  const documentStatus = get('E');
  if (!/^[A-Z]$/.test(documentStatus)) return invalidField('E', documentStatus);
  const date = readDate(get('F'));
  if (!date) {
    return fail(
      'invalid-date',
      {
        'pt-BR': `A data da fatura (${get('F')}) não é uma data válida (AAAAMMDD).`,
        en: `The invoice date (${get('F')}) is not a valid date (YYYYMMDD).`,
      },
      { received: get('F') },
    );
  }

  const amounts = new Map<string, number>();
  for (const [code, value] of fields) {
    if (!/^(?:[IJK][2-8]|[LMNOP])$/.test(code)) continue;
    const cents = parseDotDecimalToCents(value);
    if (cents === undefined) {
      return fail(
        'invalid-amount',
        {
          'pt-BR': `O valor do campo ${code} (${value}) não é um montante válido (como 12.50).`,
          en: `Field ${code} (${value}) is not a valid amount (like 12.50).`,
        },
        { field: code, received: value },
      );
    }
    amounts.set(code, cents);
  }

  const taxRegions: PtTaxRegion[] = [];
  for (const group of ['I', 'J', 'K']) {
    const region = fields.get(`${group}1`);
    const hasAmounts = [2, 3, 4, 5, 6, 7, 8].some((n) => fields.has(`${group}${n}`));
    if (region === undefined) {
      if (hasAmounts) return invalidField(`${group}1`, 'ausente');
      continue;
    }
    if (region === '0') {
      if (hasAmounts || group !== 'I') return invalidField(`${group}1`, region);
      continue;
    }
    if (!/^(?:PT-AC|PT-MA|[A-Z]{2})$/.test(region)) return invalidField(`${group}1`, region);
    const entry: PtTaxRegion = { region };
    regionFieldNames.forEach((name, index) => {
      const cents = amounts.get(`${group}${index + 2}`);
      if (cents !== undefined) entry[name] = cents;
    });
    taxRegions.push(entry);
  }

  const hashCharacters = get('Q');
  if (!/^[A-Za-z0-9+/=]{4}$/.test(hashCharacters) && hashCharacters !== '0') {
    return invalidField('Q', hashCharacters);
  }
  const certificateNumber = get('R');
  if (!/^\d{1,4}$/.test(certificateNumber)) return invalidField('R', certificateNumber);

  const totalTaxes = amounts.get('N') ?? 0;
  const grossTotal = amounts.get('O') ?? 0;
  const vat = taxRegions.reduce(
    (sum, region) =>
      sum +
      (region.reducedRateVat ?? 0) +
      (region.intermediateRateVat ?? 0) +
      (region.normalRateVat ?? 0),
    0,
  );
  const bases = taxRegions.reduce(
    (sum, region) =>
      sum +
      (region.exemptBase ?? 0) +
      (region.reducedRateBase ?? 0) +
      (region.intermediateRateBase ?? 0) +
      (region.normalRateBase ?? 0),
    0,
  );
  const inconsistencies: PtInvoiceQr['inconsistencies'] = [];
  if (vat + (amounts.get('M') ?? 0) !== totalTaxes) inconsistencies.push('total-taxes');
  if (bases + (amounts.get('L') ?? 0) + totalTaxes !== grossTotal) {
    inconsistencies.push('gross-total');
  }

  const invoice: PtInvoiceQr = {
    issuerNif: issuer.value,
    buyerTaxId,
    buyerCountry,
    isFinalConsumer: buyerTaxId === '999999990',
    documentType,
    documentStatus,
    date,
    documentId: get('G'),
    atcud: get('H'),
    taxRegions,
    totalTaxes,
    grossTotal,
    hashCharacters,
    certificateNumber,
    currency: 'EUR',
    inconsistencies,
    fields: Object.fromEntries(fields),
  };
  const typeName = documentTypeNames[documentType];
  if (typeName) invoice.documentTypeName = typeName;
  const optional = { L: 'nonTaxable', M: 'stampDuty', P: 'withholding' } as const;
  for (const [code, name] of Object.entries(optional)) {
    const cents = amounts.get(code);
    if (cents !== undefined) invoice[name] = cents;
  }
  const otherInfo = fields.get('S');
  if (otherInfo !== undefined) invoice.otherInfo = otherInfo;
  return succeed(invoice, `${invoice.documentId} · ${formatEuro(grossTotal)}`);
}

function readDate(text: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [, year = '', month = '', day = ''] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    date.getUTCFullYear() !== Number(year) ||
    date.getUTCMonth() !== Number(month) - 1 ||
    date.getUTCDate() !== Number(day)
  ) {
    return undefined;
  }
  return `${year}-${month}-${day}`;
}

function formatEuro(cents: number): string {
  const whole = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${whole},${String(cents % 100).padStart(2, '0')} €`;
}

function malformed(segment: string): Failure {
  return fail(
    'malformed-field',
    {
      'pt-BR': `Um trecho do QR Code ("${segment.slice(0, 20)}") não está no formato CÓDIGO:valor.`,
      en: `Part of the QR code ("${segment.slice(0, 20)}") is not in the CODE:value format.`,
    },
    { received: segment.slice(0, 20) },
  );
}

function invalidField(code: string, received: string): Failure {
  return fail(
    'invalid-field',
    {
      'pt-BR': `O campo ${code} do QR Code da fatura tem um valor inválido (${received.slice(0, 30)}).`,
      en: `Field ${code} of the invoice QR code has an invalid value (${received.slice(0, 30)}).`,
    },
    { field: code, received: received.slice(0, 30) },
  );
}
