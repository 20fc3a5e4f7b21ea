import { AppError } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../shared/error-codes.js';
import type { LocalizedText } from '../../shared/validators/validation-result.js';

/**
 * Everything a traveller reads from this module, in pt-BR (default), pt-PT and English. The
 * API returns the same sentences (`details.userMessage`) so the dashboard and the flows say the
 * same thing.
 */

export type ExpensesLocale = 'pt-BR' | 'pt-PT' | 'en';
export const expensesLocales = ['pt-BR', 'pt-PT', 'en'] as const;

export type Phrase = Record<ExpensesLocale, string>;

/** Fills `{name}` placeholders; unknown ones stay visible (a defect shows, never vanishes). */
export function fill(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** A phrase in every locale; a value may itself be a phrase (a locale's words for each). */
export function render(phrase: Phrase, values: Record<string, string | Phrase> = {}): Phrase {
  const valuesIn = (locale: ExpensesLocale) =>
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : value[locale],
      ]),
    );
  return {
    'pt-BR': fill(phrase['pt-BR'], valuesIn('pt-BR')),
    'pt-PT': fill(phrase['pt-PT'], valuesIn('pt-PT')),
    en: fill(phrase.en, valuesIn('en')),
  };
}

/** The parsers' and validators' `{ 'pt-BR', en }` messages; Portugal reads the Brazilian one. */
export function fromLocalized(text: LocalizedText): Phrase {
  return { 'pt-BR': text['pt-BR'], 'pt-PT': text['pt-BR'], en: text.en };
}

