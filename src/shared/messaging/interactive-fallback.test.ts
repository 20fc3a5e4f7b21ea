import { describe, expect, it } from 'vitest';
import {
  listOfferedOptions,
  matchNumberedReply,
  renderNumberedText,
} from './interactive-fallback.js';
import type { MessageContent } from './message-content.js';

const buttons = {
  type: 'buttons',
  header: 'Cobrança',
  body: 'Como deseja pagar?',
  footer: 'Recado',
  buttons: [
    { id: 'pix', title: 'Pix' },
    { id: 'boleto', title: 'Boleto' },
    { id: 'human', title: 'Falar com atendente' },
  ],
} as const satisfies MessageContent;

const list = {
  type: 'list',
  body: 'Escolha o serviço',
  buttonText: 'Ver opções',
  sections: [
    { title: 'Viagem', rows: [{ id: 'trip', title: 'Nova viagem', description: 'Começar' }] },
    {
      title: 'Recibos',
      rows: [
        { id: 'receipt', title: 'Enviar recibo' },
        { id: 'report', title: 'Relatório' },
      ],
    },
  ],
} as const satisfies MessageContent;

describe('numbered-text fallback for buttons and lists', () => {
  it('renders buttons as numbered lines with the header, footer and a hint', () => {
    expect(renderNumberedText(buttons)).toBe(
      '*Cobrança*\n\nComo deseja pagar?\n\n1. Pix\n2. Boleto\n3. Falar com atendente\n\n_Recado_\n\n_Responda com o número da opção._',
    );
    expect(renderNumberedText(buttons, 'en')).toContain('Reply with the number of your choice.');
  });

  it('numbers list rows across sections, with section titles and descriptions', () => {
    expect(renderNumberedText(list)).toBe(
      'Escolha o serviço\n\n*Viagem*\n1. Nova viagem — Começar\n*Recibos*\n2. Enviar recibo\n3. Relatório\n\n_Responda com o número da opção._',
    );
    expect(listOfferedOptions(list).map((option) => option.id)).toEqual([
      'trip',
      'receipt',
      'report',
    ]);
  });

  it.each([
    ['2', 'boleto'],
    [' 2. ', 'boleto'],
    ['2)', 'boleto'],
    ['opção 3', 'human'],
    ['Opcao 1', 'pix'],
    ['nº 2', 'boleto'],
    ['3️⃣', 'human'],
    ['*1*', 'pix'],
    ['boleto', 'boleto'],
    ['FALAR COM ATENDENTE', 'human'],
    ['píx', 'pix'],
  ])('reads %j as the option %s', (text, id) => {
    expect(matchNumberedReply(text, listOfferedOptions(buttons))?.id).toBe(id);
  });

  it.each(['4', '0', '22', 'quero pagar com pix amanhã', '', '1 2', 'two'])(
    'leaves %j as free text',
    (text) => {
      expect(matchNumberedReply(text, listOfferedOptions(buttons))).toBeUndefined();
    },
  );

  it('maps list rows by number with their kind and description', () => {
    expect(matchNumberedReply('1', listOfferedOptions(list))).toEqual({
      kind: 'list',
      id: 'trip',
      title: 'Nova viagem',
      description: 'Começar',
    });
  });
});
