import type { CheerioAPI } from 'cheerio';
import { parseBrazilianMoneyToCents } from '../amounts.js';
import { createEmptyReading, type PageLayout, type PageReading } from '../consultation-receipt.js';
import {
  compactDocument,
  findAccessKey,
  foldLabel,
  parseBrazilianDateTime,
  textOf,
} from '../page-text.js';
import { addItem, applyTotalLabel } from './reading-helpers.js';

/**
 * The full "tabs" view several states show (the portal's "Visualizar em Abas"): sections
 * `NFe`, `Emitente`, `DestRem`, `Prod`, `Totais`, `Cobranca`…, each a fieldset of fields written
 * as a `<label>` followed by a `<span>` with the value. Items are rows of cells (number,
 * description, quantity, commercial unit, value), each followed by a hidden details table with
 * the product code and the unit price. The note's total is "Valor Total da NFe"; the key is in a
 * span labelled "Chave de Acesso".
 */
export const tabsViewLayout: PageLayout = {
  id: 'tabs-view',

  matches(page) {
    return findLabels(page, /^valor total da nf-?e$/).length > 0 && productRows(page).length > 0;
  },

  read(page) {
    const reading = createEmptyReading();
    const fields = (scope: string, legend: RegExp) =>
      readFields(page, section(page, scope, legend));
    readGeneral(fields('#NFe', /^dados da nf-?e/), reading);
    readIssuer(fields('#Emitente', /^dados do emitente/), reading);
    readItems(page, reading);
    readTotals(fields('#Totais', /^totais/), reading);
    readPayments(page, reading);
    const key = findLabels(page, /^chave de acesso$/)
      .map((label) => findAccessKey(label.value))
      .find((found) => found !== undefined);
    if (key) reading.accessKey = key;
    return reading;
  },
};

type Field = { label: string; value: string };
type Scope = ReturnType<CheerioAPI>;

/** A section by id, else the fieldset whose legend matches; the whole page when neither. */
function section(page: CheerioAPI, id: string, legend: RegExp): Scope {
  const byId = page(id);
  if (byId.length > 0) return byId;
  const fieldset = page('fieldset').filter((_, element) =>
    legend.test(foldLabel(textOf(page(element).children('legend').first()))),
  );
  return fieldset.length > 0 ? fieldset.first() : page.root();
}

/** Every label in the scope with the text of what follows it (its value). */
function readFields(page: CheerioAPI, scope: Scope): Field[] {
  return scope
    .find('label')
    .toArray()
    .map((element) => {
      const label = page(element);
      const next = label.next();
      const value =
        next.length > 0 ? textOf(next) : textOf(label.parent()).slice(textOf(label).length).trim();
      return { label: foldLabel(textOf(label)).replace(/:$/, ''), value };
    });
}

function findLabels(page: CheerioAPI, pattern: RegExp): Field[] {
  return readFields(page, page.root()).filter((field) => pattern.test(field.label));
}

function findValue(fields: Field[], pattern: RegExp): string | undefined {
  const value = fields.find((field) => pattern.test(field.label))?.value;
  return value === '' ? undefined : value;
}

function readGeneral(fields: Field[], reading: PageReading) {
  const number = findValue(fields, /^numero$/);
  if (number && /^\d+$/.test(number)) reading.number = Number(number);
  const series = findValue(fields, /^serie$/);
  if (series && /^\d+$/.test(series)) reading.series = Number(series);
  const issued = findValue(fields, /^data (?:de |da )?emissao$/);
  const issuedAt = issued ? parseBrazilianDateTime(issued) : undefined;
  if (issuedAt) reading.issuedAt = issuedAt;
  const protocol = /(\d{15})/.exec(findValue(fields, /^protocolo/) ?? '')?.[1];
  if (protocol) reading.protocol = protocol;
}

