import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokens } from '../../../platform/auth/access-tokens.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { registerAuthentication } from '../../../platform/http/authenticate.js';
import { registerErrorHandlers } from '../../../platform/http/error-handler.js';
import { StorageObjectNotFoundError } from '../../../platform/storage/storage.port.js';
import type { ReportKind } from './report-model.js';
import {
  type FindReportFile,
  negotiateReportKind,
  type ReportFile,
  reportsRoutes,
} from './reports.routes.js';

/*
 * The download route on a bare Fastify app with the platform's authentication and error
 * handling; the lookup is a fake holding two tenants' reports, one file per report id (the
 * expenses module's shape).
 */

const pdfMime = 'application/pdf';
const xlsxMime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const ids = {
  pdf: '0b7d1c7e-4a55-4a63-9c53-2f5f3f0e8a01',
  xlsx: '0b7d1c7e-4a55-4a63-9c53-2f5f3f0e8a02',
  missingBytes: '0b7d1c7e-4a55-4a63-9c53-2f5f3f0e8a03',
  otherTenant: '0b7d1c7e-4a55-4a63-9c53-2f5f3f0e8a04',
  unknown: '0b7d1c7e-4a55-4a63-9c53-2f5f3f0e8a05',
};

type StoredFile = { tenantId: string; kind: ReportKind; bytes: Buffer; isMissing?: boolean };

const files: Record<string, StoredFile> = {
  [ids.pdf]: { tenantId: 'tenant-a', kind: 'pdf', bytes: Buffer.from('%PDF-1.3 relatório') },
  [ids.xlsx]: { tenantId: 'tenant-a', kind: 'xlsx', bytes: Buffer.from('PK\u0003\u0004 planilha') },
  [ids.missingBytes]: {
    tenantId: 'tenant-a',
    kind: 'pdf',
    bytes: Buffer.alloc(0),
    isMissing: true,
  },
  [ids.otherTenant]: { tenantId: 'tenant-b', kind: 'pdf', bytes: Buffer.from('%PDF-1.3 b') },
};

const lookups: Array<{ reportId: string; requestedKind: ReportKind | undefined }> = [];

const findReportFile: FindReportFile = async (principal, reportId, requestedKind) => {
  lookups.push({ reportId, requestedKind });
  const file = files[reportId];
  if (!file || file.tenantId !== principal.tenantId) return undefined;
  const found: ReportFile = {
    kind: file.kind,
    fileName: `relatorio-despesas-sao-paulo-2025-06-02.${file.kind}`,
    sizeBytes: file.bytes.length,
    open: async () => {
      if (file.isMissing) throw new StorageObjectNotFoundError(`tenant-a/${reportId}`);
      return Readable.from([file.bytes]);
    },
  };
  return found;
};

const accessTokens = createAccessTokens('a-test-secret-that-is-long-enough-for-hs256', 900);
let app: FastifyInstance;
let token: string;

const principal = (tenantId: string, role: Principal['role'] = 'client'): Principal => ({
  userId: `user-${tenantId}`,
  tenantId,
  role,
  isSuperAdmin: false,
});

beforeAll(async () => {
  const server = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(server);
  registerAuthentication(server, accessTokens);
  await server.register(reportsRoutes(findReportFile));
  await server.ready();
  app = server;
  token = await accessTokens.sign(principal('tenant-a'));
});

afterAll(async () => {
  await app.close();
});

