import { describe, expect, it } from 'vitest';
import type { MessageContent } from '../../../../src/shared/messaging/message-content';
import { bubblePartsOf, choicesOf, mapUrlOf } from './message-parts';

describe('bubblePartsOf', () => {
  it.each<[string, MessageContent, ReturnType<typeof bubblePartsOf>]>([
    ['text', { type: 'text', text: 'Olá!' }, { body: 'Olá!' }],
    ['image without caption', { type: 'image', mediaId: 'm1' }, {}],
    [
      'document',
      { type: 'document', filename: 'boleto.pdf', caption: 'Seu boleto' },
      { header: 'boleto.pdf', body: 'Seu boleto' },
    ],
    [
      'location with a name only',
      { type: 'location', latitude: -23.55052, longitude: -46.633308, name: 'Sé' },
      { header: 'Sé', body: '-23.55052, -46.63331' },
    ],
    [
      'buttons',
      {
        type: 'buttons',
        header: 'Pedido 42',
        body: 'Confirma a entrega?',
        footer: 'Loja Centro',
        buttons: [{ id: 'yes', title: 'Sim' }],
      },
      { header: 'Pedido 42', body: 'Confirma a entrega?', footer: 'Loja Centro' },
    ],
    [
      'template with its rendered text',
      { type: 'template', name: 'cobranca', language: 'pt_BR', renderedText: 'Sua fatura vence' },
      { header: 'cobranca', body: 'Sua fatura vence' },
    ],
    [
      'template not rendered',
      { type: 'template', name: 'cobranca', language: 'pt_BR' },
      { header: 'cobranca' },
    ],
    [
      'a tapped list row',
      { type: 'interactive-reply', kind: 'list', id: 'r1', title: 'Boleto', description: 'PDF' },
      { body: 'Boleto', footer: 'PDF' },
    ],
    [
      'shared contacts',
      {
        type: 'contacts',
        contacts: [{ name: 'Ana', phones: [{ phone: '+5511987654321' }] }],
      },
      { body: 'Ana · +5511987654321' },
    ],
    ['a reaction', { type: 'reaction', messageProviderId: 'x', emoji: '👍' }, { body: '👍' }],
    [
      'unsupported',
      { type: 'unsupported', providerType: 'poll', description: 'Enquete' },
      { body: 'Enquete' },
    ],
  ])('%s', (_name, content, parts) => {
    expect(bubblePartsOf(content)).toEqual(parts);
  });
});

describe('choicesOf', () => {
  it('offers the buttons of a buttons message and the rows of a list', () => {
    expect(
      choicesOf({
        type: 'buttons',
        body: 'b',
        buttons: [
          { id: 'yes', title: 'Sim' },
          { id: 'no', title: 'Não' },
        ],
      }),
    ).toEqual([
      {
        rows: [
          { id: 'yes', title: 'Sim' },
          { id: 'no', title: 'Não' },
        ],
      },
    ]);
    expect(
      choicesOf({
        type: 'list',
        body: 'Escolha',
        buttonText: 'Opções',
        sections: [
          { title: 'Pagamento', rows: [{ id: 'pix', title: 'Pix', description: 'Na hora' }] },
          { rows: [{ id: 'human', title: 'Atendente' }] },
        ],
      }),
    ).toEqual([
      { title: 'Pagamento', rows: [{ id: 'pix', title: 'Pix', description: 'Na hora' }] },
      { rows: [{ id: 'human', title: 'Atendente' }] },
    ]);
    expect(choicesOf({ type: 'text', text: 'oi' })).toBeUndefined();
  });
});

describe('mapUrlOf', () => {
  it('points OpenStreetMap at the coordinates', () => {
    expect(mapUrlOf(-23.5, -46.6)).toBe(
      'https://www.openstreetmap.org/?mlat=-23.5&mlon=-46.6#map=17/-23.5/-46.6',
    );
  });
});
