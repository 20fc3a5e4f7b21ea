import { formatAmount, formatCnpj, formatCpf } from '../../../shared/validators/index.js';
import {
  getReportTimeZone,
  type ReportCurrency,
  type ReportKind,
  type ReportLocale,
  type ReportReceipt,
  type ReportReceiptSource,
  type ReportReceiptStatus,
  type TripReportModel,
} from './report-model.js';

/**
 * Words and formats shared by the PDF and the spreadsheet: what a traveller and their company
 * read, in pt-BR and pt-PT. Dates are day/month/year in both; money is `R$ 1.234,56` and
 * `12,30 €`, as the bot writes it.
 */

export type ReportLabels = {
  title: string;
  traveller: string;
  company: string;
  email: string;
  destination: string;
  costCentre: string;
  days: string;
  startedAt: string;
  closedAt: string;
  tripStillOpen: string;
  generatedAt: string;
  receiptsTitle: string;
  itemsTitle: string;
  columns: {
    number: string;
    date: string;
    issuer: string;
    taxId: string;
    source: string;
    status: string;
    currency: string;
    total: string;
  };
  itemColumns: {
    receipt: string;
    description: string;
    quantity: string;
    unit: string;
    unitPrice: string;
    total: string;
  };
  totalsTitle: string;
  totalIn: Record<ReportCurrency, string>;
  noReceipts: string;
  noItems: string;
  unknownIssuer: string;
  missingValue: string;
  page: string;
  sources: Record<ReportReceiptSource, string>;
  statuses: Record<ReportReceiptStatus, string>;
  describeDays(days: number): string;
  describeReceiptCount(count: number): string;
  describeWithoutAmount(count: number): string;
  describeGeneratedAt(date: string, time: string): string;
};

const brazilian: ReportLabels = {
  title: 'Relatório de despesas',
  traveller: 'Viajante',
  company: 'Empresa',
  email: 'E-mail',
  destination: 'Destino',
  costCentre: 'Centro de custo',
  days: 'Dias',
  startedAt: 'Início',
  closedAt: 'Encerramento',
  tripStillOpen: 'viagem em andamento',
  generatedAt: 'Gerado em',
  receiptsTitle: 'Despesas',
  itemsTitle: 'Itens',
  columns: {
    number: 'Nº',
    date: 'Data',
    issuer: 'Emitente',
    taxId: 'CNPJ/NIF',
    source: 'Origem',
    status: 'Situação',
    currency: 'Moeda',
    total: 'Total',
  },
  itemColumns: {
    receipt: 'Despesa nº',
    description: 'Descrição',
    quantity: 'Quantidade',
    unit: 'Unidade',
    unitPrice: 'Preço unitário',
    total: 'Total',
  },
  totalsTitle: 'Totais',
  totalIn: { BRL: 'Total em reais (BRL)', EUR: 'Total em euros (EUR)' },
  noReceipts: 'Nenhuma despesa registrada nesta viagem.',
  noItems: 'Nenhuma despesa desta viagem tem itens detalhados.',
  unknownIssuer: 'Emitente ainda não identificado',
  missingValue: '—',
  page: 'Página',
  sources: { nfce: 'NFC-e', 'pt-invoice': 'Fatura (AT)', manual: 'Manual' },
  statuses: {
    parsed: 'Confirmada',
    pending: 'Aguardando consulta',
    'needs-amount': 'Sem valor',
    manual: 'Informada',
  },
  describeDays: (days) => (days === 1 ? '1 dia' : `${days} dias`),
  describeReceiptCount: (count) => (count === 1 ? '1 despesa' : `${count} despesas`),
  describeWithoutAmount: (count) =>
    count === 1
      ? '1 despesa ainda sem valor não entra no total.'
      : `${count} despesas ainda sem valor não entram no total.`,
  describeGeneratedAt: (date, time) => `Gerado em ${date} às ${time}`,
};

const european: ReportLabels = {
  ...brazilian,
  tripStillOpen: 'viagem em curso',
  columns: { ...brazilian.columns, number: 'N.º', status: 'Estado' },
  itemColumns: { ...brazilian.itemColumns, receipt: 'Despesa n.º' },
  noReceipts: 'Nenhuma despesa registada nesta viagem.',
  statuses: {
    parsed: 'Confirmada',
    pending: 'A aguardar consulta',
    'needs-amount': 'Sem valor',
    manual: 'Indicada',
  },
};

export const reportLabels: Record<ReportLocale, ReportLabels> = {
  'pt-BR': brazilian,
  'pt-PT': european,
};

export type LocalDateTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
};

const localFormatters = new Map<string, Intl.DateTimeFormat>();

function getLocalFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = localFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    localFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function readLocalDateTime(date: Date, timeZone: string): LocalDateTime {
  const result: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const part of getLocalFormatter(timeZone).formatToParts(date)) {
    if (part.type === 'year') result.year = Number(part.value);
    else if (part.type === 'month') result.month = Number(part.value);
    else if (part.type === 'day') result.day = Number(part.value);
    else if (part.type === 'hour') result.hour = Number(part.value);
    else if (part.type === 'minute') result.minute = Number(part.value);
  }
  return result;
}

