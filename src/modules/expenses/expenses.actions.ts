import type { ActionDeclaration, FlowValue, Variables } from '../../engine/index.js';
import { isAppError } from '../../platform/errors/app-error.js';
import type { Currency } from '../../shared/validators/index.js';
import { type ActionContext, ActionError, type ActionRegistry } from '../flows/index.js';
import type { ExpensesService } from './expenses.service.js';
import {
  ExpenseRefusal,
  type ExpensesLocale,
  expensesLocales,
  type Phrase,
  render,
  texts,
} from './expenses.texts.js';
import { amountOf, describeIssuer, formatTotals } from './receipt-messages.js';

/**
 * The travel-expense bot's actions for flows (`action.call`): the person chatting is the
 * session's contact, their trip is their active one. Every refusal a person can act on is an
 * `ActionError` (the flow's `error` port) whose message is the sentence to say; the optional
 * `locale` input picks it (pt-BR by default).
 */

const reportMimeTypes = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const localeInput = { locale: { type: 'string', required: false } } as const;

const receiptOutputs = {
  receiptId: { type: 'string' },
  /** parsed | pending | needs-amount | manual */
  status: { type: 'string' },
  total: { type: 'amount' },
  issuer: { type: 'string' },
  message: { type: 'string' },
} as const;

export const expensesActionDeclarations = {
  findTraveller: {
    id: 'expenses.find-traveller',
    description:
      'Who is chatting: whether they are a registered traveller, and their active trip (ids empty when none).',
    inputs: {},
    outputs: {
      found: { type: 'boolean' },
      travellerId: { type: 'string' },
      name: { type: 'string' },
      activeTripId: { type: 'string' },
      destination: { type: 'string' },
    },
  },
  registerTraveller: {
    id: 'expenses.register-traveller',
    description:
      'Registers the person chatting as a traveller. Error EMAIL_TAKEN (the e-mail is someone else’s), INVALID_EMAIL, ALREADY_REGISTERED.',
    inputs: {
      name: { type: 'string', required: true },
      company: { type: 'string', required: true },
      email: { type: 'string', required: true },
      ...localeInput,
    },
    outputs: { travellerId: { type: 'string' } },
  },
  startTrip: {
    id: 'expenses.start-trip',
    description:
      'Starts a trip for the person chatting. Error ACTIVE_TRIP_EXISTS (the message names the active trip), INVALID_DAYS, NOT_REGISTERED.',
    inputs: {
      destination: { type: 'string', required: true },
      costCentre: { type: 'string', required: true },
      days: { type: 'number', required: true },
      ...localeInput,
    },
    outputs: { tripId: { type: 'string' } },
  },
  addReceiptPhoto: {
    id: 'expenses.add-receipt-photo',
    description:
      'Reads the receipt in a photo (its QR code) into the active trip. `message` is what to say ("Recebi sua nota de R$ 65,05 de CAFETERIA X."). Errors: NO_QR_FOUND, NOT_A_RECEIPT, NOT_A_PHOTO, PHOTO_TOO_LARGE, DUPLICATE_RECEIPT, HOMOLOGATION_RECEIPT, NO_ACTIVE_TRIP, NOT_REGISTERED.',
    inputs: { file: { type: 'file', required: true }, ...localeInput },
    outputs: receiptOutputs,
  },
  addReceiptManual: {
    id: 'expenses.add-receipt-manual',
    description:
      'Registers an expense typed by hand in the active trip (amount, date, description). Errors: INVALID_AMOUNT, INVALID_DATE, NO_ACTIVE_TRIP, NOT_REGISTERED.',
    inputs: {
      amount: { type: 'amount', required: true },
      date: { type: 'date', required: true },
      description: { type: 'string', required: true },
      ...localeInput,
    },
    outputs: receiptOutputs,
  },
  setReceiptAmount: {
    id: 'expenses.set-receipt-amount',
    description:
      'The traveller typed the amount of a receipt that asked for it (needs-amount) or is still pending: it becomes the expense. Errors: RECEIPT_NOT_FOUND, AMOUNT_ALREADY_KNOWN, INVALID_AMOUNT.',
    inputs: {
      receiptId: { type: 'string', required: true },
      amount: { type: 'amount', required: true },
      ...localeInput,
    },
    outputs: receiptOutputs,
  },
  listReceipts: {
    id: 'expenses.list-receipts',
    description:
      'The active trip’s receipts: `lines` (one per receipt, or "Nenhuma despesa ainda.") and the running `total`.',
    inputs: { ...localeInput },
    outputs: { count: { type: 'number' }, lines: { type: 'string' }, total: { type: 'string' } },
  },
  closeTrip: {
    id: 'expenses.close-trip',
    description:
      'Ends the active trip: `summary` to say, the ids of its reports, and the PDF and XLSX as files to send with `message.media` (`"mediaId": "{{pdf}}"`); they are null when reports could not be made.',
    inputs: { ...localeInput },
    outputs: {
      summary: { type: 'string' },
      reportIds: { type: 'list' },
      pdf: { type: 'file' },
      xlsx: { type: 'file' },
    },
  },
} satisfies Record<string, ActionDeclaration>;