function readIssuer(fields: Field[], reading: PageReading) {
  const name = findValue(fields, /^nome \/ razao social$|^razao social$/);
  if (name) reading.issuer.name = name;
  const document = findValue(fields, /^cnpj$|^cpf$/);
  if (document) reading.issuer.cnpj = compactDocument(document);
  const address = [
    findValue(fields, /^endereco$/),
    findValue(fields, /^bairro/),
    findValue(fields, /^municipio$/)?.replace(/^\d+\s*-\s*/, ''),
    findValue(fields, /^uf$/),
  ]
    .map((part) => part?.replace(/\s*,\s*$/, '').replace(/\s+,/g, ','))
    .filter((part): part is string => part !== undefined && part !== '');
  if (address.length > 0) reading.issuer.address = address.join(', ');
}

/** Item rows: cells classed `fixo-prod-serv-*`, or five-cell rows in the products section. */
function productRows(page: CheerioAPI) {
  const classed = page('td[class*="fixo-prod-serv-descricao"]').parent('tr');
  if (classed.length > 0) return classed;
  return section(page, '#Prod', /^dados dos produtos/)
    .find('table.toggle tr')
    .filter((_, row) => page(row).children('td').length === 5);
}

function readItems(page: CheerioAPI, reading: PageReading) {
  productRows(page).each((index, element) => {
    const row = page(element);
    const cells = row.children('td');
    const cell = (name: string, position: number) => {
      const classed = cells.filter(`[class*="fixo-prod-serv-${name}"]`);
      return textOf(classed.length > 0 ? classed.first() : cells.eq(position));
    };
    const details = readFields(page, row.closest('table').nextAll('table').first());
    const hasDetails = details.some((field) => /^codigo do produto$/.test(field.label));
    addItem(reading, index, {
      description: cell('descricao', 1),
      code: hasDetails ? findValue(details, /^codigo do produto$/) : undefined,
      quantity: cell('qtd', 2),
      unit: cell('uc', 3),
      unitPrice: hasDetails ? findValue(details, /^valor unitario de comercializacao$/) : undefined,
      total: cell('vb', 4),
    });
  });
}

function readTotals(fields: Field[], reading: PageReading) {
  for (const field of fields) {
    const amount = parseBrazilianMoneyToCents(field.value);
    if (amount === undefined) continue;
    if (applyTotalLabel(reading, field.label, amount)) continue;
    // What else enters vNF: ICMS-ST and IPI add to it, exempted ICMS comes off.
    if (/^valor (?:do )?icms (?:substituicao|st)|^valor total do ipi$/.test(field.label)) {
      reading.surcharges = (reading.surcharges ?? 0) + amount;
    } else if (/^valor do icms desonerado$/.test(field.label)) {
      reading.surcharges = (reading.surcharges ?? 0) - amount;
    }
  }
}

/** Payment tables: a row of labels (method, amount columns) followed by rows of values. */
function readPayments(page: CheerioAPI, reading: PageReading) {
  const scope = section(page, '#Cobranca', /pagamento/);
  const payments: Array<{ method: string; amount: number }> = [];
  scope.find('table').each((_, table) => {
    let methodColumn = -1;
    let amountColumn = -1;
    page(table)
      .children('tbody')
      .children('tr')
      .add(page(table).children('tr'))
      .each((_, element) => {
        const cells = page(element).children('td');
        const labels = cells.toArray().map((cell) => foldLabel(textOf(page(cell).find('label'))));
        const method = labels.findIndex((label) => /^(?:meio|forma) de pagamento$/.test(label));
        const amount = labels.findIndex((label) => /^valor do pagamento$/.test(label));
        if (method >= 0 && amount >= 0) {
          methodColumn = method;
          amountColumn = amount;
          return;
        }
        if (methodColumn < 0 || labels.some((label) => label !== '')) return;
        const value = parseBrazilianMoneyToCents(textOf(cells.eq(amountColumn)));
        const name = textOf(cells.eq(methodColumn)).replace(/^\d+\s*-\s*/, '');
        if (value !== undefined && name !== '') payments.push({ method: name, amount: value });
      });
  });
  if (payments.length > 0) reading.paymentMethods = payments;
  const change = findValue(readFields(page, scope), /^(?:valor do )?troco$/);
  const changeAmount = change ? parseBrazilianMoneyToCents(change) : undefined;
  if (changeAmount !== undefined) reading.change = changeAmount;
}