/**
 * Offsets from UTC, cached per zone. Every zone changes its offset on a whole minute that is a
 * multiple of 15 in UTC (offsets are whole quarter hours, changes happen on the local hour or
 * half hour), so within one quarter hour the offset is one number. A UTC day whose first and
 * last quarter hours have the same offset has that offset throughout (zones change at most
 * once a day): a report with 10,000 receipts asks Intl a few dozen times instead of 10,000.
 */
const quarterHourMs = 15 * 60_000;
const dayMs = 86_400_000;
type OffsetCache = {
  /** Offset of the whole UTC day, or null when it changes that day. */
  days: Map<number, number | null>;
  quarters: Map<number, number>;
};
const offsetCaches = new Map<string, OffsetCache>();
const maxCachedEntries = 50_000;

/** The offset at `start`, a multiple of 15 minutes. */
function readOffsetMs(start: number, timeZone: string): number {
  const local = readLocalDateTime(new Date(start), timeZone);
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) - start;
}

function getOffsetMs(date: Date, timeZone: string): number {
  let cache = offsetCaches.get(timeZone);
  if (!cache) {
    cache = { days: new Map(), quarters: new Map() };
    offsetCaches.set(timeZone, cache);
  }
  const time = date.getTime();
  const day = Math.floor(time / dayMs);
  let dayOffset = cache.days.get(day);
  if (dayOffset === undefined) {
    const first = readOffsetMs(day * dayMs, timeZone);
    const last = readOffsetMs((day + 1) * dayMs - quarterHourMs, timeZone);
    dayOffset = first === last ? first : null;
    if (cache.days.size >= maxCachedEntries) cache.days.clear();
    cache.days.set(day, dayOffset);
  }
  if (dayOffset !== null) return dayOffset;
  const quarter = Math.floor(time / quarterHourMs);
  let offset = cache.quarters.get(quarter);
  if (offset === undefined) {
    offset = readOffsetMs(quarter * quarterHourMs, timeZone);
    if (cache.quarters.size >= maxCachedEntries) cache.quarters.clear();
    cache.quarters.set(quarter, offset);
  }
  return offset;
}

/** The wall-clock date and time `date` is in `timeZone`. */
export function getLocalDateTime(date: Date, timeZone: string): LocalDateTime {
  const local = new Date(date.getTime() + getOffsetMs(date, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

const pad2 = (value: number) => String(value).padStart(2, '0');

/** `dd/mm/yyyy` of the day `date` falls on in `timeZone`. */
export function formatReportDate(date: Date, timeZone: string): string {
  const local = getLocalDateTime(date, timeZone);
  return `${pad2(local.day)}/${pad2(local.month)}/${String(local.year).padStart(4, '0')}`;
}

/** `HH:MM` in `timeZone`. */
export function formatReportTime(date: Date, timeZone: string): string {
  const local = getLocalDateTime(date, timeZone);
  return `${pad2(local.hour)}:${pad2(local.minute)}`;
}

/**
 * The calendar day `date` falls on in `timeZone`, as midnight UTC: spreadsheet writers store a
 * `Date` by its UTC fields, so this is the cell value that shows that day.
 */
export function toSpreadsheetDate(date: Date, timeZone: string): Date {
  const local = getLocalDateTime(date, timeZone);
  return new Date(Date.UTC(local.year, local.month - 1, local.day));
}

/** The same, with the wall-clock time (for "generated at"). */
export function toSpreadsheetDateTime(date: Date, timeZone: string): Date {
  const local = getLocalDateTime(date, timeZone);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute));
}

export function formatMoney(cents: number, currency: ReportCurrency): string {
  return formatAmount({ cents, currency });
}

/**
 * A tax id as people write it: CNPJ `12.345.678/0001-95` (alphanumeric too), CPF
 * `123.456.789-09`, NIF `503 504 564`. Anything else is shown as given.
 */
export function formatTaxId(taxId: string | null, source: ReportReceiptSource): string {
  if (!taxId) return '';
  const compact = taxId.replace(/[\s./-]/g, '').toUpperCase();
  if (/^\d{9}$/.test(compact) && source !== 'nfce') {
    return `${compact.slice(0, 3)} ${compact.slice(3, 6)} ${compact.slice(6)}`;
  }
  if (/^[0-9A-Z]{12}\d{2}$/.test(compact)) return formatCnpj(compact);
  if (/^\d{11}$/.test(compact)) return formatCpf(compact);
  return taxId.trim();
}

/** What the issuer column shows: the name, else what was typed, else "not identified yet". */
export function describeIssuer(receipt: ReportReceipt, labels: ReportLabels): string {
  const name = receipt.issuerName?.trim() || receipt.description?.trim();
  return name || labels.unknownIssuer;
}

/** `São Paulo (SP)` → `sao-paulo-sp`: ASCII for file names and storage keys. */
export function slugify(text: string, maxLength = 40): string {
  const slug = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return slug;
}

/** `relatorio-despesas-lisboa-2025-06-02.pdf`: the trip's destination and first day. */
export function buildReportFileName(
  model: Pick<TripReportModel, 'trip' | 'locale' | 'timeZone'>,
  kind: ReportKind,
): string {
  const start = getLocalDateTime(model.trip.startedAt, getReportTimeZone(model));
  const day = `${start.year}-${pad2(start.month)}-${pad2(start.day)}`;
  const destination = slugify(model.trip.destination) || 'viagem';
  return `relatorio-despesas-${destination}-${day}.${kind}`;
}
