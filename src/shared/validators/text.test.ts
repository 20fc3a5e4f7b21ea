import { describe, expect, it } from 'vitest';
import { foldText, normalizeText, stripLeadingLabel } from './text.js';

describe('normalizeText', () => {
  it.each([
    ['  a  b  ', 'a b'],
    ['a\u00A0b\u202Fc\u2009d\te', 'a b c d e'],
    ['1\u200B2\u200C3\u200D4\uFEFF5\u00AD6', '123456'],
    ['a–b—c−d‐e', 'a-b-c-d-e'],
    ['０１２３４５６７８９', '0123456789'],
    ['٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['०१२३४५६७८९', '0123456789'],
    ['𝟎𝟏𝟐𝟗', '0129'],
    ['𝟘𝟙𝟚', '012'],
    ['（１１）／．', '(11)/.'],
    ['e\u0301', 'é'],
  ])('%j → %j', (input, output) => {
    expect(normalizeText(input)).toBe(output);
  });
});

describe('foldText', () => {
  it('drops case and accents', () => {
    expect(foldText('Amanhã, SÁBADO, terça, março, Ç')).toBe('amanha, sabado, terca, marco, c');
  });
});

describe('stripLeadingLabel', () => {
  it.each([
    ['CPF: 123', '123'],
    ['cpf 123', '123'],
    ['Meu CPF é 123', '123'],
    ['o meu cpf é: 123', '123'],
    ['CPF nº 123', '123'],
    ['CPF n.º 123', '123'],
    ['CPF = 123', '123'],
    ['CPF - 123', '123'],
    ['cpf123', 'cpf123'],
    ['123', '123'],
    ['cpfx 123', 'cpfx 123'],
  ])('%j → %j', (input, output) => {
    expect(stripLeadingLabel(input, ['cpf'])).toBe(output);
  });

  it('never takes the start of an address for a label', () => {
    expect(stripLeadingLabel('email@x.com', ['e-?mail'])).toBe('email@x.com');
    expect(stripLeadingLabel('email eduardo@x.com', ['e-?mail'])).toBe('eduardo@x.com');
    expect(stripLeadingLabel('email nome@x.com', ['e-?mail'])).toBe('nome@x.com');
    expect(stripLeadingLabel('E-mail: Nome@X.com', ['e-?mail'])).toBe('Nome@X.com');
  });
});