export const texts = {
  emailTaken: {
    'pt-BR': 'O e-mail {email} já está cadastrado. Use outro e-mail corporativo, por favor.',
    'pt-PT': 'O e-mail {email} já está registado. Use outro e-mail empresarial, por favor.',
    en: 'The e-mail {email} is already registered. Please use another corporate e-mail.',
  },
  alreadyRegistered: {
    'pt-BR': 'Você já está cadastrado como {name} ({email}).',
    'pt-PT': 'Já está registado como {name} ({email}).',
    en: 'You are already registered as {name} ({email}).',
  },
  notRegistered: {
    'pt-BR': 'Ainda não encontrei seu cadastro. Vamos fazê-lo primeiro?',
    'pt-PT': 'Ainda não encontrei o seu registo. Vamos fazê-lo primeiro?',
    en: 'I could not find your registration yet. Shall we do it first?',
  },
  activeTripExists: {
    'pt-BR':
      'Você já tem uma viagem ativa para {destination} (centro de custo {costCentre}), iniciada em {date}. Encerre-a antes de iniciar outra.',
    'pt-PT':
      'Já tem uma viagem ativa para {destination} (centro de custo {costCentre}), iniciada a {date}. Termine-a antes de iniciar outra.',
    en: 'You already have an active trip to {destination} (cost centre {costCentre}), started on {date}. End it before starting another.',
  },
  receiptNotFound: {
    'pt-BR': 'Não encontrei essa nota. Envie a foto de novo, por favor.',
    'pt-PT': 'Não encontrei essa fatura. Envie a fotografia de novo, por favor.',
    en: 'I could not find that receipt. Please send the photo again.',
  },
  amountAlreadyKnown: {
    'pt-BR': 'Essa nota já tem o valor registrado.',
    'pt-PT': 'Essa fatura já tem o valor registado.',
    en: 'That receipt already has its amount.',
  },
  amountNotPositive: {
    'pt-BR': 'O valor precisa ser maior que zero.',
    'pt-PT': 'O valor tem de ser maior que zero.',
    en: 'The amount must be greater than zero.',
  },
  noActiveTrip: {
    'pt-BR': 'Você não tem nenhuma viagem ativa. Inicie uma viagem antes de registrar notas.',
    'pt-PT': 'Não tem nenhuma viagem ativa. Inicie uma viagem antes de registar faturas.',
    en: 'You have no active trip. Start a trip before registering receipts.',
  },
  tripClosed: {
    'pt-BR': 'A viagem para {destination} já foi encerrada em {date}; não aceita mais notas.',
    'pt-PT': 'A viagem para {destination} já terminou a {date}; não aceita mais faturas.',
    en: 'The trip to {destination} was ended on {date}; it takes no more receipts.',
  },
  tripAlreadyClosed: {
    'pt-BR': 'A viagem para {destination} já foi encerrada em {date}.',
    'pt-PT': 'A viagem para {destination} já terminou a {date}.',
    en: 'The trip to {destination} was already ended on {date}.',
  },
  noQrFound: {
    'pt-BR':
      'Não encontrei um QR code de nota fiscal nesta foto. Tire outra foto com o QR code inteiro, nítido e bem iluminado, ou digite os dados da nota.',
    'pt-PT':
      'Não encontrei um código QR de fatura nesta fotografia. Tire outra com o código QR inteiro, nítido e bem iluminado, ou escreva os dados da fatura.',
    en: 'I could not find an invoice QR code in this photo. Take another one with the whole QR code sharp and well lit, or type the receipt in.',
  },
  notAPhoto: {
    'pt-BR': 'Envie uma foto (JPG ou PNG) do QR code da nota, por favor; recebi {received}.',
    'pt-PT':
      'Envie uma fotografia (JPG ou PNG) do código QR da fatura, por favor; recebi {received}.',
    en: 'Please send a photo (JPG or PNG) of the receipt’s QR code; I received {received}.',
  },
  receivedPdf: { 'pt-BR': 'um PDF', 'pt-PT': 'um PDF', en: 'a PDF' },
  receivedImage: {
    'pt-BR': 'uma imagem {format}',
    'pt-PT': 'uma imagem {format}',
    en: 'a {format} image',
  },
  receivedOther: {
    'pt-BR': 'um arquivo que não é uma imagem',
    'pt-PT': 'um ficheiro que não é uma imagem',
    en: 'a file that is not an image',
  },
  receivedBroken: {
    'pt-BR': 'uma imagem que não consegui abrir',
    'pt-PT': 'uma imagem que não consegui abrir',
    en: 'an image I could not open',
  },
  photoTooLarge: {
    'pt-BR': 'A foto tem {size}; envie uma foto de até {max}, por favor.',
    'pt-PT': 'A fotografia tem {size}; envie uma de até {max}, por favor.',
    en: 'The photo is {size}; please send one of up to {max}.',
  },
  photoOverLimit: {
    'pt-BR': 'A foto passa de {max}; envie uma foto de até {max}, por favor.',
    'pt-PT': 'A fotografia passa de {max}; envie uma de até {max}, por favor.',
    en: 'The photo is over {max}; please send one of up to {max}.',
  },
  photoNotAvailable: {
    'pt-BR': 'Não consegui receber a foto. Envie de novo, por favor.',
    'pt-PT': 'Não consegui receber a fotografia. Envie-a de novo, por favor.',
    en: 'I could not receive the photo. Please send it again.',
  },
  homologation: {
    'pt-BR':
      'Esta nota é de homologação (um teste da Sefaz, sem valor fiscal) e não pode ser lançada como despesa.',
    'pt-PT':
      'Esta nota é de homologação (um teste, sem valor fiscal) e não pode ser lançada como despesa.',
    en: 'This is a homologation (test) receipt with no fiscal value; it cannot be an expense.',
  },
  duplicate: {
    'pt-BR': 'Esta nota já foi registrada em {date}.',
    'pt-PT': 'Esta fatura já foi registada a {date}.',
    en: 'This receipt was already registered on {date}.',
  },
  amountSet: {
    'pt-BR': 'Anotei {amount} para a nota de {issuer}.',
    'pt-PT': 'Registei {amount} para a fatura de {issuer}.',
    en: 'I noted {amount} for the receipt from {issuer}.',
  },
  receivedParsed: {
    'pt-BR': 'Recebi sua nota de {amount} de {issuer}.',
    'pt-PT': 'Recebi a sua fatura de {amount} de {issuer}.',
    en: 'I received your receipt of {amount} from {issuer}.',
  },
  receivedPending: {
    'pt-BR':
      'Recebi sua nota de {issuer}. Estou consultando o valor na Sefaz e aviso assim que confirmar.',
    'pt-PT':
      'Recebi a sua nota de {issuer}. Estou a consultar o valor na Sefaz e aviso assim que for confirmado.',
    en: 'I received your receipt from {issuer}. I am checking the amount with the tax authority and will let you know once it is confirmed.',
  },
  receivedPendingDeclared: {
    'pt-BR':
      'Recebi sua nota de {issuer}; o QR code indica {amount}. Aviso assim que a Sefaz confirmar o valor.',
    'pt-PT':
      'Recebi a sua nota de {issuer}; o código QR indica {amount}. Aviso assim que a Sefaz confirmar o valor.',
    en: 'I received your receipt from {issuer}; its QR code says {amount}. I will let you know once the tax authority confirms it.',
  },
  receivedNeedsAmount: {
    'pt-BR':
      'Recebi sua nota de {issuer}, mas não consegui ler o valor na Sefaz. Envie o valor, por favor.',
    'pt-PT':
      'Recebi a sua nota de {issuer}, mas não consegui ler o valor na Sefaz. Envie o valor, por favor.',
    en: 'I received your receipt from {issuer}, but I could not read its amount. Please send the amount.',
  },
  receivedManual: {
    'pt-BR': 'Registrei sua despesa de {amount} em {date}: {description}.',
    'pt-PT': 'Registei a sua despesa de {amount} a {date}: {description}.',
    en: 'I registered your expense of {amount} on {date}: {description}.',
  },
  confirmedLater: {
    'pt-BR': 'Sua nota de {issuer} foi confirmada: {amount}.',
    'pt-PT': 'A sua nota de {issuer} foi confirmada: {amount}.',
    en: 'Your receipt from {issuer} was confirmed: {amount}.',
  },
  needsAmountLater: {
    'pt-BR': 'Não consegui ler o valor da nota de {issuer} na Sefaz. Envie o valor, por favor.',
    'pt-PT': 'Não consegui ler o valor da nota de {issuer} na Sefaz. Envie o valor, por favor.',
    en: 'I could not read the amount of the receipt from {issuer}. Please send the amount.',
  },
  issuerCnpj: { 'pt-BR': 'CNPJ {taxId}', 'pt-PT': 'CNPJ {taxId}', en: 'CNPJ {taxId}' },
  issuerNif: { 'pt-BR': 'NIF {taxId}', 'pt-PT': 'NIF {taxId}', en: 'NIF {taxId}' },
  noReceipts: {
    'pt-BR': 'Nenhuma despesa ainda.',
    'pt-PT': 'Nenhuma despesa ainda.',
    en: 'No expenses yet.',
  },
  awaiting: {
    'pt-BR': 'aguardando confirmação',
    'pt-PT': 'a aguardar confirmação',
    en: 'awaiting confirmation',
  },
  amountMissing: {
    'pt-BR': 'valor a informar',
    'pt-PT': 'valor por indicar',
    en: 'amount to be given',
  },
  tripSummary: {
    'pt-BR':
      'Viagem para {destination} encerrada. {count} despesa(s), total {total}. Os relatórios em PDF e Excel seguem em seguida.',
    'pt-PT':
      'Viagem para {destination} terminada. {count} despesa(s), total {total}. Os relatórios em PDF e Excel seguem de seguida.',
    en: 'Trip to {destination} ended. {count} expense(s), total {total}. The PDF and Excel reports follow.',
  },
  tripSummaryNoReports: {
    'pt-BR': 'Viagem para {destination} encerrada. {count} despesa(s), total {total}.',
    'pt-PT': 'Viagem para {destination} terminada. {count} despesa(s), total {total}.',
    en: 'Trip to {destination} ended. {count} expense(s), total {total}.',
  },
  unconfirmedNote: {
    'pt-BR': '{count} nota(s) ainda sem valor confirmado.',
    'pt-PT': '{count} nota(s) ainda sem valor confirmado.',
    en: '{count} receipt(s) still without a confirmed amount.',
  },
} satisfies Record<string, Phrase>;