function download(url: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

describe('GET /api/v1/expenses/reports/:id', () => {
  it('serves a report in its own format without extension or Accept', async () => {
    const response = await download(`/api/v1/expenses/reports/${ids.pdf}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(pdfMime);
    expect(response.headers['content-length']).toBe(String(files[ids.pdf]?.bytes.length));
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="relatorio-despesas-sao-paulo-2025-06-02.pdf"; filename*=UTF-8''relatorio-despesas-sao-paulo-2025-06-02.pdf`,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers.vary).toBe('Accept');
    expect(response.rawPayload.equals(files[ids.pdf]?.bytes as Buffer)).toBe(true);
  });

  it.each([
    ['the extension', `/api/v1/expenses/reports/${ids.xlsx}.xlsx`, {}, 'xlsx', xlsxMime],
    ['an upper-case extension', `/api/v1/expenses/reports/${ids.pdf}.PDF`, {}, 'pdf', pdfMime],
    ['Accept', `/api/v1/expenses/reports/${ids.xlsx}`, { accept: xlsxMime }, 'xlsx', xlsxMime],
    [
      'a browser Accept (no preference)',
      `/api/v1/expenses/reports/${ids.pdf}`,
      { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      undefined,
      pdfMime,
    ],
    [
      'the extension over Accept',
      `/api/v1/expenses/reports/${ids.pdf}.pdf`,
      { accept: xlsxMime },
      'pdf',
      pdfMime,
    ],
  ])('picks the format by %s', async (_name, url, headers, requestedKind, contentType) => {
    lookups.length = 0;
    const response = await download(url, headers);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(contentType);
    expect(lookups).toEqual([{ reportId: url.split('/').at(-1)?.slice(0, 36), requestedKind }]);
  });

  it('answers 404 naming the right URL when the report is in the other format', async () => {
    const response = await download(`/api/v1/expenses/reports/${ids.pdf}.xlsx`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: `Report ${ids.pdf} has no XLSX file (asked by .xlsx); it is a PDF: download /api/v1/expenses/reports/${ids.pdf}.pdf.`,
        details: { reportId: ids.pdf, requestedKind: 'xlsx', availableKind: 'pdf' },
      },
    });
    const byAccept = await download(`/api/v1/expenses/reports/${ids.xlsx}`, { accept: pdfMime });
    expect(byAccept.statusCode).toBe(404);
    expect(byAccept.json().error.message).toContain(
      'has no PDF file (asked by Accept: application/pdf)',
    );
  });

  it('answers 404 for unknown reports and for another tenant’s, alike', async () => {
    for (const id of [ids.unknown, ids.otherTenant]) {
      const response = await download(`/api/v1/expenses/reports/${id}.pdf`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        error: { code: 'NOT_FOUND', message: `There is no report ${id}.` },
      });
    }
  });

  it('answers 404, not 500, when the stored bytes are gone', async () => {
    const response = await download(`/api/v1/expenses/reports/${ids.missingBytes}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toBe(
      `The file of report ${ids.missingBytes} is missing from storage.`,
    );
  });

  it.each([
    ['not a UUID', '/api/v1/expenses/reports/42'],
    ['another extension', `/api/v1/expenses/reports/${ids.pdf}.docx`],
    ['a path trick', `/api/v1/expenses/reports/${ids.pdf}.pdf%2F..`],
  ])('answers 400 for an id that is %s', async (_name, url) => {
    const response = await download(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        {
          path: 'params.id',
          message: 'must be a report id (a UUID), optionally followed by .pdf or .xlsx',
        },
      ],
    });
  });

  it('needs an access token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/expenses/reports/${ids.pdf}`,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('negotiateReportKind', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['*/*', undefined],
    ['application/json', undefined],
    ['application/pdf', 'pdf'],
    [xlsxMime, 'xlsx'],
    [`${pdfMime};q=0.5, ${xlsxMime}`, 'xlsx'],
    [`${pdfMime}, ${xlsxMime};q=0.9`, 'pdf'],
    [`${pdfMime}, ${xlsxMime}`, undefined],
    ['application/*, application/pdf;q=0.1', 'xlsx'],
    ['APPLICATION/PDF', 'pdf'],
    [`*/*;q=0.1, ${xlsxMime};q=0`, 'pdf'],
  ])('%j → %s', (accept, expected) => {
    expect(negotiateReportKind(accept)).toBe(expected);
  });
});
