import type { CheerioAPI } from 'cheerio';
import { parseBrazilianMoneyToCents } from '../amounts.js';
import { createEmptyReading, type PageLayout, type PageReading } from '../consultation-receipt.js';
import {
  afterLabel,
  compactDocument,
  findAccessKey,
  foldLabel,
  parseBrazilianDateTime,
  textOf,
} from '../page-text.js';
import { joinAddress } from './mobile-template.layout.js';
import { addItem, applyTotalLabel } from './reading-helpers.js';

/**
 * The ASP.NET item-list layout (Rio Grande do Norte's "NFC-e Consulta para dispositivos
 * móveis"): labelled spans (`lblRazaoSocialEmitente` "RAZÃO SOCIAL: …", `lblCPFCNPJEmitente`,
 * `lblEnderecoEmitente`, `lblNumeroSerie` "NÚMERO: … SÉRIE: …", `lblChave`, `lblDataEmissao`),
 * the items in a GridView whose cells are spans `tbItensList_lblTbItens<Field>_<row>`
 * (Codigo — the item's sequence number, not a product code —, Descricao, Qtde, Unidade,
 * ValorUnid, ValorTotal), and a totals table of bold label and value rows.
 */
export const aspnetItemListLayout: PageLayout = {
  id: 'aspnet-item-list',

  matches(page) {
    return page('span[id*="lblTbItensDescricao_"]').length > 0;
  },

  read(page) {
    const reading = createEmptyReading();
    readHeader(page, reading);
    readItems(page, reading);
    readTotals(page, reading);
    return reading;
  },
};

function byId(page: CheerioAPI, id: string): string {
  return textOf(page(`[id="${id}"], [id$="_${id}"]`).first());
}

function readHeader(page: CheerioAPI, reading: PageReading) {
  const name = afterLabel(byId(page, 'lblRazaoSocialEmitente'), /^RAZ[ÃA]O SOCIAL\s*:?/i);
  if (name !== '') reading.issuer.name = name;
  const document = afterLabel(byId(page, 'lblCPFCNPJEmitente'), /^(?:CNPJ|CPF)\s*:?/i);
  if (document !== '') reading.issuer.cnpj = compactDocument(document);
  const address = afterLabel(byId(page, 'lblEnderecoEmitente'), /^ENDERE[ÇC]O\s*:?/i);
  if (address !== '') reading.issuer.address = joinAddress(address);

  const numberSeries = byId(page, 'lblNumeroSerie');
  const number = /N[ÚU]MERO:?\s*(\d+)/i.exec(numberSeries)?.[1];
  if (number) reading.number = Number(number);
  const series = /S[ÉE]RIE:?\s*(\d+)/i.exec(numberSeries)?.[1];
  if (series) reading.series = Number(series);
  const key = findAccessKey(byId(page, 'lblChave'));
  if (key) reading.accessKey = key;
  const issuedAt = parseBrazilianDateTime(byId(page, 'lblDataEmissao'));
  if (issuedAt) reading.issuedAt = issuedAt;
  const protocol = /(\d{15})/.exec(byId(page, 'lblProtocolo'))?.[1];
  if (protocol) reading.protocol = protocol;
}

function readItems(page: CheerioAPI, reading: PageReading) {
  // One pass over the item spans, keyed by id: a selector per cell would scan the page (with
  // its view state) hundreds of times.
  const cells = new Map<string, string>();
  page('span[id*="lblTbItens"]').each((_, element) => {
    const id = page(element).attr('id');
    if (id) cells.set(id, textOf(page(element)));
  });
  const descriptions = [...cells.keys()].filter((id) => /lblTbItensDescricao_\d+$/.test(id));
  descriptions.forEach((id, index) => {
    const [, prefix = '', row = ''] = /^(.*)lblTbItensDescricao_(\d+)$/.exec(id) ?? [];
    const cell = (field: string) => cells.get(`${prefix}lblTbItens${field}_${row}`);
    addItem(reading, index, {
      description: cells.get(id),
      quantity: cell('Qtde'),
      unit: cell('Unidade'),
      unitPrice: cell('ValorUnid'),
      total: cell('ValorTotal'),
    });
  });
}

/** The totals table: each row a bold label and a value span. */
function readTotals(page: CheerioAPI, reading: PageReading) {
  let method: string | undefined;
  page('tr').each((_, element) => {
    const row = page(element);
    if (row.find('[id*="lblTbItens"]').length > 0) return;
    const cells = row.children('td');
    if (cells.length !== 2) return;
    const label = foldLabel(textOf(cells.eq(0)));
    const valueElement = cells.eq(1).find('span').first();
    const valueText = textOf(valueElement.length > 0 ? valueElement : cells.eq(1));
    if (/^forma (?:de )?pagamento/.test(label)) {
      method = valueText;
      return;
    }
    const amount = parseBrazilianMoneyToCents(valueText);
    if (amount !== undefined) applyTotalLabel(reading, label, amount);
  });
  // The page prints no total of the note: it is the products less discounts plus charges —
  // derived only when the amount paid is printed too, so the payments check can refute it.
  if (
    reading.total === undefined &&
    reading.itemsTotal !== undefined &&
    reading.paid !== undefined
  ) {
    reading.total = reading.itemsTotal - (reading.discounts ?? 0) + (reading.surcharges ?? 0);
  }
  if (method && reading.paid !== undefined) {
    reading.paymentMethods = [{ method, amount: reading.paid }];
  }
}
