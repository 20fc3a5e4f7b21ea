import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPdfDocument } from '../../../../test/helpers/pdf-text.js';
import { renderPdfReport, writePdfReport } from './pdf-report.js';
import { computeCurrencyTotals, type TripReportModel } from './report-model.js';
import { formatMoney } from './report-text.js';
import { buildSampleReportModel, buildSmallReportModel } from './testing/report-model-fixtures.js';

/*
 * The PDF read back the way a person's reader would: the text of each page (pdf.js, in
 * process) and the facts pdfinfo prints (pages, page size, title).
 */

type ReadPdf = { bytes: Buffer; pages: string[]; text: string; info: Record<string, string> };

/** Text per page, one line per text line, runs of spaces collapsed to one. */
async function readPdf(model: TripReportModel): Promise<ReadPdf> {
  const bytes = await renderPdfReport(model);
  const { pages, info } = await readPdfDocument(bytes);
  return { bytes, pages, text: pages.join('\n'), info };
}

const tableHeader = 'Nº Data Emitente CNPJ/NIF Origem Situação Total';

describe('PDF report with three receipts', () => {
  let pdf: ReadPdf;
  beforeAll(async () => {
    pdf = await readPdf(buildSmallReportModel());
  });

  it('is one A4 page with a title readers show', () => {
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.info.Pages).toBe('1');
    expect(pdf.info['Page size']).toMatch(/^595\.28 x 841\.89 pts \(A4\)/);
    expect(pdf.info.Title).toBe('Relatório de despesas — Joana Conceição Araújo');
  });

  it('names the traveller, company and trip, accents intact', () => {
    const lines = pdf.pages[0]?.split('\n') ?? [];
    expect(lines.slice(0, 7)).toEqual([
      'Relatório de despesas',
      'Viajante: Joana Conceição Araújo',
      'Empresa: Construções Ômega S.A.',
      'E-mail: joana.araujo@omega.example',
      // Helvetica has no arrow: it is spelled.
      'Destino: São Paulo -> Lisboa',
      'Centro de custo: CC-410 Comercial',
      'Início: 02/06/2025 (5 dias) · Encerramento: 06/06/2025',
    ]);
  });

  it('lists the receipts under the table header', () => {
    const lines = pdf.text.split('\n');
    const header = lines.indexOf(tableHeader);
    expect(header).toBeGreaterThan(0);
    expect(lines.slice(header + 1, header + 4)).toEqual([
      '1 02/06/2025 Cafeteria São Jorge 11.222.333/0001-81 NFC-e Confirmada R$ 65,05',
      '2 04/06/2025 Pastelaria Conceição, Lda. 503 504 564 Fatura (AT) Confirmada 14,61 €',
      '3 05/06/2025 Emitente ainda não identificado 45.997.418/0001-53 NFC-e Aguardando consulta —',
    ]);
  });

  it('gives the totals per currency, what is left out of them, and when it was generated', () => {
    expect(pdf.text).toContain(
      [
        'Totais',
        'Total em reais (BRL): R$ 65,05 (1 despesa)',
        'Total em euros (EUR): 14,61 € (1 despesa)',
        '1 despesa ainda sem valor não entra no total.',
        'Gerado em 06/06/2025 às 23:20',
      ].join('\n'),
    );
    expect(pdf.pages[0]).toMatch(
      /Relatório de despesas · Joana Conceição Araújo · Gerado em 06\/06\/2025 às 23:20 Página 1$/,
    );
  });

  it('speaks pt-PT when asked', async () => {
    const european = await readPdf(buildSmallReportModel('pt-PT'));
    expect(european.text).toContain('N.º Data Emitente CNPJ/NIF Origem Estado Total');
    expect(european.text).toContain('A aguardar consulta');
    // Lisbon time by default: 02:20 UTC is 03:20 there.
    expect(european.text).toContain('Gerado em 07/06/2025 às 03:20');
  });
});