function readLocale(inputs: Variables): ExpensesLocale {
  const locale = inputs.locale;
  return typeof locale === 'string' && (expensesLocales as readonly string[]).includes(locale)
    ? (locale as ExpensesLocale)
    : 'pt-BR';
}

function readText(inputs: Variables, name: string): string {
  const value = inputs[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}

function readNumber(value: FlowValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return Number.NaN;
}

function say(phrase: Phrase | string, locale: ExpensesLocale): string {
  return typeof phrase === 'string' ? phrase : phrase[locale];
}

/** Refusals become the flow's error port with the sentence to say; other failures retry. */
async function asAction<T>(locale: ExpensesLocale, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ExpenseRefusal) {
      throw new ActionError(error.reason, error.userMessage[locale]);
    }
    if (isAppError(error) && error.httpStatus < 500) {
      throw new ActionError(error.code, error.message);
    }
    throw error;
  }
}

export function registerExpensesActions(
  registry: Pick<ActionRegistry, 'register'>,
  expenses: ExpensesService,
): void {
  const declarations = expensesActionDeclarations;

  async function requireTraveller(context: ActionContext, locale: ExpensesLocale) {
    const found = context.contactId
      ? await expenses.findTravellerOfContact(context.tenantId, context.contactId)
      : undefined;
    if (!found) throw new ActionError('NOT_REGISTERED', texts.notRegistered[locale]);
    return found;
  }

  async function requireActiveTrip(context: ActionContext, locale: ExpensesLocale) {
    const { activeTrip } = await requireTraveller(context, locale);
    if (!activeTrip) throw new ActionError('NO_ACTIVE_TRIP', texts.noActiveTrip[locale]);
    return expenses.getTripRow(context.tenantId, activeTrip.id);
  }

  const origin = (context: ActionContext) => ({
    channelId: context.channelId || undefined,
    contactId: context.contactId || undefined,
  });

  function receiptResult(
    added: Awaited<ReturnType<ExpensesService['addReceipt']>>,
    locale: ExpensesLocale,
  ): FlowValue {
    const total = amountOf(added.row);
    return {
      receiptId: added.row.id,
      status: added.row.fetchStatus,
      total: total ? { cents: total.cents, currency: total.currency } : null,
      issuer:
        added.row.source === 'manual'
          ? (added.row.description ?? '')
          : say(describeIssuer(added.row), locale),
      message: added.message[locale],
    };
  }

  registry.register(declarations.findTraveller, async (_inputs, context) => {
    const found = context.contactId
      ? await expenses.findTravellerOfContact(context.tenantId, context.contactId)
      : undefined;
    return {
      found: found !== undefined,
      travellerId: found?.traveller.id ?? null,
      name: found?.traveller.name ?? null,
      activeTripId: found?.activeTrip?.id ?? null,
      destination: found?.activeTrip?.destination ?? null,
    };
  });

  registry.register(declarations.registerTraveller, async (inputs, context) => {
    const locale = readLocale(inputs);
    return asAction(locale, async () => {
      const traveller = await expenses.registerTraveller(context.tenantId, {
        name: readText(inputs, 'name'),
        company: readText(inputs, 'company'),
        email: readText(inputs, 'email'),
        contactId: context.contactId || undefined,
      });
      return { travellerId: traveller.id };
    });
  });

  registry.register(declarations.startTrip, async (inputs, context) => {
    const locale = readLocale(inputs);
    return asAction(locale, async () => {
      const { traveller } = await requireTraveller(context, locale);
      const trip = await expenses.startTrip(context.tenantId, traveller.id, {
        destination: readText(inputs, 'destination'),
        costCentre: readText(inputs, 'costCentre'),
        days: readNumber(inputs.days),
      });
      return { tripId: trip.id };
    });
  });

  registry.register(declarations.addReceiptPhoto, async (inputs, context) => {
    const locale = readLocale(inputs);
    return asAction(locale, async () => {
      const file = inputs.file;
      const mediaId =
        file !== null && typeof file === 'object' && !Array.isArray(file) ? file.mediaId : null;
      if (typeof mediaId !== 'string' || mediaId === '') {
        throw new ExpenseRefusal('VALIDATION_FAILED', 'NOT_A_PHOTO', texts.photoNotAvailable);
      }
      const trip = await requireActiveTrip(context, locale);
      const added = await expenses.addReceipt(
        context.tenantId,
        trip,
        { kind: 'stored-photo', mediaId },
        { ...origin(context), locale },
      );
      return receiptResult(added, locale);
    });
  });

  registry.register(declarations.addReceiptManual, async (inputs, context) => {
    const locale = readLocale(inputs);
    return asAction(locale, async () => {
      const trip = await requireActiveTrip(context, locale);
      const amount = inputs.amount;
      const isAmount =
        amount !== null &&
        typeof amount === 'object' &&
        !Array.isArray(amount) &&
        typeof amount.cents === 'number' &&
        (amount.currency === 'BRL' || amount.currency === 'EUR');
      const added = await expenses.addReceipt(
        context.tenantId,
        trip,
        {
          kind: 'manual',
          entry: {
            amount: isAmount
              ? { cents: amount.cents as number, currency: amount.currency as Currency }
              : readText(inputs, 'amount'),
            date: readText(inputs, 'date'),
            description: readText(inputs, 'description'),
          },
        },
        { ...origin(context), locale },
      );
      return receiptResult(added, locale);
    });
  });

  registry.register(declarations.setReceiptAmount, async (inputs, context) => {
    const locale = readLocale(inputs);
    return asAction(locale, async () => {
      const amount = inputs.amount;
      const cents =
        amount !== null && typeof amount === 'object' && !Array.isArray(amount)
          ? amount.cents
          : undefined;
      const currency =
        amount !== null && typeof amount === 'object' && !Array.isArray(amount)
          ? amount.currency
          : undefined;
      const updated = await expenses.setReceiptAmount(
        context.tenantId,
        readText(inputs, 'receiptId'),
        {
          cents: typeof cents === 'number' ? cents : Number.NaN,
          currency: currency === 'EUR' ? 'EUR' : 'BRL',
        },
      );
      return receiptResult(updated, locale);
    });
  });

  registry.register(declarations.listReceipts, async (inputs, context) => {
    const locale = readLocale(inputs);
    return asAction(locale, async () => {
      const trip = await requireActiveTrip(context, locale);
      const listed = await expenses.describeTripReceipts(context.tenantId, trip.id);
      return { count: listed.count, lines: listed.lines[locale], total: listed.total };
    });
  });

  registry.register(declarations.closeTrip, async (inputs, context) => {
    const locale = readLocale(inputs);
    return asAction(locale, async () => {
      const trip = await requireActiveTrip(context, locale);
      const closed = await expenses.closeTrip(context.tenantId, trip.id, { locale });
      const values = {
        destination: trip.destination,
        count: String(closed.trip.receiptCount),
        total: formatTotals(closed.trip.totals),
      };
      let summary = render(
        closed.reportIds.length > 0 ? texts.tripSummary : texts.tripSummaryNoReports,
        values,
      )[locale];
      if (closed.trip.unconfirmedCount > 0) {
        summary += ` ${render(texts.unconfirmedNote, { count: String(closed.trip.unconfirmedCount) })[locale]}`;
      }
      const fileOf = (kind: 'pdf' | 'xlsx'): FlowValue => {
        const report = closed.trip.reports.find(
          (item) => item.kind === kind && closed.reportIds.includes(item.id),
        );
        if (!report?.mediaId) return null;
        return {
          mediaId: report.mediaId,
          mimeType: reportMimeTypes[kind],
          size: report.sizeBytes,
          fileName: report.fileName,
        };
      };
      return { summary, reportIds: closed.reportIds, pdf: fileOf('pdf'), xlsx: fileOf('xlsx') };
    });
  });
}
