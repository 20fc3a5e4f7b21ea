import { validateCnpj } from '../../../shared/validators/cnpj.js';
import { validateCpf } from '../../../shared/validators/cpf.js';
import { decodeAccessKey, formatAccessKey } from './access-key.js';
import { formatCentsBrazilian } from './amounts.js';
import type {
  ConsultationReceipt,
  PageProblem,
  PageReading,
  ReceiptIssuer,
} from './consultation-receipt.js';

/**
 * The checks that stand between a page and an amount in an expense report. A reading passes
 * only when the numbers agree with each other and with the key:
 *
 * - every item: quantity × unit price ≈ item total (the unit price may be printed rounded);
 * - the items add up to the items total the page prints, or — when it prints none — to the
 *   total plus discounts minus surcharges;
 * - items total − discounts + surcharges = total;
 * - the number of item rows equals the declared item count, and no row was unreadable;
 * - payments − change = total, when the page lists payments;
 * - the issuer's CNPJ is valid;
 * - the key on the page is a valid key, equals the QR's key (when given), and its issuer, number,
 *   series and month agree with what the page prints.
 *
 * Sums of printed values may differ by one cent (pages that truncate); nothing more.
 */

export type ReceiptCheckOptions = {
  /** The key from the QR code the page was fetched for. */
  expectedAccessKey?: string | undefined;
};

const sumTolerance = 1;

export function checkReading(
  reading: PageReading,
  options: ReceiptCheckOptions = {},
): { receipt: ConsultationReceipt; problems: [] } | { problems: PageProblem[] } {
  const problems: PageProblem[] = [];
  const add = (problem: PageProblem) => problems.push(problem);

  const { name, cnpj, address } = reading.issuer;
  if (!name) add(missing('issuer.name', 'o nome do emitente', "the issuer's name"));
  if (!cnpj) add(missing('issuer.cnpj', 'o CNPJ do emitente', "the issuer's CNPJ"));
  else if (!isValidIssuerDocument(cnpj)) {
    add({
      code: 'issuer-cnpj-invalid',
      message: {
        'pt-BR': `O CNPJ do emitente na página (${cnpj}) não é válido.`,
        en: `The issuer's CNPJ on the page (${cnpj}) is not valid.`,
      },
      details: { cnpj },
    });
  }
  const { total } = reading;
  if (total === undefined) add(missing('total', 'o valor total', 'the total'));
  if (reading.items.length === 0 && reading.unreadableItems.length === 0) {
    add(missing('items', 'os itens', 'the items'));
  }
  if (reading.unreadableItems.length > 0) {
    add({
      code: 'unreadable-items',
      message: {
        'pt-BR': `${reading.unreadableItems.length} item(ns) da página não puderam ser lidos.`,
        en: `${reading.unreadableItems.length} item(s) on the page could not be read.`,
      },
      details: {
        items: reading.unreadableItems.map((item) => `${item.index}:${item.missing}`).join(','),
      },
    });
  }

  checkItemArithmetic(reading, add);
  checkSums(reading, add);
  checkKey(reading, options, add);

  if (problems.length > 0 || !name || !cnpj || total === undefined) return { problems };
  return { receipt: toReceipt(reading, { name, cnpj, address }, total), problems: [] };
}

function checkItemArithmetic(reading: PageReading, add: (problem: PageProblem) => void) {
  const wrong: number[] = [];
  reading.items.forEach((item, index) => {
    if (item.unitPriceDerived) return;
    const expected = item.quantity * item.unitPrice;
    // A unit price printed rounded to the cent is off by up to half a cent per unit.
    const tolerance = 1 + Math.ceil(item.quantity * 0.5);
    if (Math.abs(expected - item.total) > tolerance) wrong.push(index);
  });
  if (wrong.length > 0) {
    add({
      code: 'item-arithmetic',
      message: {
        'pt-BR': `Em ${wrong.length} item(ns), quantidade × preço unitário não dá o total do item.`,
        en: `In ${wrong.length} item(s), quantity × unit price does not give the item total.`,
      },
      details: { items: wrong.join(',') },
    });
  }
}

