import { load } from 'cheerio';
import type { ConsultationPageResult, PageLayout } from './consultation-receipt.js';
import { aspnetItemListLayout } from './page-layouts/aspnet-item-list.layout.js';
import { mgPortalLayout } from './page-layouts/mg-portal.layout.js';
import { mobileTemplateLayout } from './page-layouts/mobile-template.layout.js';
import { tabsViewLayout } from './page-layouts/tabs-view.layout.js';
import { foldLabel } from './page-text.js';
import { checkReading, type ReceiptCheckOptions } from './receipt-checks.js';

/**
 * Reads an NFC-e consultation page: picks the layout family by what the page contains (never
 * by state), reads it, and checks the reading (receipt-checks.ts). Only a reading that passes
 * every check is `verified` and carries an amount; anything else is `unverified` (with the
 * problems and what was read), `not-available` (the portal has no such note yet) or
 * `unknown-layout`.
 */

/** Most specific first: the ASP.NET ids and the Minas Gerais rows are unmistakable. */
export const pageLayouts: readonly PageLayout[] = [
  aspnetItemListLayout,
  mgPortalLayout,
  tabsViewLayout,
  mobileTemplateLayout,
];

/** Pages are tens of kilobytes (the 93-item RN page: 134 kB); far more is not a receipt. */
export const maxPageChars = 5_000_000;

export function parseConsultationPage(
  html: string,
  options: ReceiptCheckOptions = {},
): ConsultationPageResult {
  if (html.length > maxPageChars) {
    return {
      status: 'unknown-layout',
      message: {
        'pt-BR': 'A página de consulta é grande demais para ser a de uma nota fiscal.',
        en: 'The consultation page is too large to be an invoice page.',
      },
    };
  }
  const page = load(html);
  const layout = pageLayouts.find((candidate) => candidate.matches(page));
  if (!layout) {
    page('script, style, noscript').remove();
    const text = foldLabel(page.root().text());
    if (notAvailablePatterns.some((pattern) => pattern.test(text))) {
      return {
        status: 'not-available',
        message: {
          'pt-BR':
            'O site da Secretaria da Fazenda ainda não tem essa nota. Notas emitidas sem conexão podem levar até alguns dias para aparecer.',
          en: 'The tax authority site does not have this invoice yet. Invoices issued offline can take a few days to appear.',
        },
      };
    }
    return {
      status: 'unknown-layout',
      message: {
        'pt-BR': 'Não reconheci o formato da página de consulta dessa nota.',
        en: "The invoice's consultation page has a format this reader does not know.",
      },
    };
  }
  const reading = layout.read(page);
  const checked = checkReading(reading, options);
  if ('receipt' in checked) {
    return { status: 'verified', layout: layout.id, receipt: checked.receipt };
  }
  return { status: 'unverified', layout: layout.id, problems: checked.problems, reading };
}

/** What portals say when the note is not (yet) in their database; matched on folded text. */
const notAvailablePatterns = [
  /nao (?:foi )?(?:encontrad|localizad)/,
  /nao consta/,
  /inexistente/,
  /nao existe/,
  /ainda nao (?:foi )?(?:autorizad|processad|transmitid|disponi)/,
];
