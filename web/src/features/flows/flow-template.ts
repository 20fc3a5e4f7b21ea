import type { FlowDocumentInput, FlowLocale } from '../../../../src/shared/flows/flow-document';

/** The texts of a new flow, in the language of whoever creates it. */
export type FlowTemplateTexts = {
  welcome: string;
  orderButton: string;
  humanButton: string;
  askOrder: string;
  orderDescription: string;
  confirmation: string;
  welcomeLabel: string;
  askOrderLabel: string;
};

/** The dashboard's language as a flow locale (a flow speaks pt-BR, pt-PT or en). */
export function flowLocaleOf(language: string): FlowLocale {
  if (language === 'pt-PT' || language === 'en') return language;
  return language.startsWith('en') ? 'en' : 'pt-BR';
}

/**
 * What "New flow" starts from: small, valid and publishable as it is, and showing the parts
 * of a flow — a message with buttons whose choices are ports, a question stored in a
 * variable, a template reading it, and a handoff to a person.
 */
export function newFlowDocument(
  name: string,
  locale: FlowLocale,
  texts: FlowTemplateTexts,
): FlowDocumentInput {
  return {
    schemaVersion: 1,
    name,
    locale,
    variables: { pedido: { type: 'string', description: texts.orderDescription } },
    start: 'boas-vindas',
    blocks: {
      'boas-vindas': {
        type: 'message.buttons',
        label: texts.welcomeLabel,
        options: {
          text: texts.welcome,
          buttons: [
            { id: 'pedido', title: texts.orderButton },
            { id: 'humano', title: texts.humanButton },
          ],
        },
        on: { pedido: 'pergunta-pedido', humano: 'atendente' },
      },
      'pergunta-pedido': {
        type: 'input.text',
        label: texts.askOrderLabel,
        options: { prompt: texts.askOrder, variable: 'pedido' },
        next: 'confirmacao',
      },
      confirmacao: { type: 'message.text', options: { text: texts.confirmation } },
      atendente: { type: 'action.handoff', options: {} },
    },
  };
}

const documentKeyOrder = [
  'schemaVersion',
  'name',
  'description',
  'locale',
  'timeZone',
  'variables',
  'start',
  'settings',
  'blocks',
];
const blockKeyOrder = ['type', 'label', 'options', 'next', 'on', 'position'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object with the keys of `order` first, in that order, then the others as they were. */
function withKeyOrder(
  value: Record<string, unknown>,
  order: readonly string[],
): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  const keys = [
    ...order.filter((key) => Object.hasOwn(value, key)),
    ...Object.keys(value).filter((key) => !order.includes(key)),
  ];
  for (const key of keys) {
    Object.defineProperty(ordered, key, {
      value: value[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return ordered;
}

/**
 * A document as the editor shows it: two-space indented JSON, the envelope and each block in
 * reading order (name and start before the blocks; a block's type before its options and its
 * edges). The server stores drafts as JSONB, which does not keep the order keys were written
 * in; this keeps what a person reads the same however the draft came back.
 */
export function formatFlowDocument(document: unknown): string {
  if (!isRecord(document)) return JSON.stringify(document, null, 2) ?? 'null';
  const ordered = withKeyOrder(document, documentKeyOrder);
  if (isRecord(ordered.blocks)) {
    const blocks: Record<string, unknown> = {};
    for (const [id, block] of Object.entries(ordered.blocks)) {
      Object.defineProperty(blocks, id, {
        value: isRecord(block) ? withKeyOrder(block, blockKeyOrder) : block,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    ordered.blocks = blocks;
  }
  return JSON.stringify(ordered, null, 2);
}