function checkSums(reading: PageReading, add: (problem: PageProblem) => void) {
  const itemsSum = reading.items.reduce((sum, item) => sum + item.total, 0);
  const discounts = reading.discounts ?? 0;
  const surcharges = reading.surcharges ?? 0;
  const { total, itemsTotal } = reading;

  const itemsTarget =
    itemsTotal ?? (total !== undefined ? total + discounts - surcharges : undefined);
  if (itemsTarget !== undefined && Math.abs(itemsSum - itemsTarget) > sumTolerance) {
    add({
      code: 'items-sum-mismatch',
      message: {
        'pt-BR': `Os itens somam R$ ${formatCentsBrazilian(itemsSum)}, mas a página diz R$ ${formatCentsBrazilian(itemsTarget)}.`,
        en: `The items add up to R$ ${formatCentsBrazilian(itemsSum)}, but the page says R$ ${formatCentsBrazilian(itemsTarget)}.`,
      },
      details: { itemsSum, expected: itemsTarget },
    });
  }
  if (total !== undefined && itemsTotal !== undefined) {
    const expectedTotal = itemsTotal - discounts + surcharges;
    if (Math.abs(expectedTotal - total) > sumTolerance) {
      add({
        code: 'totals-mismatch',
        message: {
          'pt-BR': `Valor dos itens − descontos + acréscimos dá R$ ${formatCentsBrazilian(expectedTotal)}, mas o total da página é R$ ${formatCentsBrazilian(total)}.`,
          en: `Items − discounts + surcharges gives R$ ${formatCentsBrazilian(expectedTotal)}, but the page total is R$ ${formatCentsBrazilian(total)}.`,
        },
        details: { expected: expectedTotal, total },
      });
    }
  }
  const rows = reading.items.length + reading.unreadableItems.length;
  if (reading.declaredItemCount !== undefined && reading.declaredItemCount !== rows) {
    add({
      code: 'item-count-mismatch',
      message: {
        'pt-BR': `A página declara ${reading.declaredItemCount} itens, mas lista ${rows}.`,
        en: `The page declares ${reading.declaredItemCount} items but lists ${rows}.`,
      },
      details: { declared: reading.declaredItemCount, listed: rows },
    });
  }
  const paid =
    reading.paymentMethods?.reduce((sum, payment) => sum + payment.amount, 0) ?? reading.paid;
  if (paid !== undefined && total !== undefined) {
    const net = paid - (reading.change ?? 0);
    if (Math.abs(net - total) > sumTolerance) {
      add({
        code: 'payments-mismatch',
        message: {
          'pt-BR': `Os pagamentos (menos o troco) somam R$ ${formatCentsBrazilian(net)}, mas o total é R$ ${formatCentsBrazilian(total)}.`,
          en: `The payments (less change) add up to R$ ${formatCentsBrazilian(net)}, but the total is R$ ${formatCentsBrazilian(total)}.`,
        },
        details: { paid: net, total },
      });
    }
  }
}

