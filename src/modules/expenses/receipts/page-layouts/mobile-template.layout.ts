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
import { addItem, applyTotalLabel } from './reading-helpers.js';

/**
 * The mobile "Consulta NFC-e" template (jQuery Mobile; Paraná, Espírito Santo and many other
 * states): issuer block (`.txtTopo`, then `.text` lines with the CNPJ and the address), items in
 * `#tabResult` (each row: `.txtTit`/`.txtTit2` name, `.RCod` "(Código: …)", `.Rqtd` "Qtde.:",
 * `.RUN` "UN:", `.RvlUnit` "Vl. Unit.:", `.valor` total), totals in `#totalNota` (label and
 * `.totalNumb` per line; payment lines have `label.tx`), and an info block (`#infos`) with
 * number, series, emission and the key in `.chave`.
 */
export const mobileTemplateLayout: PageLayout = {
  id: 'mobile-template',

  matches(page) {
    return page('#tabResult .valor').length > 0;
  },

  read(page) {
    const reading = createEmptyReading();
    readIssuer(page, reading);
    readItems(page, reading);
    readTotals(page, reading);
    readInfo(page, reading);
    return reading;
  },
};

function readIssuer(page: CheerioAPI, reading: PageReading) {
  const header = page('.txtTopo').first();
  const name = textOf(header);
  if (name !== '') reading.issuer.name = name;
  const lines = header
    .parent()
    .find('.text')
    .toArray()
    .map((line) => textOf(page(line)));
  for (const line of lines) {
    const label = foldLabel(line);
    if (/^(?:cnpj|cpf)\b/.test(label)) {
      reading.issuer.cnpj = compactDocument(afterLabel(line, /^(?:CNPJ|CPF)\s*:?/i));
    } else if (reading.issuer.cnpj !== undefined && reading.issuer.address === undefined) {
      reading.issuer.address = joinAddress(line);
    }
  }
}

/** `RUA UM , 000008 , , BAIRRO` → `RUA UM, 000008, BAIRRO`. */
export function joinAddress(text: string): string {
  return text
    .split(',')
    .map((part) => cleanText(part))
    .filter((part) => part !== '')
    .join(', ');
}

function readItems(page: CheerioAPI, reading: PageReading) {
  const rows = page('#tabResult tr').filter((_, row) => page(row).find('.valor').length > 0);
  rows.each((index, element) => {
    const row = page(element);
    const code = /C[óo]digo:?\s*([^)]*)\)?/i.exec(textOf(row.find('.RCod')))?.[1];
    addItem(reading, index, {
      description: textOf(row.find('span.txtTit, span.txtTit2').first()),
      code,
      quantity: afterLabel(textOf(row.find('.Rqtd')), /^Qtde\.?\s*:?/i),
      unit: afterLabel(textOf(row.find('.RUN')), /^UN\s*:?/i),
      unitPrice: afterLabel(textOf(row.find('.RvlUnit')), /^Vl\.?\s*Unit\.?\s*:?/i),
      total: textOf(row.find('.valor').first()),
    });
  });
}

function readTotals(page: CheerioAPI, reading: PageReading) {
  const payments: Array<{ method: string; amount: number }> = [];
  page('#totalNota')
    .children()
    .each((_, element) => {
      const line = page(element);
      const labelElement = line.find('label').first();
      const label = foldLabel(textOf(labelElement));
      const valueText = textOf(line.find('.totalNumb').first());
      if (label === '' || /^forma de pagamento/.test(label)) return;
      if (/^qtd\.? total de itens/.test(label)) {
        const count = parseBrazilianQuantity(valueText);
        if (count !== undefined) reading.declaredItemCount = count;
        return;
      }
      const amount = parseBrazilianMoneyToCents(valueText);
      if (amount === undefined) return;
      if (applyTotalLabel(reading, label, amount)) return;
      if (labelElement.hasClass('tx')) payments.push({ method: textOf(labelElement), amount });
    });
  if (payments.length > 0) reading.paymentMethods = payments;
}

function readInfo(page: CheerioAPI, reading: PageReading) {
  const info = cleanText(page('#infos').text());
  const number = /N[úu]mero:?\s*(\d+)/i.exec(info)?.[1];
  if (number) reading.number = Number(number);
  const series = /S[ée]rie:?\s*(\d+)/i.exec(info)?.[1];
  if (series) reading.series = Number(series);
  const emission = /Emiss[ãa]o:?\s*([0-9/]+\s+[0-9:]+)/i.exec(info)?.[1];
  const issuedAt = emission ? parseBrazilianDateTime(emission) : undefined;
  if (issuedAt) reading.issuedAt = issuedAt;
  const protocol = /Protocolo de Autoriza[çc][ãa]o:?\s*(\d+)/i.exec(info)?.[1];
  if (protocol) reading.protocol = protocol;
  const key = findAccessKey(textOf(page('.chave').first())) ?? findAccessKey(info);
  if (key) reading.accessKey = key;
}
