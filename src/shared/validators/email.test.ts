import { describe, expect, it } from 'vitest';
import { validateEmail } from './email.js';

describe('validateEmail', () => {
  it.each([
    ['maria@exemplo.com.br', 'maria@exemplo.com.br'],
    ['Maria.Silva@Exemplo.COM.BR', 'Maria.Silva@exemplo.com.br'],
    ['joao+recado@gmail.com', 'joao+recado@gmail.com'],
    ["o'neil_99@empresa.pt", "o'neil_99@empresa.pt"],
    ['email@example.com', 'email@example.com'],
    ['  ana@sapo.pt  ', 'ana@sapo.pt'],
    ['ana@sapo.pt.', 'ana@sapo.pt'],
    ['E-mail: ana@sapo.pt', 'ana@sapo.pt'],
    ['meu email é ana@sapo.pt', 'ana@sapo.pt'],
    ['mailto:ana@sapo.pt', 'ana@sapo.pt'],
    ['<ana@sapo.pt>', 'ana@sapo.pt'],
    // Autocorrect puts spaces around "@" and ".".
    ['ana @ sapo. pt', 'ana@sapo.pt'],
    ['ana@mail.empresa.co.uk', 'ana@mail.empresa.co.uk'],
    ['x@a-b.io', 'x@a-b.io'],
    // Internationalized addresses.
    ['joão@exemplo.com.br', 'joão@exemplo.com.br'],
    ['contato@açaí.com.br', 'contato@açaí.com.br'],
    ['ana@XN--ACA-0LA.com', 'ana@xn--aca-0la.com'],
    ['ana@exemplo.xn--p1ai', 'ana@exemplo.xn--p1ai'],
  ])('%j → %s', (input, value) => {
    expect(validateEmail(input)).toEqual({ ok: true, value, display: value });
  });

  it.each([
    ['', 'empty'],
    ['ana silva@gmail.com', 'contains-spaces'],
    ['ana.gmail.com', 'missing-at'],
    ['ana@@gmail.com', 'multiple-at'],
    ['ana@joao@gmail.com', 'multiple-at'],
    ['@gmail.com', 'invalid-local-part'],
    ['.ana@gmail.com', 'invalid-local-part'],
    ['ana.@gmail.com', 'invalid-local-part'],
    ['ana..silva@gmail.com', 'invalid-local-part'],
    ['"ana"@gmail.com', 'invalid-local-part'],
    ['ana(x)@gmail.com', 'invalid-local-part'],
    [`${'a'.repeat(65)}@gmail.com`, 'invalid-local-part'],
    ['ana@', 'invalid-domain'],
    ['ana@gmail', 'invalid-domain'],
    ['ana@-gmail.com', 'invalid-domain'],
    ['ana@gmail-.com', 'invalid-domain'],
    ['ana@gmail..com', 'invalid-domain'],
    ['ana@gmail.c', 'invalid-domain'],
    ['ana@gmail.123', 'invalid-domain'],
    ['ana@[192.168.0.1]', 'invalid-domain'],
    ['ana@gma_il.com', 'invalid-domain'],
    [`ana@${'a'.repeat(64)}.com`, 'invalid-domain'],
    [`ana@${'abc.'.repeat(70)}com`, 'invalid-domain'],
    ['ana@gmial.com', 'possible-typo'],
    ['ana@gmail.con', 'possible-typo'],
    ['ana@hotmial.com', 'possible-typo'],
    ['ana@empresa.com.bt', 'possible-typo'],
    ['ana@empresa.combr', 'possible-typo'],
    ['a'.repeat(401), 'too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(validateEmail(input)).toMatchObject({ ok: false, reason });
  });

  it.each([
    ['ana@gmial.com', 'ana@gmail.com'],
    ['ana@gmail.con', 'ana@gmail.com'],
    ['ana@gmail.com.br', 'ana@gmail.com'],
    ['ana@hotmail.cmo', 'ana@hotmail.com'],
    ['ana@yaho.com.br', 'ana@yahoo.com.br'],
    ['ana@uol.con.br', 'ana@uol.com.br'],
    ['ana@outlok.com', 'ana@outlook.com'],
    ['Ana@gmial.com', 'Ana@gmail.com'],
  ])('suggests %s → %s', (input, suggestion) => {
    const result = validateEmail(input);
    expect(result).toMatchObject({ ok: false, reason: 'possible-typo', details: { suggestion } });
    expect(result.ok || result.message['pt-BR']).toContain(`você quis dizer ${suggestion}?`);
  });

  it('leaves real domains next to the big ones alone', () => {
    for (const domain of ['mail.com', 'ymail.com', 'email.com', 'gmx.com', 'hotmail.com.br']) {
      expect(validateEmail(`ana@${domain}`)).toMatchObject({ ok: true });
    }
  });

  it('accepts a misspelling when the flow turns suggestions off', () => {
    expect(validateEmail('ana@gmial.com', { suggestTypos: false })).toMatchObject({
      ok: true,
      value: 'ana@gmial.com',
    });
  });

  it('keeps to the company domains a flow allows', () => {
    const options = { allowedDomains: ['Empresa.com.br', 'grupo.pt'] };
    expect(validateEmail('ana@empresa.com.br', options)).toMatchObject({ ok: true });
    expect(validateEmail('ana@vendas.empresa.com.br', options)).toMatchObject({ ok: true });
    expect(validateEmail('ana@grupo.pt', options)).toMatchObject({ ok: true });
    expect(validateEmail('ana@outraempresa.com.br', options)).toMatchObject({
      ok: false,
      reason: 'domain-not-allowed',
    });
    const result = validateEmail('ana@gmail.com', options);
    expect(result.ok || result.message['pt-BR']).toBe(
      'Use o e-mail da empresa (@empresa.com.br, @grupo.pt).',
    );
  });

  it('refuses free providers when a corporate address is asked', () => {
    const options = { rejectFreeProviders: true };
    for (const domain of ['gmail.com', 'hotmail.com', 'outlook.com.br', 'uol.com.br', 'sapo.pt']) {
      expect(validateEmail(`ana@${domain}`, options)).toMatchObject({
        ok: false,
        reason: 'free-provider',
      });
    }
    expect(validateEmail('ana@transportes-silva.pt', options)).toMatchObject({ ok: true });
  });

  it('says what is missing', () => {
    const noAt = validateEmail('ana.gmail.com');
    const noEnding = validateEmail('ana@gmail');
    expect(noAt.ok || noAt.message['pt-BR']).toMatch(/^Falta o @/);
    expect(noEnding.ok || noEnding.message['pt-BR']).toContain('gmail.com ou gmail.com.br');
  });
});
