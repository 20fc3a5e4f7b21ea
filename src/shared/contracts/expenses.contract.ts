import { z } from 'zod';

/**
 * HTTP contract of the travel-expense module (issue 6), shared by the server and the web:
 * travellers, trips, receipts (from a photo of the QR code, the QR's text or typed by hand),
 * the totals by cost centre.
 */

export const currencySchema = z.enum(['BRL', 'EUR']);
export const tripStatusSchema = z.enum(['active', 'closed']);
export const receiptSourceSchema = z.enum(['nfce', 'pt-invoice', 'manual']);
/**
 * `parsed`: the amount is confirmed (the tax authority's page, or the Portuguese QR itself);
 * `pending`: an NFC-e whose page has not been read yet; `needs-amount`: the page could not be
 * trusted, the traveller is asked for the amount; `manual`: typed by hand.
 */
export const receiptStatusSchema = z.enum(['parsed', 'pending', 'needs-amount', 'manual']);

export const moneySchema = z.object({
  cents: z.number().int(),
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

const textField = (max: number) => z.string().trim().min(1).max(max);

export const registerTravellerRequestSchema = z.object({
  name: textField(200),
  company: textField(200),
  /** Corporate e-mail; unique in the tenant whatever its case. */
  email: z.string().trim().min(3).max(320),
  /** The WhatsApp contact this traveller talks from, when known. */
  contactId: z.uuid().optional(),
});

export const travellerSchema = z.object({
  id: z.uuid(),
  contactId: z.uuid().nullable(),
  name: z.string(),
  company: z.string(),
  email: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Traveller = z.infer<typeof travellerSchema>;

export const listTravellersQuerySchema = z.object({
  /** Part of the name, company or e-mail, case-insensitive. */
  search: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const startTripRequestSchema = z.object({
  travellerId: z.uuid(),
  destination: textField(200),
  costCentre: textField(100),
  days: z.number().int().min(1).max(365),
});

export const tripSchema = z.object({
  id: z.uuid(),
  travellerId: z.uuid(),
  destination: z.string(),
  costCentre: z.string(),
  days: z.number().int(),
  status: tripStatusSchema,
  startedAt: z.string(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Trip = z.infer<typeof tripSchema>;

/** What a trip adds up to, per currency: confirmed amounts only, pending receipts counted apart. */
export const tripTotalsSchema = z.object({
  totals: z.array(moneySchema.extend({ receiptCount: z.number().int() })),
  receiptCount: z.number().int(),
  /** Receipts without a confirmed amount yet (pending or needs-amount). */
  unconfirmedCount: z.number().int(),
});

export const tripListItemSchema = tripSchema.extend({
  traveller: z.object({ id: z.uuid(), name: z.string(), company: z.string() }),
  ...tripTotalsSchema.shape,
});
export type TripListItem = z.infer<typeof tripListItemSchema>;

const isoDate = z.iso.date();

export const listTripsQuerySchema = z.object({
  travellerId: z.uuid().optional(),
  status: tripStatusSchema.optional(),
  costCentre: textField(100).optional(),
  /** Trips started on or after this day (UTC), `YYYY-MM-DD`. */
  from: isoDate.optional(),
  /** Trips started on or before this day (UTC), `YYYY-MM-DD`. */
  to: isoDate.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const receiptItemSchema = z.object({
  description: z.string(),
  code: z.string().optional(),
  quantity: z.number(),
  unit: z.string(),
  unitPriceCents: z.number().int(),
  totalCents: z.number().int(),
});

export const receiptSchema = z.object({
  id: z.uuid(),
  tripId: z.uuid(),
  source: receiptSourceSchema,
  status: receiptStatusSchema,
  accessKey: z.string().nullable(),
  atcud: z.string().nullable(),
  documentNumber: z.string().nullable(),
  issuer: z.object({ name: z.string().nullable(), taxId: z.string().nullable() }),
  /** `YYYY-MM-DD`; null when only the month is known yet. */
  issueDate: z.string().nullable(),
  /** The confirmed amount; null while pending or when it must be asked. */
  total: moneySchema.nullable(),
  /** What the QR code itself says (NFC-e offline forms): shown, not counted. */
  declaredTotal: moneySchema.nullable(),
  currency: currencySchema,
  items: z.array(receiptItemSchema),
  description: z.string().nullable(),
  qrText: z.string().nullable(),
  photoMediaId: z.uuid().nullable(),
  fetchAttempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Receipt = z.infer<typeof receiptSchema>;

export const tripReportSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['pdf', 'xlsx']),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  mediaId: z.uuid().nullable(),
  createdAt: z.string(),
});
export type TripReport = z.infer<typeof tripReportSchema>;

export const tripDetailSchema = tripSchema.extend({
  traveller: travellerSchema,
  receipts: z.array(receiptSchema),
  reports: z.array(tripReportSchema),
  ...tripTotalsSchema.shape,
});
export type TripDetail = z.infer<typeof tripDetailSchema>;

export const closeTripResponseSchema = z.object({
  trip: tripDetailSchema,
  /** The generated reports (PDF, XLSX); empty when report generation is not available. */
  reportIds: z.array(z.uuid()),
});

/**
 * A receipt sent as JSON: the text of its QR code, or typed by hand (amount, date and
 * description). A photo goes as multipart/form-data instead (see the route).
 */
export const addReceiptRequestSchema = z
  .object({
    qrText: z.string().min(1).max(4096).optional(),
    /** `"65,05"`, `"R$ 1.234,56"`, `"12,30 €"` or `{ cents, currency }`. */
    amount: z.union([z.string().min(1).max(100), moneySchema]).optional(),
    /** The currency of a typed amount that does not say it; default BRL. */
    currency: currencySchema.optional(),
    /** `"2026-03-10"`, `"10/03/2026"`, `"hoje"`, `"ontem"`… (never in the future). */
    date: z.string().min(1).max(100).optional(),
    description: textField(500).optional(),
  })
  .superRefine((value, context) => {
    if (value.qrText !== undefined) {
      for (const key of ['amount', 'currency', 'date'] as const) {
        if (value[key] !== undefined) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: 'send either qrText or a typed receipt (amount, date, description)',
          });
        }
      }
      return;
    }
    for (const key of ['amount', 'date', 'description'] as const) {
      if (value[key] === undefined) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: 'is required for a typed receipt (or send qrText, or a photo as multipart)',
        });
      }
    }
  });
export type AddReceiptRequest = z.infer<typeof addReceiptRequestSchema>;

export const addReceiptResponseSchema = z.object({
  receipt: receiptSchema,
  /** What the bot says about it, in pt-BR ("Recebi sua nota de R$ 65,05 de CAFETERIA X."). */
  message: z.string(),
});

export const costCentreSummaryQuerySchema = z.object({
  status: tripStatusSchema.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

export const costCentreSummarySchema = z.object({
  items: z.array(
    z.object({
      costCentre: z.string(),
      currency: currencySchema,
      totalCents: z.number().int(),
      receiptCount: z.number().int(),
      tripCount: z.number().int(),
    }),
  ),
});
export type CostCentreSummary = z.infer<typeof costCentreSummarySchema>;
