import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isAppError } from '../../platform/errors/app-error.js';
import { requirePrincipal } from '../../platform/http/authenticate.js';
import { bearerSecurity, pageOf } from '../../platform/http/route-schemas.js';
import { idParamsSchema } from '../../shared/contracts/accounts.contract.js';
import {
  addReceiptRequestSchema,
  addReceiptResponseSchema,
  closeTripResponseSchema,
  costCentreSummaryQuerySchema,
  costCentreSummarySchema,
  listTravellersQuerySchema,
  listTripsQuerySchema,
  registerTravellerRequestSchema,
  startTripRequestSchema,
  travellerSchema,
  tripDetailSchema,
  tripListItemSchema,
  tripSchema,
} from '../../shared/contracts/expenses.contract.js';
import { readMultipartFile, registerMediaMultipart } from '../messaging/index.js';
import type { ExpensesService, ReceiptIntake } from './expenses.service.js';
import { ExpenseRefusal, render, texts } from './expenses.texts.js';
import { maxReceiptPhotoBytes } from './receipt-intake.js';
import { reportsRoutes } from './reports/index.js';

const refusalNote =
  'Refusals a person can act on carry `details.reason` (a stable code) and `details.userMessage` (the sentence in pt-BR, pt-PT and en, as the bot says it).';