describe('PDF report with no receipts', () => {
  it('keeps the trip and says there is nothing yet', async () => {
    const pdf = await readPdf(buildSampleReportModel({ receiptCount: 0 }));
    expect(pdf.info.Pages).toBe('1');
    expect(pdf.text).toContain('Relatório de despesas\nViajante: Joana Conceição Araújo');
    expect(pdf.text).toContain('Nenhuma despesa registrada nesta viagem.');
    expect(pdf.text).toContain('Gerado em 06/06/2025 às 23:20');
    expect(pdf.text).not.toContain('Totais');
  });
});

describe('PDF report text that does not fit or is not Latin', () => {
  it('cuts long names with "…", never an amount, and maps what Helvetica cannot draw', async () => {
    const model = buildSmallReportModel();
    const [first, second] = model.receipts;
    if (!first || !second) throw new Error('fixture changed');
    const pdf = await readPdf({
      ...model,
      traveller: { ...model.traveller, name: 'Zoë Łukasiewicz ☕' },
      receipts: [
        {
          ...first,
          issuerName:
            'Companhia Brasileira de Distribuição Alimentícia e Conveniência S.A. — Filial 0042',
          totalCents: 123_456_789_012,
        },
        { ...second, issuerName: 'Łódź 東京 Café' },
      ],
    });
    expect(pdf.text).toContain('Viajante: Zoë ?ukasiewicz ?');
    expect(pdf.text).toMatch(
      /\n1 02\/06\/2025 Companhia Brasileira de \S+… 11\.222\.333\/0001-81 NFC-e Confirmada R\$ 1\.234\.567\.890,12\n/,
    );
    expect(pdf.text).toContain('?ódz ?? Café');
  });
});

describe('PDF report with 2,000 receipts', () => {
  const model = buildSampleReportModel({ receiptCount: 2000, seed: 7 });
  let pdf: ReadPdf;
  beforeAll(async () => {
    pdf = await readPdf(model);
  });

  it('repeats the table header at the top of every page', () => {
    expect(pdf.pages.length).toBeGreaterThan(30);
    expect(pdf.info.Pages).toBe(String(pdf.pages.length));
    for (const [index, page] of pdf.pages.entries()) {
      const lines = page.split('\n');
      expect(lines.filter((line) => line === tableHeader)).toHaveLength(1);
      expect(lines.at(-1)).toMatch(new RegExp(`Página ${index + 1}$`));
      if (index > 0) {
        expect(lines.slice(0, 2)).toEqual([
          'Relatório de despesas — Joana Conceição Araújo',
          tableHeader,
        ]);
      }
    }
  });

  it('lists every receipt once, in order', () => {
    const numbers = pdf.text
      .split('\n')
      .map((line) => /^(\d+) (?:\d\d\/\d\d\/\d{4}|—) /.exec(line)?.[1])
      .filter((number) => number !== undefined)
      .map(Number);
    expect(numbers).toEqual(Array.from({ length: 2000 }, (_, index) => index + 1));
  });

  it('ends with the totals', () => {
    const last = pdf.pages.at(-1) ?? '';
    for (const total of computeCurrencyTotals(model.receipts)) {
      const name = total.currency === 'BRL' ? 'reais' : 'euros';
      expect(last).toContain(
        `Total em ${name} (${total.currency}): ${formatMoney(total.totalCents, total.currency)} (${total.receiptCount} despesas)`,
      );
    }
    expect(last).toContain('200 despesas ainda sem valor não entram no total.');
  });

  it('leaves page by page as it is drawn, not as one buffer at the end', async () => {
    const chunkSizes: number[] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunkSizes.push(chunk.length);
        callback();
      },
    });
    await writePdfReport(model, output);
    expect(chunkSizes.length).toBeGreaterThan(pdf.pages.length);
    expect(Math.max(...chunkSizes)).toBeLessThan(pdf.bytes.length / 10);
    expect(chunkSizes.reduce((sum, size) => sum + size, 0)).toBe(pdf.bytes.length);
  });
});
