import type { Money } from '../../shared/contracts/expenses.contract.js';
import { formatAmount, formatCnpj, formatCpf } from '../../shared/validators/index.js';
import type { ReceiptRow } from './expenses.repository.js';
import { formatDay, formatIsoDay, type Phrase, render, texts } from './expenses.texts.js';

/** What the bot says about receipts: the issuer, one receipt, a list, totals. */

function formatTaxId(taxId: string): string {
  if (/^[0-9A-Z]{12}\d{2}$/.test(taxId)) return formatCnpj(taxId);
  if (/^\d{11}$/.test(taxId)) return formatCpf(taxId);
  if (/^\d{9}$/.test(taxId)) return `${taxId.slice(0, 3)} ${taxId.slice(3, 6)} ${taxId.slice(6)}`;
  return taxId;
}

/** The issuer's name, or its tax id while the name is unknown ("CNPJ 11.222.333/0001-81"). */
export function describeIssuer(
  receipt: Pick<ReceiptRow, 'issuerName' | 'issuerTaxId' | 'source'>,
): string | Phrase {
  if (receipt.issuerName) return receipt.issuerName;
  if (!receipt.issuerTaxId) return '—';
  const phrase = receipt.source === 'pt-invoice' ? texts.issuerNif : texts.issuerCnpj;
  return render(phrase, { taxId: formatTaxId(receipt.issuerTaxId) });
}

export function amountOf(receipt: Pick<ReceiptRow, 'totalCents' | 'currency'>): Money | null {
  return receipt.totalCents === null
    ? null
    : { cents: receipt.totalCents, currency: receipt.currency };
}

/** What the bot says right after a receipt was registered. */
export function describeAddedReceipt(receipt: ReceiptRow): Phrase {
  const issuer = describeIssuer(receipt);
  const total = amountOf(receipt);
  switch (receipt.fetchStatus) {
    case 'manual':
      return render(texts.receivedManual, {
        amount: total ? formatAmount(total) : '—',
        date: receipt.issueDate ? formatIsoDay(receipt.issueDate) : '—',
        description: receipt.description ?? '—',
      });
    case 'parsed':
      return render(texts.receivedParsed, {
        amount: total ? formatAmount(total) : '—',
        issuer,
      });
    case 'needs-amount':
      return render(texts.receivedNeedsAmount, { issuer });
    case 'pending':
      return receipt.declaredTotalCents === null
        ? render(texts.receivedPending, { issuer })
        : render(texts.receivedPendingDeclared, {
            issuer,
            amount: formatAmount({ cents: receipt.declaredTotalCents, currency: receipt.currency }),
          });
  }
}

/** What the traveller is told when a pending receipt resolves later (undefined: nothing). */
export function describeResolvedReceipt(receipt: ReceiptRow): Phrase | undefined {
  const issuer = describeIssuer(receipt);
  const total = amountOf(receipt);
  if (receipt.fetchStatus === 'parsed' && total) {
    return render(texts.confirmedLater, { issuer, amount: formatAmount(total) });
  }
  if (receipt.fetchStatus === 'needs-amount') return render(texts.needsAmountLater, { issuer });
  return undefined;
}

/** One line of the list: "1. 10/03/2026 · CAFETERIA X · R$ 65,05". */
export function describeReceiptLine(receipt: ReceiptRow, position: number): Phrase {
  const day = receipt.issueDate ? formatIsoDay(receipt.issueDate) : formatDay(receipt.createdAt);
  const who = receipt.source === 'manual' ? (receipt.description ?? '—') : describeIssuer(receipt);
  const total = amountOf(receipt);
  let amount: string | Phrase;
  if (total) amount = formatAmount(total);
  else if (receipt.declaredTotalCents !== null) {
    const declared = formatAmount({
      cents: receipt.declaredTotalCents,
      currency: receipt.currency,
    });
    amount = render(
      {
        'pt-BR': '{declared} ({awaiting})',
        'pt-PT': '{declared} ({awaiting})',
        en: '{declared} ({awaiting})',
      },
      { declared, awaiting: texts.awaiting },
    );
  } else if (receipt.fetchStatus === 'pending') amount = texts.awaiting;
  else amount = texts.amountMissing;
  return render(
    {
      'pt-BR': '{n}. {day} · {who} · {amount}',
      'pt-PT': '{n}. {day} · {who} · {amount}',
      en: '{n}. {day} · {who} · {amount}',
    },
    { n: String(position), day, who, amount },
  );
}

/** "R$ 140,00 + 25,00 €"; "R$ 0,00" when nothing is confirmed. */
export function formatTotals(
  totals: readonly Money[],
  fallbackCurrency: Money['currency'] = 'BRL',
) {
  const shown = totals.filter((total) => total.cents !== 0);
  if (shown.length === 0) return formatAmount({ cents: 0, currency: fallbackCurrency });
  return shown.map((total) => formatAmount(total)).join(' + ');
}