/** The travel-expense API (issue 6, item 8) and the dashboard's lists. */
export function expensesRoutes(expenses: ExpensesService): FastifyPluginAsyncZod {
  return async (app) => {
    // GET /api/v1/expenses/reports/:id (reports/), looking reports up in this module's table.
    await app.register(
      reportsRoutes((principal, reportId) => expenses.findReportDownload(principal, reportId)),
    );
    // Multipart only in this plugin's scope (it costs every route it is registered for).
    await registerMediaMultipart(app, { maxBytes: maxReceiptPhotoBytes });

    app.post(
      '/api/v1/expenses/travellers',
      {
        schema: {
          tags: ['expenses'],
          summary: 'Register a traveller (operators and admins)',
          description: `Name, company and corporate e-mail (checked, and unique in the tenant whatever its case: 409 EMAIL_TAKEN). \`contactId\` links the WhatsApp contact the traveller talks from (one traveller per contact). ${refusalNote}`,
          security: bearerSecurity,
          body: registerTravellerRequestSchema,
          response: { 201: travellerSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await expenses.registerTravellerAs(requirePrincipal(request), request.body)),
    );

    app.get(
      '/api/v1/expenses/travellers',
      {
        schema: {
          tags: ['expenses'],
          summary: 'Travellers, newest first',
          description: '`search` matches part of the name, company or e-mail.',
          security: bearerSecurity,
          querystring: listTravellersQuerySchema,
          response: { 200: pageOf(travellerSchema) },
        },
      },
      async (request) => expenses.listTravellers(requirePrincipal(request), request.query),
    );

    app.post(
      '/api/v1/expenses/trips',
      {
        schema: {
          tags: ['expenses'],
          summary: 'Start a trip (operators and admins)',
          description: `A traveller has at most one active trip: a second one is refused with 409 (\`details.reason\` ACTIVE_TRIP_EXISTS, \`details.activeTripId\`). ${refusalNote}`,
          security: bearerSecurity,
          body: startTripRequestSchema,
          response: { 201: tripSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await expenses.startTripAs(requirePrincipal(request), request.body)),
    );

    app.get(
      '/api/v1/expenses/trips',
      {
        schema: {
          tags: ['expenses'],
          summary: 'Trips, newest first, with their totals',
          description:
            'Filters: `travellerId`, `status`, `costCentre` (exact), and the day the trip started (`from`, `to`, inclusive, UTC). Totals count confirmed amounts per currency; `unconfirmedCount` says how many receipts still lack one.',
          security: bearerSecurity,
          querystring: listTripsQuerySchema,
          response: { 200: pageOf(tripListItemSchema) },
        },
      },
      async (request) => expenses.listTrips(requirePrincipal(request), request.query),
    );

    app.get(
      '/api/v1/expenses/trips/:id',
      {
        schema: {
          tags: ['expenses'],
          summary:
            'A trip: its traveller, receipts (parsed data, status, items), reports and totals',
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: tripDetailSchema },
        },
      },
      async (request) => expenses.getTrip(requirePrincipal(request), request.params.id),
    );

    app.post(
      '/api/v1/expenses/trips/:id/receipts',
      {
        schema: {
          tags: ['expenses'],
          summary: 'Add a receipt to an active trip (operators and admins)',
          description: `Three ways: multipart/form-data with one \`file\` part, a JPEG or PNG photo of the receipt's QR code (up to 20 MB; 413 PHOTO_TOO_LARGE, 415 NOT_A_PHOTO for a PDF or other file); JSON \`{ qrText }\`, the QR code's content; or JSON \`{ amount, date, description }\` typed by hand (\`"65,05"\`, \`"10/03/2026"\` or \`"ontem"\`; \`currency\` when the amount does not say it). A Brazilian NFC-e is stored with what its key says and \`pending\` until the tax authority's page is read (the answer says \`parsed\` when that happened at once); a Portuguese AT invoice is \`parsed\` from its QR. 400 with \`details.reason\` NO_QR_FOUND, NOT_A_RECEIPT (the QR's own reason: a PIX code, a wrong check digit…), HOMOLOGATION_RECEIPT, INVALID_AMOUNT, INVALID_DATE; 409 DUPLICATE_RECEIPT (the same key or ATCUD anywhere in the tenant), TRIP_CLOSED. ${refusalNote}`,
          security: bearerSecurity,
          params: idParamsSchema,
          body: addReceiptRequestSchema.optional(),
          response: { 201: addReceiptResponseSchema },
        },
        // A multipart body has no JSON to validate: the handler checks which one it got.
        attachValidation: true,
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const tripId = request.params.id;
        let intake: ReceiptIntake;
        if (request.isMultipart()) {
          // Refuse before reading the bytes.
          await expenses.assertOpenTrip(principal, tripId);
          const file = await readMultipartFile(request, { maxBytes: maxReceiptPhotoBytes }).catch(
            (error: unknown) => {
              if (isAppError(error) && error.code === 'MEDIA_TOO_LARGE') {
                throw new ExpenseRefusal(
                  'MEDIA_TOO_LARGE',
                  'PHOTO_TOO_LARGE',
                  render(texts.photoOverLimit, { max: '20 MB' }),
                  { limitBytes: maxReceiptPhotoBytes },
                );
              }
              throw error;
            },
          );
          intake = {
            kind: 'photo',
            bytes: file.bytes,
            filename: file.filename,
            mimeType: file.mimeType,
          };
        } else {
          if (request.validationError) throw request.validationError;
          const body = request.body;
          if (!body) {
            throw new ExpenseRefusal('VALIDATION_FAILED', 'MISSING_RECEIPT', {
              'pt-BR': 'Envie a foto da nota, o texto do QR code ou o valor, a data e a descrição.',
              'pt-PT':
                'Envie a fotografia da fatura, o texto do código QR ou o valor, a data e a descrição.',
              en: 'Send the receipt’s photo, its QR code’s text, or the amount, date and description.',
            });
          }
          intake =
            body.qrText !== undefined
              ? { kind: 'qr', text: body.qrText }
              : {
                  kind: 'manual',
                  entry: {
                    amount: body.amount ?? '',
                    currency: body.currency,
                    date: body.date ?? '',
                    description: body.description ?? '',
                  },
                };
        }
        const added = await expenses.addReceiptAs(principal, tripId, intake);
        return reply.status(201).send({ receipt: added.receipt, message: added.message['pt-BR'] });
      },
    );

    app.post(
      '/api/v1/expenses/trips/:id/close',
      {
        schema: {
          tags: ['expenses'],
          summary: 'End a trip (operators and admins); returns the ids of its reports',
          description: `The trip becomes \`closed\` and its PDF and XLSX reports are generated (\`reportIds\`; download them at \`GET /api/v1/expenses/reports/:id\`). 409 TRIP_CLOSED when it already ended. ${refusalNote}`,
          security: bearerSecurity,
          params: idParamsSchema,
          response: { 200: closeTripResponseSchema },
        },
      },
      async (request) => expenses.closeTripAs(requirePrincipal(request), request.params.id),
    );

    app.get(
      '/api/v1/expenses/summary/cost-centres',
      {
        schema: {
          tags: ['expenses'],
          summary: 'Confirmed expenses by cost centre and currency',
          description:
            'Over the trips the filters select (`status`, and the day they started: `from`, `to`). Receipts without a confirmed amount are not counted.',
          security: bearerSecurity,
          querystring: costCentreSummaryQuerySchema,
          response: { 200: costCentreSummarySchema },
        },
      },
      async (request) => expenses.summarizeCostCentres(requirePrincipal(request), request.query),
    );
  };
}
