import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { fileTypeFromBuffer } from 'file-type';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCurrencyTotals, type TripReportModel } from './report-model.js';
import { buildSampleReportModel, buildSmallReportModel } from './testing/report-model-fixtures.js';
import {
  itemsSheetName,
  receiptsHeaderRow,
  receiptsSheetName,
  renderXlsxReport,
  spreadsheetMoneyFormats,
  writeXlsxReport,
} from './xlsx-report.js';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function readBack(model: TripReportModel) {
  const bytes = await renderXlsxReport(model);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const receipts = workbook.getWorksheet(receiptsSheetName);
  const items = workbook.getWorksheet(itemsSheetName);
  if (!receipts || !items) throw new Error('a sheet is missing');
  return { bytes, workbook, receipts, items };
}

function rowValues(sheet: ExcelJS.Worksheet, rowNumber: number): unknown[] {
  const values = sheet.getRow(rowNumber).values as unknown[];
  return values.slice(1); // exceljs rows are 1-based: index 0 is always empty
}

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe('XLSX report with three receipts', () => {
  let sheets: Awaited<ReturnType<typeof readBack>>;
  beforeAll(async () => {
    sheets = await readBack(buildSmallReportModel());
  });

  it('is an XLSX with the two sheets, in order', async () => {
    expect((await fileTypeFromBuffer(sheets.bytes))?.mime).toBe(xlsxType);
    expect(sheets.workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Despesas', 'Itens']);
  });

  it('opens with the trip: traveller, company, destination, real dates in the trip time zone', () => {
    const { receipts } = sheets;
    expect(receipts.getCell('A1').value).toBe('Relatório de despesas');
    expect([2, 3, 4, 5, 6, 7].map((row) => rowValues(receipts, row))).toEqual([
      ['Viajante', 'Joana Conceição Araújo'],
      ['Empresa', 'Construções Ômega S.A.'],
      ['E-mail', 'joana.araujo@omega.example'],
      ['Destino', 'São Paulo → Lisboa'],
      ['Centro de custo', 'CC-410 Comercial'],
      ['Dias', 5],
    ]);
    expect(receipts.getCell('B8').value).toEqual(day('2025-06-02'));
    expect(receipts.getCell('B8').numFmt).toBe('dd/mm/yyyy');
    // Closed at 02:15 UTC on the 7th: 23:15 on the 6th in São Paulo.
    expect(receipts.getCell('A9').value).toBe('Encerramento');
    expect(receipts.getCell('B9').value).toEqual(day('2025-06-06'));
    expect(receipts.getCell('B10').value).toEqual(new Date('2025-06-06T23:20:00.000Z'));
    expect(receipts.getCell('B10').numFmt).toBe('dd/mm/yyyy hh:mm');
  });

  it('lists the receipts with dates, formatted tax ids and amounts as numbers in their currency', () => {
    const { receipts } = sheets;
    expect(rowValues(receipts, receiptsHeaderRow)).toEqual([
      'Data',
      'Emitente',
      'CNPJ/NIF',
      'Origem',
      'Situação',
      'Moeda',
      'Total',
      'Nº',
    ]);
    expect(rowValues(receipts, 13)).toEqual([
      day('2025-06-02'),
      'Cafeteria São Jorge',
      '11.222.333/0001-81',
      'NFC-e',
      'Confirmada',
      'BRL',
      65.05,
      1,
    ]);
    expect(receipts.getCell('A13').numFmt).toBe('dd/mm/yyyy');
    expect(receipts.getCell('G13').numFmt).toBe(spreadsheetMoneyFormats.BRL);
    expect(rowValues(receipts, 14)).toEqual([
      day('2025-06-04'),
      'Pastelaria Conceição, Lda.',
      '503 504 564',
      'Fatura (AT)',
      'Confirmada',
      'EUR',
      14.61,
      2,
    ]);
    expect(receipts.getCell('G14').numFmt).toBe(spreadsheetMoneyFormats.EUR);
    // Pending: no name, no amount; 01:10 UTC on the 6th is the evening of the 5th there.
    expect(rowValues(receipts, 15)).toEqual([
      day('2025-06-05'),
      'Emitente ainda não identificado',
      '45.997.418/0001-53',
      'NFC-e',
      'Aguardando consulta',
      'BRL',
      '—',
      3,
    ]);
  });

  it('ends with the totals per currency, saying what is not in them', () => {
    const { receipts } = sheets;
    expect(receipts.getCell('A17').value).toBe('Totais');
    expect(rowValues(receipts, 18)).toEqual([
      'Total em reais (BRL)',
      '1 despesa',
      undefined,
      undefined,
      undefined,
      'BRL',
      65.05,
    ]);
    expect(receipts.getCell('G18').numFmt).toBe(spreadsheetMoneyFormats.BRL);
    expect(receipts.getCell('A19').value).toBe('Total em euros (EUR)');
    expect(receipts.getCell('G19').value).toBe(14.61);
    expect(receipts.getCell('G19').numFmt).toBe(spreadsheetMoneyFormats.EUR);
    expect(receipts.getCell('B20').value).toBe('1 despesa ainda sem valor não entra no total.');
    expect(receipts.rowCount).toBe(20);
  });

  it('keeps the table header in view and filterable', () => {
    const { receipts } = sheets;
    expect(receipts.views[0]).toMatchObject({ state: 'frozen', ySplit: receiptsHeaderRow });
    expect(receipts.autoFilter).toBe('A12:H15');
  });

  it('lists every item in "Itens", pointing at its receipt number', () => {
    const { items } = sheets;
    expect(rowValues(items, 1)).toEqual([
      'Despesa nº',
      'Data',
      'Emitente',
      'Descrição',
      'Quantidade',
      'Unidade',
      'Preço unitário',
      'Total',
      'Moeda',
    ]);
    expect(rowValues(items, 2)).toEqual([
      1,
      day('2025-06-02'),
      'Cafeteria São Jorge',
      'Café expresso',
      2,
      'UN',
      4.5,
      9,
      'BRL',
    ]);
    expect(rowValues(items, 3).slice(3, 8)).toEqual(['Pão de queijo', 0.266, 'KG', 59.9, 15.93]);
    expect(rowValues(items, 4).slice(3, 8)).toEqual(['Água com gás', 1, undefined, '—', 40.12]);
    expect(rowValues(items, 5).slice(0, 4)).toEqual([
      2,
      day('2025-06-04'),
      'Pastelaria Conceição, Lda.',
      'Pastel de nata',
    ]);
    expect(items.getCell('H5').numFmt).toBe(spreadsheetMoneyFormats.EUR);
    expect(items.getCell('G2').numFmt).toBe(spreadsheetMoneyFormats.BRL);
    expect(items.rowCount).toBe(6);
  });
});

describe('XLSX report with no receipts', () => {
  it('keeps the trip header and says there is nothing yet, in both sheets', async () => {
    const { receipts, items } = await readBack(buildSampleReportModel({ receiptCount: 0 }));
    expect(receipts.getCell('B2').value).toBe('Joana Conceição Araújo');
    expect(receipts.getCell(`A${receiptsHeaderRow}`).value).toBe('Data');
    expect(receipts.getCell(`A${receiptsHeaderRow + 1}`).value).toBe(
      'Nenhuma despesa registrada nesta viagem.',
    );
    expect(receipts.rowCount).toBe(receiptsHeaderRow + 1);
    expect(items.getCell('A2').value).toBe('Nenhuma despesa desta viagem tem itens detalhados.');
    expect(items.rowCount).toBe(2);
  });
});

describe('XLSX report in pt-PT', () => {
  it('uses the European words and an open trip says so', async () => {
    const model = buildSmallReportModel('pt-PT');
    const open = { ...model, trip: { ...model.trip, closedAt: null } };
    const { receipts } = await readBack(open);
    expect(receipts.getCell('B9').value).toBe('viagem em curso');
    expect(receipts.getCell(`E${receiptsHeaderRow}`).value).toBe('Estado');
    expect(receipts.getCell(`H${receiptsHeaderRow}`).value).toBe('N.º');
    expect(receipts.getCell('E15').value).toBe('A aguardar consulta');
    // Lisbon: 01:10 UTC on the 6th is 02:10 on the 6th.
    expect(receipts.getCell('A15').value).toEqual(day('2025-06-06'));
  });
});

describe('XLSX report with 2,000 receipts', () => {
  const model = buildSampleReportModel({ receiptCount: 2000, seed: 7 });
  let sheets: Awaited<ReturnType<typeof readBack>>;
  beforeAll(async () => {
    sheets = await readBack(model);
  });

  it('has one row per receipt and per item', () => {
    const itemCount = model.receipts.reduce((sum, receipt) => sum + receipt.items.length, 0);
    expect(sheets.items.rowCount).toBe(itemCount + 1);
    expect(sheets.receipts.getCell(`H${receiptsHeaderRow + 2000}`).value).toBe(2000);
  });

  it('has totals that add up the rows above them', () => {
    const { receipts } = sheets;
    const cents = { BRL: 0, EUR: 0 };
    for (let row = receiptsHeaderRow + 1; row <= receiptsHeaderRow + 2000; row += 1) {
      const total = receipts.getCell(`G${row}`).value;
      const currency = receipts.getCell(`F${row}`).value as 'BRL' | 'EUR';
      if (typeof total === 'number') cents[currency] += Math.round(total * 100);
    }
    const expected = computeCurrencyTotals(model.receipts);
    expect(expected.map((total) => total.currency)).toEqual(['BRL', 'EUR']);
    const firstTotalRow = receiptsHeaderRow + 2000 + 3;
    for (const [offset, total] of expected.entries()) {
      expect(cents[total.currency]).toBe(total.totalCents);
      expect(receipts.getCell(`F${firstTotalRow + offset}`).value).toBe(total.currency);
      expect(
        Math.round((receipts.getCell(`G${firstTotalRow + offset}`).value as number) * 100),
      ).toBe(total.totalCents);
    }
  });

  it('puts [Content_Types].xml before the sheets, so type sniffers see an XLSX', async () => {
    const { bytes } = sheets;
    const contentTypes = bytes.indexOf('[Content_Types].xml');
    const firstSheet = bytes.indexOf('xl/worksheets/sheet1.xml');
    expect(contentTypes).toBeGreaterThan(0);
    expect(contentTypes).toBeLessThan(firstSheet);
    expect((await fileTypeFromBuffer(bytes))?.mime).toBe(xlsxType);
  });
});

describe('XLSX report that cannot be written', () => {
  it('rejects and destroys the output, so no reader takes half a workbook for a whole one', async () => {
    const model = buildSmallReportModel();
    const broken = { ...model, receipts: [...model.receipts, null] } as unknown as TripReportModel;
    const output = new PassThrough();
    output.resume();
    await expect(writeXlsxReport(broken, output)).rejects.toThrow(TypeError);
    expect(output.destroyed).toBe(true);
  });

  it('rejects when the output fails', async () => {
    const output = new PassThrough();
    output.on('error', () => undefined);
    const writing = writeXlsxReport(buildSampleReportModel({ receiptCount: 50 }), output);
    output.destroy(new Error('connection reset'));
    await expect(writing).rejects.toThrow('connection reset');
  });
});