/**
 * A refusal a person can act on: an `AppError` for the API (English message, HTTP status from
 * `code`) that also carries a stable `reason` and the sentence in every locale, for the flows
 * (`ActionError`) and the dashboard (`details.userMessage`).
 */
export class ExpenseRefusal extends AppError {
  readonly reason: string;
  readonly userMessage: Phrase;

  constructor(
    code: ErrorCode,
    reason: string,
    userMessage: Phrase,
    facts: Record<string, unknown> = {},
  ) {
    super(code, userMessage.en, { reason, userMessage, ...facts });
    this.name = 'ExpenseRefusal';
    this.reason = reason;
    this.userMessage = userMessage;
  }
}

export function isExpenseRefusal(error: unknown): error is ExpenseRefusal {
  return error instanceof ExpenseRefusal;
}

const timeZoneByLocale: Record<ExpensesLocale, string> = {
  'pt-BR': 'America/Sao_Paulo',
  'pt-PT': 'Europe/Lisbon',
  en: 'America/Sao_Paulo',
};

/** `10/03/2026`: a moment as the day it was where the traveller is. */
export function formatDay(moment: Date, timeZone = timeZoneByLocale['pt-BR']): string {
  return new Intl.DateTimeFormat('pt-BR', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(moment);
}

/** `2026-03-10` → `10/03/2026` (a calendar day, no time zone involved). */
export function formatIsoDay(day: string): string {
  const [year, month, dayOfMonth] = day.split('-');
  return `${dayOfMonth}/${month}/${year}`;
}
