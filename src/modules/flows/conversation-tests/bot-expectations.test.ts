import { describe, expect, it } from 'vitest';
import type { MessageContent } from '../../../shared/messaging/message-content.js';
import { checkMessage, describeExpectation, describeMessage } from './bot-expectations.js';
import type { BotExpectation } from './conversation-test.schema.js';

const text: MessageContent = { type: 'text', text: 'Qual é o seu e-mail?\n' };
const buttons: MessageContent = {
  type: 'buttons',
  body: 'Como posso ajudar?',
  buttons: [
    { id: 'signup', title: 'Fazer cadastro' },
    { id: 'human', title: 'Falar com atendente' },
  ],
};
const list: MessageContent = {
  type: 'list',
  body: 'Escolha o plano',
  buttonText: 'Ver planos',
  sections: [
    {
      rows: [
        { id: 'a', title: 'Básico' },
        { id: 'b', title: 'Completo' },
      ],
    },
  ],
};
const pdf: MessageContent = {
  type: 'document',
  mediaId: 'm1',
  mimeType: 'application/pdf',
  filename: 'recibo.pdf',
  caption: 'Seu recibo',
};
const photo: MessageContent = { type: 'image', mediaId: 'm2', mimeType: 'image/jpeg' };

describe('checkMessage', () => {
  it.each<[string, MessageContent, BotExpectation, string[]]>([
    ['exact text, trailing space aside', text, { exact: 'Qual é o seu e-mail?' }, []],
    [
      'exact text that differs',
      text,
      { exact: 'Qual é o seu email?' },
      ['the text is not exactly "Qual é o seu email?"'],
    ],
    ['every part contained', text, { contains: ['Qual', 'e-mail'] }, []],
    ['a part missing', text, { contains: ['Qual', 'CPF'] }, ['the text does not contain "CPF"']],
    ['a regex with flags', text, { regex: '/^qual é/i' }, []],
    ['a case-sensitive regex', text, { regex: '^qual é' }, ['the text does not match ^qual é']],
    [
      'the body of buttons and their titles',
      buttons,
      { exact: 'Como posso ajudar?', buttons: ['Fazer cadastro', 'Falar com atendente'] },
      [],
    ],
    [
      'buttons in another order',
      buttons,
      { buttons: ['Falar com atendente', 'Fazer cadastro'] },
      ['the buttons are [Fazer cadastro | Falar com atendente]'],
    ],
    [
      'buttons expected, text received',
      text,
      { buttons: ['Sim'] },
      ['it offers no buttons (it is a text message)'],
    ],
    ['list rows across sections', list, { list: ['Básico', 'Completo'] }, []],
    [
      'a document with its type and name',
      pdf,
      { document: { mimeType: 'application/pdf', filename: 'recibo.pdf' } },
      [],
    ],
    ['a document caption', pdf, { document: true, exact: 'Seu recibo' }, []],
    [
      'a document of another type',
      pdf,
      { document: { mimeType: 'image/png' } },
      ['its MIME type is application/pdf'],
    ],
    ['an image', photo, { image: { mimeType: 'image/jpeg' } }, []],
    [
      'an image expected, a document received',
      pdf,
      { image: true },
      ['it is not an image (it is a document message)'],
    ],
  ])('%s', (_, content, expectation, problems) => {
    expect(checkMessage(content, expectation)).toEqual(problems);
  });
});

describe('describing', () => {
  it('puts messages in words for a transcript', () => {
    expect(describeMessage(buttons)).toBe(
      '"Como posso ajudar?" with buttons [Fazer cadastro | Falar com atendente]',
    );
    expect(describeMessage(pdf)).toBe(
      '[document: application/pdf, recibo.pdf, caption "Seu recibo"]',
    );
  });

  it('puts expectations in words for a failure', () => {
    expect(describeExpectation({ contains: ['a', 'b'], buttons: ['Sim', 'Não'] })).toBe(
      'a text containing "a" and "b" and buttons [Sim | Não]',
    );
    expect(describeExpectation({ none: true })).toBe('no more messages');
  });
});
