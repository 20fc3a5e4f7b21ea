import { describe, expect, it } from 'vitest';
import { CapturedLogs } from '../../../test/helpers/captured-logs.js';
import { createLogger } from './logger.js';
import { redactText } from './redact.js';

describe('redactText', () => {
  it.each([
    ['phone in E.164', 'from +5511987654321 ok', '+5511987654321'],
    ['spaced Portuguese phone', 'ligue +351 912 345 678', '912 345 678'],
    ['bare WhatsApp id', 'wa_id 5511987654321', '5511987654321'],
    ['formatted national phone', 'tel (11) 98765-4321', '98765-4321'],
    ['e-mail', 'user Maria.Silva+x@empresa.com.br logged', 'Maria.Silva+x@empresa.com.br'],
    ['formatted CPF', 'cpf 123.456.789-09', '123.456.789-09'],
    ['bare CPF', 'cpf 12345678909', '12345678909'],
    ['formatted CNPJ', 'cnpj 12.345.678/0001-95', '12.345.678/0001-95'],
    ['alphanumeric CNPJ', 'cnpj 12.ABC.345/01DE-35', '12.ABC.345/01DE-35'],
    ['NIF', 'nif 123456789', '123456789'],
    ['bearer token', 'Authorization: Bearer abc.def-ghi', 'abc.def-ghi'],
    ['jwt', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'eyJhbGciOiJIUzI1NiJ9'],
  ])('masks a %s', (_label, input, secret) => {
    const output = redactText(input);
    expect(output).not.toContain(secret);
  });

  it('leaves ordinary text, uuids and small numbers alone', () => {
    const text = 'request 3f2b8c1e-1234-4d5e-9f00-123456789012 took 42 ms, status 200';
    expect(redactText(text)).toBe(text);
  });
});

describe('logger redaction', () => {
  it('never writes personal data or secrets, whatever the field is called', () => {
    const logs = new CapturedLogs();
    const logger = createLogger({ level: 'info', destination: logs });
    logger.info(
      {
        contact: { phone: '+55 11 98765-4321', email: 'ana@example.com' },
        headers: { authorization: 'Bearer secret-token-value', 'x-api-key': 'k-123' },
        password: 'hunter2-hunter2',
        note: 'CPF 123.456.789-09 and NIF 123456789',
      },
      'message from +351912345678 about ana@example.com',
    );
    logger.error({ err: new Error('failed for +5511987654321') }, 'send failed');
    const text = logs.text;
    for (const secret of [
      '98765-4321',
      'ana@example.com',
      'secret-token-value',
      'k-123',
      'hunter2',
      '123.456.789-09',
      '123456789',
      '351912345678',
      '5511987654321',
    ]) {
      expect(text).not.toContain(secret);
    }
    // Lines stay valid JSON and keep their structure.
    const first = JSON.parse(logs.lines[0] ?? '{}') as Record<string, unknown>;
    expect(first.msg).toBe('message from [phone] about [email]');
    expect(first.password).toBe('[redacted]');
    const second = JSON.parse(logs.lines[1] ?? '{}') as { err: { message: string } };
    expect(second.err.message).toBe('failed for [phone]');
  });
});
