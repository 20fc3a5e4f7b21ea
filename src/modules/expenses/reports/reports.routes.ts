import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../../platform/auth/principal.js';
import { AppError } from '../../../platform/errors/app-error.js';
import { requirePrincipal } from '../../../platform/http/authenticate.js';
import { bearerSecurity } from '../../../platform/http/route-schemas.js';
import { isStorageObjectNotFound } from '../../../platform/storage/storage.port.js';
import { type ReportKind, reportContentTypes } from './report-model.js';

/**
 * `GET /api/v1/expenses/reports/:id` — a trip report's file, PDF or XLSX. The route knows no
 * table: the expenses module gives it `findReportFile`, which looks the report up for the
 * caller's tenant. The kind asked for comes from the extension (`:id.pdf`, `:id.xlsx`), else
 * from `Accept`; with neither (or `Accept: *\/*`) the report's own kind is served.
 */

export type ReportFile = {
  kind: ReportKind;
  /** Offered to the browser in Content-Disposition. */
  fileName: string;
  /** Sent as Content-Length when known. */
  sizeBytes?: number;
  /** The bytes; may reject with `StorageObjectNotFoundError` (answered 404). */
  open(): Readable | Promise<Readable>;
};

/**
 * Finds a report of the principal's tenant, or undefined (404; another tenant's report must be
 * undefined too). `requestedKind` is the kind the client asked for, when it asked: a lookup
 * whose report ids name one file may ignore it (the route refuses a mismatch), one whose ids
 * name a trip's pair of files picks that file.
 */
export type FindReportFile = (
  principal: Principal,
  reportId: string,
  requestedKind: ReportKind | undefined,
) => Promise<ReportFile | undefined> | ReportFile | undefined;

const reportPathPattern =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\.(pdf|xlsx))?$/i;

export const reportParamsSchema = z.object({
  id: z
    .string()
    .regex(reportPathPattern, 'must be a report id (a UUID), optionally followed by .pdf or .xlsx'),
});

const kindNames: Record<ReportKind, string> = { pdf: 'PDF', xlsx: 'XLSX' };

type MediaRange = { type: string; subtype: string; q: number };

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const entry of header.split(',')) {
    const [range = '', ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const parameter of parameters) {
      const match = /^q=([01](?:\.\d{0,3})?)$/.exec(parameter);
      if (match) q = Number(match[1]);
    }
    ranges.push({ type, subtype, q });
  }
  return ranges;
}

/** The q of `contentType` under `ranges`: the most specific matching range decides. */
function qualityOf(contentType: string, ranges: readonly MediaRange[]): number {
  const [type, subtype] = contentType.split('/');
  let best: { specificity: number; q: number } | undefined;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (specificity < 0) continue;
    if (!best || specificity > best.specificity) best = { specificity, q: range.q };
  }
  return best?.q ?? 0;
}

/**
 * The kind an `Accept` header prefers, or undefined when it prefers neither (absent, `*\/*`,
 * both equal, or only other types — then the report is served as it is, as HTTP allows).
 */
export function negotiateReportKind(accept: string | undefined): ReportKind | undefined {
  if (!accept) return undefined;
  const ranges = parseAccept(accept);
  const pdf = qualityOf(reportContentTypes.pdf, ranges);
  const xlsx = qualityOf(reportContentTypes.xlsx, ranges);
  if (pdf === xlsx) return undefined;
  return pdf > xlsx ? 'pdf' : 'xlsx';
}

/** RFC 6266: an ASCII fallback name plus the exact UTF-8 name (RFC 8187). */
function buildAttachmentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_').trim() || 'relatorio';
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function reportsRoutes(findReportFile: FindReportFile): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/expenses/reports/:id',
      {
        schema: {
          tags: ['expenses'],
          summary: 'Download a trip report (PDF or XLSX)',
          description:
            'The file of a report listed by `POST /api/v1/expenses/trips/:id/close`. Ask for a format with the extension (`/reports/<id>.pdf`, `/reports/<id>.xlsx`) or with `Accept: application/pdf` / `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`; the extension wins. Without either the report is served in its own format. 404 NOT_FOUND when the report does not exist in your tenant or has no file in the format asked for.',
          security: bearerSecurity,
          params: reportParamsSchema,
          produces: [reportContentTypes.pdf, reportContentTypes.xlsx],
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const [, reportId = '', extension] = reportPathPattern.exec(request.params.id) ?? [];
        const id = reportId.toLowerCase();
        const fromExtension = extension?.toLowerCase() as ReportKind | undefined;
        const requestedKind = fromExtension ?? negotiateReportKind(request.headers.accept);
        const file = await findReportFile(principal, id, requestedKind);
        if (!file) throw new AppError('NOT_FOUND', `There is no report ${id}.`);
        if (requestedKind && file.kind !== requestedKind) {
          const asked = fromExtension ? `.${fromExtension}` : `Accept: ${request.headers.accept}`;
          throw new AppError(
            'NOT_FOUND',
            `Report ${id} has no ${kindNames[requestedKind]} file (asked by ${asked}); it is a ${kindNames[file.kind]}: download /api/v1/expenses/reports/${id}.${file.kind}.`,
            { reportId: id, requestedKind, availableKind: file.kind },
          );
        }
        let body: Readable;
        try {
          body = await file.open();
        } catch (error) {
          if (!isStorageObjectNotFound(error)) throw error;
          request.log.error({ reportId: id, kind: file.kind }, 'stored report file missing');
          throw new AppError('NOT_FOUND', `The file of report ${id} is missing from storage.`);
        }
        void reply.headers({
          'content-type': reportContentTypes[file.kind],
          'content-disposition': buildAttachmentDisposition(file.fileName),
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
          'cache-control': 'private, max-age=300',
          vary: 'Accept',
        });
        if (file.sizeBytes !== undefined) {
          void reply.header('content-length', String(file.sizeBytes));
        }
        return reply.send(body);
      },
    );
  };
}
