import type { CheerioAPI } from 'cheerio';
import { parseBrazilianMoneyToCents, parseBrazilianQuantity } from '../amounts.js';
import { createEmptyReading, type PageLayout, type PageReading } from '../consultation-receipt.js';
import {
  afterLabel,
  cleanText,
  compactDocument,
  findAccessKey,
  foldLabel,
  parseBrazilianDateTime,
  textOf,
} from '../page-text.js';
import { joinAddress } from './mobile-template.layout.js';
import { addItem, applyTotalLabel } from './reading-helpers.js';

/**
 * Minas Gerais' portal (Bootstrap tables): the issuer's name in a heading, "CNPJ: …" and the
 * address in the rows below it; one table row per item with the cells "NAME (Código: …)",
 * "Qtde total de ítens: 1.0000" (the item's quantity, dot decimals), "UN: KG" and
 * "Valor total R$: R$ 17,15" — no unit price, so it is derived from total ÷ quantity —; then
 * two-cell rows of totals and payments, a header/value table with model, series, number and
 * emission, and the key.
 */
export const mgPortalLayout: PageLayout = {
  id: 'mg-portal',

  matches(page) {
    // A cheap look at the whole text before the row-by-row test.
    const text = page.root().text();
    return (
      /Qtde\.? total de [íi]tens/i.test(text) &&
      /\(C[óo]digo:/i.test(text) &&
      itemRows(page).length > 0
    );
  },

  read(page) {
    const reading = createEmptyReading();
    readIssuer(page, reading);
    const rows = itemRows(page);
    rows.each((index, element) => {
      const cells = page(element)
        .children('td')
        .toArray()
        .map((cell) => ({
          text: textOf(page(cell)),
          heading: textOf(page(cell).find('h7, b, strong, span').first()),
        }));
      readItem(cells, index, reading);
    });
    readTotals(page, reading, new Set(rows.toArray()));
    readGeneralInfo(page, reading);
    return reading;
  },
};

function itemRows(page: CheerioAPI) {
  return page('tr').filter((_, row) => {
    const cells = page(row)
      .children('td')
      .toArray()
      .map((cell) => foldLabel(textOf(page(cell))));
    return (
      cells.some((cell) => /\(codigo:/.test(cell)) &&
      cells.some((cell) => /^qtde\.? total de itens/.test(cell)) &&
      cells.some((cell) => /^valor total r\$/.test(cell))
    );
  });
}

type ItemCell = { text: string; heading: string };

function readItem(cells: ItemCell[], index: number, reading: PageReading) {
  const find = (pattern: RegExp) => cells.find((cell) => pattern.test(foldLabel(cell.text)));
  const nameCell = find(/\(codigo:/);
  const nameText = nameCell?.text ?? '';
  const description = nameCell?.heading || nameText.replace(/\(C[óo]digo:.*$/i, '');
  const code = /\(C[óo]digo:\s*([^)]*)\)/i.exec(nameText)?.[1];
  const quantityCell = find(/^qtde\.? total de itens/);
  const unitCell = find(/^un\s*:/);
  const totalCell = find(/^valor total r\$/);
  addItem(reading, index, {
    description: cleanText(description),
    code,
    quantity: quantityCell
      ? afterLabel(quantityCell.text, /^Qtde\.? total de [íi]tens\s*:?/i)
      : undefined,
    unit: unitCell ? afterLabel(unitCell.text, /^UN\s*:?/i) : undefined,
    total: totalCell ? afterLabel(totalCell.text, /^Valor total R\$\s*:?/i) : undefined,
  });
}

function readIssuer(page: CheerioAPI, reading: PageReading) {
  const name = textOf(page('h4').first());
  if (name !== '') reading.issuer.name = name;
  const cells = page('td')
    .toArray()
    .map((cell) => textOf(page(cell)));
  const cnpjIndex = cells.findIndex((cell) => /^(?:CNPJ|CPF)\s*:/i.test(cell));
  const cnpjCell = cells[cnpjIndex];
  if (cnpjCell === undefined) return;
  const document = /^(?:CNPJ|CPF)\s*:\s*([\dA-Za-z./-]+)/i.exec(cnpjCell)?.[1];
  if (document) reading.issuer.cnpj = compactDocument(document);
  const address = cells[cnpjIndex + 1];
  if (address && !/\(C[óo]digo:/i.test(address)) reading.issuer.address = joinAddress(address);
}

function readTotals(page: CheerioAPI, reading: PageReading, itemRowSet: Set<unknown>) {
  const payments: Array<{ method: string; amount: number }> = [];
  let inPayments = false;
  page('tr').each((_, element) => {
    if (itemRowSet.has(element)) return;
    const cells = page(element).children('td');
    if (cells.length !== 2) return;
    const label = foldLabel(textOf(cells.eq(0)));
    const valueText = textOf(cells.eq(1));
    if (/^forma de pagamento/.test(label)) {
      inPayments = true;
      return;
    }
    if (/^qtde?\.? total de itens/.test(label)) {
      const count = parseBrazilianQuantity(valueText);
      if (count !== undefined) reading.declaredItemCount = count;
      return;
    }
    const amount = parseBrazilianMoneyToCents(valueText);
    if (amount === undefined) return;
    if (applyTotalLabel(reading, label, amount)) return;
    if (inPayments) payments.push({ method: textOf(cells.eq(0)), amount });
  });
  if (payments.length > 0) reading.paymentMethods = payments;
  if (reading.total === undefined && reading.itemsTotal !== undefined && payments.length > 0) {
    reading.total = reading.itemsTotal - (reading.discounts ?? 0) + (reading.surcharges ?? 0);
  }
}

/** A table whose header cells name the fields and whose next row holds the values. */
function readGeneralInfo(page: CheerioAPI, reading: PageReading) {
  page('table').each((_, table) => {
    const headers = page(table)
      .find('th')
      .toArray()
      .map((cell) => foldLabel(textOf(page(cell))));
    if (!headers.includes('numero') || !headers.some((header) => header.startsWith('serie'))) {
      return;
    }
    const values = page(table)
      .find('tbody tr')
      .first()
      .children('td')
      .toArray()
      .map((cell) => textOf(page(cell)));
    headers.forEach((header, index) => {
      const value = values[index] ?? '';
      if (header === 'numero' && /^\d+$/.test(value)) reading.number = Number(value);
      else if (header.startsWith('serie') && /^\d+$/.test(value)) reading.series = Number(value);
      else if (header.startsWith('data de emissao') || header === 'emissao') {
        const issuedAt = parseBrazilianDateTime(value);
        if (issuedAt) reading.issuedAt = issuedAt;
      }
    });
  });
  // The key sits near its heading: in the same row, the next one, or the rest of the table.
  page('h1, h2, h3, h4, h5, h6, strong, label, th').each((_, element) => {
    if (reading.accessKey !== undefined) return false;
    if (!/^chave de acesso/.test(foldLabel(textOf(page(element))))) return;
    let scope = page(element);
    for (let level = 0; level < 4 && reading.accessKey === undefined; level += 1) {
      const key = findAccessKey(textOf(scope)) ?? findAccessKey(textOf(scope.next()));
      if (key) reading.accessKey = key;
      scope = scope.parent();
    }
  });
}