function checkKey(
  reading: PageReading,
  options: ReceiptCheckOptions,
  add: (problem: PageProblem) => void,
) {
  const pageKey = reading.accessKey;
  const expected = options.expectedAccessKey?.replace(/\s/g, '').toUpperCase();
  if (pageKey === undefined) {
    if (expected !== undefined) {
      add({
        code: 'page-key-missing',
        message: {
          'pt-BR':
            'A página não mostra a chave de acesso; não dá para conferir que é a mesma nota.',
          en: 'The page shows no access key; it cannot be checked to be the same invoice.',
        },
      });
    }
    return;
  }
  if (expected !== undefined && pageKey !== expected) {
    add({
      code: 'key-mismatch',
      message: {
        'pt-BR': `A chave na página (${formatAccessKey(pageKey)}) não é a do QR Code (${formatAccessKey(expected)}).`,
        en: `The key on the page (${formatAccessKey(pageKey)}) is not the QR code's (${formatAccessKey(expected)}).`,
      },
      details: { pageKey, expected },
    });
  }
  const decoded = decodeAccessKey(pageKey);
  if (!decoded.ok) {
    add({
      code: 'page-key-invalid',
      message: {
        'pt-BR': `A chave de acesso na página não é válida: ${decoded.message['pt-BR']}`,
        en: `The access key on the page is not valid: ${decoded.message.en}`,
      },
      details: { pageKey, reason: decoded.reason },
    });
  }
  // The fields are compared even when the check digit fails: they tell what was altered.
  const keyIssuer = pageKey.slice(6, 20);
  const cnpj = reading.issuer.cnpj;
  if (cnpj !== undefined && keyIssuer !== cnpj.padStart(14, '0')) {
    add({
      code: 'key-issuer-mismatch',
      message: {
        'pt-BR': 'O CNPJ dentro da chave de acesso não é o do emitente mostrado na página.',
        en: "The CNPJ inside the access key is not the issuer's shown on the page.",
      },
      details: { keyIssuer, pageIssuer: cnpj },
    });
  }
  const keyNumber = Number(pageKey.slice(25, 34));
  if (reading.number !== undefined && reading.number !== keyNumber) {
    add({
      code: 'key-number-mismatch',
      message: {
        'pt-BR': `A chave de acesso é da nota nº ${keyNumber}, mas a página mostra a nº ${reading.number}.`,
        en: `The access key is for invoice no. ${keyNumber}, but the page shows no. ${reading.number}.`,
      },
      details: { keyNumber, pageNumber: reading.number },
    });
  }
  const keySeries = Number(pageKey.slice(22, 25));
  if (reading.series !== undefined && reading.series !== keySeries) {
    add({
      code: 'key-series-mismatch',
      message: {
        'pt-BR': `A chave de acesso é da série ${keySeries}, mas a página mostra a série ${reading.series}.`,
        en: `The access key is for series ${keySeries}, but the page shows series ${reading.series}.`,
      },
      details: { keySeries, pageSeries: reading.series },
    });
  }
  const issuedMonth = reading.issuedAt?.slice(2, 4).concat(reading.issuedAt.slice(5, 7));
  if (issuedMonth !== undefined && issuedMonth !== pageKey.slice(2, 6)) {
    add({
      code: 'key-date-mismatch',
      message: {
        'pt-BR': 'O mês de emissão na chave de acesso não é o da data mostrada na página.',
        en: 'The month of emission in the access key is not that of the date on the page.',
      },
      details: { keyMonth: pageKey.slice(2, 6), pageMonth: issuedMonth },
    });
  }
}

function isValidIssuerDocument(document: string): boolean {
  return document.length === 11 ? validateCpf(document).ok : validateCnpj(document).ok;
}

function missing(fieldName: string, pt: string, en: string): PageProblem {
  return {
    code: 'missing-field',
    message: { 'pt-BR': `A página não mostra ${pt}.`, en: `The page does not show ${en}.` },
    details: { field: fieldName },
  };
}

function toReceipt(
  reading: PageReading,
  issuer: ReceiptIssuer,
  total: number,
): ConsultationReceipt {
  const receipt: ConsultationReceipt = {
    issuer: issuer.address === undefined ? { name: issuer.name, cnpj: issuer.cnpj } : issuer,
    items: reading.items,
    total,
  };
  const optional = [
    'accessKey',
    'itemsTotal',
    'discounts',
    'surcharges',
    'paymentMethods',
    'change',
    'taxes',
    'issuedAt',
    'number',
    'series',
    'protocol',
    'declaredItemCount',
  ] as const;
  for (const key of optional) {
    const value = reading[key];
    if (value !== undefined) Object.assign(receipt, { [key]: value });
  }
  return receipt;
}
