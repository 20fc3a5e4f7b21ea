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

/** A document as the editor shows it: two-space indented JSON. */
export function formatFlowDocument(document: unknown): string {
  return JSON.stringify(document, null, 2);
}
