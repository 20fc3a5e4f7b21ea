import { describe, expect, it } from 'vitest';
import {
  buildConfigPayload,
  checkConfigValues,
  configFieldsFromSchema,
  humanizeFieldKey,
  initialConfigValues,
  type JsonSchema,
} from './config-form';

/** What zod's `toJSONSchema(metaCloudConfigSchema, { io: 'input' })` gives. */
const metaCloudSchema: JsonSchema = {
  type: 'object',
  properties: {
    phoneNumberId: { type: 'string', pattern: '^\\d+$' },
    wabaId: { type: 'string', pattern: '^\\d+$' },
    accessToken: { type: 'string', minLength: 1 },
    appSecret: { type: 'string', minLength: 1 },
    verifyToken: { type: 'string', minLength: 1 },
    graphApiBaseUrl: { default: 'https://graph.facebook.com', type: 'string', format: 'uri' },
    apiVersion: { default: 'v23.0', type: 'string', pattern: '^v\\d+\\.\\d+$' },
  },
  required: ['phoneNumberId', 'wabaId', 'accessToken', 'appSecret', 'verifyToken'],
};
const metaSecrets = ['accessToken', 'appSecret', 'verifyToken'];

const mixedSchema: JsonSchema = {
  type: 'object',
  properties: {
    mode: { type: 'string', enum: ['fast', 'human'], default: 'human', description: 'Pacing' },
    delayMs: { type: 'integer', minimum: 0, maximum: 9_007_199_254_740_991 },
    ratio: { type: 'number', minimum: 0.5, maximum: 2 },
    isVerbose: { type: 'boolean', default: false },
    allowedPhones: { type: 'array', items: { type: 'string' }, default: [] },
    note: { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] },
    headers: { type: 'object' },
    contactEmail: { type: 'string', format: 'email' },
  },
  required: ['delayMs', 'note'],
};

describe('configFieldsFromSchema', () => {
  it('turns the Meta config into text, secret and url fields with what is required', () => {
    const fields = configFieldsFromSchema(metaCloudSchema, metaSecrets);
    expect(fields.map((f) => [f.key, f.kind, f.isRequired])).toEqual([
      ['phoneNumberId', 'text', true],
      ['wabaId', 'text', true],
      ['accessToken', 'secret', true],
      ['appSecret', 'secret', true],
      ['verifyToken', 'secret', true],
      ['graphApiBaseUrl', 'url', false],
      ['apiVersion', 'text', false],
    ]);
    expect(fields.at(-1)).toMatchObject({ defaultValue: 'v23.0', pattern: '^v\\d+\\.\\d+$' });
  });

  it('reads enums, numbers, booleans, string lists, nullable and unknown shapes', () => {
    const fields = configFieldsFromSchema(mixedSchema, []);
    expect(Object.fromEntries(fields.map((f) => [f.key, f.kind]))).toEqual({
      mode: 'enum',
      delayMs: 'integer',
      ratio: 'number',
      isVerbose: 'boolean',
      allowedPhones: 'string-list',
      note: 'text',
      headers: 'json',
      contactEmail: 'email',
    });
    const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));
    expect(byKey.mode).toMatchObject({ options: ['fast', 'human'], description: 'Pacing' });
    // A nullable field may be left empty even when listed as required.
    expect(byKey.note?.isRequired).toBe(false);
    expect(byKey.note?.maxLength).toBe(5);
    // zod's "any safe integer" bound is not a real limit.
    expect(byKey.delayMs).toMatchObject({ minimum: 0, isRequired: true });
    expect(byKey.delayMs?.maximum).toBeUndefined();
  });

  it('gives no fields for a config with only a type (nothing to set)', () => {
    expect(configFieldsFromSchema({ type: 'object' }, [])).toEqual([]);
  });
});

describe('checkConfigValues', () => {
  const fields = configFieldsFromSchema(metaCloudSchema, metaSecrets);

  it('asks for every required field of a new channel, and checks patterns and URLs', () => {
    const values = {
      ...initialConfigValues(fields),
      phoneNumberId: '12ab',
      graphApiBaseUrl: 'graph.facebook.com',
    };
    expect(checkConfigValues(fields, values, { kind: 'create' })).toEqual({
      phoneNumberId: 'pattern',
      wabaId: 'required',
      accessToken: 'required',
      appSecret: 'required',
      verifyToken: 'required',
      graphApiBaseUrl: 'url',
    });
  });

  it('lets stored secrets stay empty when editing, but not secrets never stored', () => {
    const values = initialConfigValues(fields, {
      phoneNumberId: '1055',
      wabaId: '2077',
      graphApiBaseUrl: 'https://graph.facebook.com',
    });
    expect(values.accessToken).toBe('');
    expect(
      checkConfigValues(fields, values, {
        kind: 'edit',
        storedSecrets: ['accessToken', 'appSecret'],
      }),
    ).toEqual({ verifyToken: 'required' });
  });

  it('checks numbers against their type and bounds', () => {
    const mixed = configFieldsFromSchema(mixedSchema, []);
    const base = initialConfigValues(mixed);
    const check = (delayMs: string, ratio: string) =>
      checkConfigValues(
        mixed,
        { ...base, delayMs, ratio, note: '', headers: '{}' },
        {
          kind: 'create',
        },
      );
    expect(check('250', '1,5')).toEqual({});
    expect(check('2.5', '3')).toEqual({ delayMs: 'integer', ratio: 'maximum' });
    expect(check('-1', 'abc')).toEqual({ delayMs: 'minimum', ratio: 'number' });
    expect(check('', '')).toEqual({ delayMs: 'required' });
  });

  it('rejects JSON that does not parse and text over its length', () => {
    const mixed = configFieldsFromSchema(mixedSchema, []);
    const values = {
      ...initialConfigValues(mixed),
      delayMs: '1',
      note: 'too long',
      headers: '{"a":',
      contactEmail: 'nobody',
    };
    expect(checkConfigValues(mixed, values, { kind: 'create' })).toEqual({
      note: 'maxLength',
      headers: 'json',
      contactEmail: 'email',
    });
  });
});

describe('buildConfigPayload', () => {
  it('sends typed values, leaves out empty optional fields and empty secrets', () => {
    const mixed = configFieldsFromSchema(mixedSchema, ['note']);
    const values = {
      ...initialConfigValues(mixed),
      delayMs: ' 250 ',
      ratio: '1,5',
      isVerbose: true,
      allowedPhones: [' +5511987654321 ', ''],
      note: '',
      headers: '{"x-team":"ops"}',
    };
    expect(buildConfigPayload(mixed, values)).toEqual({
      mode: 'human',
      delayMs: 250,
      ratio: 1.5,
      isVerbose: true,
      allowedPhones: ['+5511987654321'],
      headers: { 'x-team': 'ops' },
    });
  });

  it('keeps a secret exactly as typed, spaces included', () => {
    const fields = configFieldsFromSchema(metaCloudSchema, metaSecrets);
    const payload = buildConfigPayload(fields, {
      ...initialConfigValues(fields),
      phoneNumberId: ' 1055 ',
      accessToken: ' EAAB token ',
    });
    expect(payload).toEqual({ phoneNumberId: '1055', accessToken: ' EAAB token ' });
  });
});

describe('humanizeFieldKey', () => {
  it.each([
    ['phoneNumberId', 'Phone number id'],
    ['graphApiBaseUrl', 'Graph api base url'],
    ['api_version', 'Api version'],
  ])('%s → %s', (key, label) => {
    expect(humanizeFieldKey(key)).toBe(label);
  });
});

/** What `GET /channel-providers` gives for the providers with sessions and for Twilio. */
const wahaSchema: JsonSchema = {
  type: 'object',
  properties: {
    baseUrl: { type: 'string', maxLength: 2048, format: 'uri' },
    apiKey: { type: 'string', minLength: 1, maxLength: 512 },
    session: { default: 'default', type: 'string', pattern: '^[A-Za-z0-9_-]{1,54}$' },
    hmacKey: { type: 'string', minLength: 16, maxLength: 512 },
    engine: { type: 'string', enum: ['WEBJS', 'NOWEB', 'GOWS'] },
  },
  required: ['baseUrl', 'apiKey'],
};
const wahaSecrets = ['apiKey', 'hmacKey'];

const wppconnectSchema: JsonSchema = {
  type: 'object',
  properties: {
    baseUrl: { type: 'string', format: 'uri' },
    session: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    secretKey: { type: 'string', minLength: 1, maxLength: 512 },
  },
  required: ['baseUrl', 'session', 'secretKey'],
};

const twilioSchema: JsonSchema = {
  type: 'object',
  properties: {
    accountSid: { type: 'string', pattern: '^AC[0-9a-fA-F]{32}$' },
    authToken: { type: 'string', minLength: 1 },
    from: { type: 'string', pattern: '^whatsapp:\\+[1-9]\\d{6,14}$' },
    apiBaseUrl: { default: 'https://api.twilio.com', type: 'string', format: 'uri' },
    contentApiBaseUrl: { default: 'https://content.twilio.com', type: 'string', format: 'uri' },
  },
  required: ['accountSid', 'authToken', 'from'],
};

const sandboxSchema: JsonSchema = {
  type: 'object',
  properties: {
    deliveredAfterMs: { default: 300, type: 'integer', minimum: 0, maximum: 600000 },
    readAfterMs: { default: 1500, type: 'integer', minimum: 0, maximum: 3600000 },
    undeliverableNumbers: {
      default: [],
      maxItems: 100,
      type: 'array',
      items: { type: 'string', minLength: 3, maxLength: 40 },
    },
    interactive: { default: true, type: 'boolean' },
  },
};

describe('the providers of this server', () => {
  it('WAHA: an optional engine without default starts empty and is left out; the optional HMAC key too', () => {
    const fields = configFieldsFromSchema(wahaSchema, wahaSecrets);
    expect(fields.map((f) => [f.key, f.kind, f.isRequired])).toEqual([
      ['baseUrl', 'url', true],
      ['apiKey', 'secret', true],
      ['session', 'text', false],
      ['hmacKey', 'secret', false],
      ['engine', 'enum', false],
    ]);
    const values = {
      ...initialConfigValues(fields),
      baseUrl: 'http://waha:3000',
      apiKey: 'waha-key',
    };
    expect(initialConfigValues(fields).engine).toBe('');
    expect(checkConfigValues(fields, values, { kind: 'create' })).toEqual({});
    expect(buildConfigPayload(fields, values)).toEqual({
      baseUrl: 'http://waha:3000',
      apiKey: 'waha-key',
    });
  });

  it('WAHA: a short HMAC key, a bad session name and a URL without scheme are caught before sending', () => {
    const fields = configFieldsFromSchema(wahaSchema, wahaSecrets);
    const values = {
      ...initialConfigValues(fields),
      baseUrl: 'waha:3000',
      apiKey: 'k',
      session: 'vendas sp',
      hmacKey: 'too-short',
      engine: 'NOWEB',
    };
    expect(checkConfigValues(fields, values, { kind: 'create' })).toEqual({
      baseUrl: 'url',
      session: 'pattern',
      hmacKey: 'minLength',
    });
  });

  it('WAHA editing: stored secrets stay, an emptied session goes back to its default, a stored engine cannot be emptied', () => {
    const fields = configFieldsFromSchema(wahaSchema, wahaSecrets);
    const stored = { baseUrl: 'http://waha:3000', session: 'vendas', engine: 'GOWS' };
    const mode = {
      kind: 'edit' as const,
      storedSecrets: ['apiKey', 'hmacKey'],
      storedKeys: Object.keys(stored),
    };
    const values = initialConfigValues(fields, stored);
    expect(values).toMatchObject({ session: 'vendas', engine: 'GOWS', apiKey: '', hmacKey: '' });
    expect(checkConfigValues(fields, values, mode)).toEqual({});
    const emptied = { ...values, session: '', engine: '' };
    expect(checkConfigValues(fields, emptied, mode)).toEqual({ engine: 'cannotClear' });
    expect(buildConfigPayload(fields, { ...emptied, engine: 'WEBJS' }, mode)).toEqual({
      baseUrl: 'http://waha:3000',
      session: 'default',
      engine: 'WEBJS',
    });
  });

  it('WPPConnect: everything is required; the secret key is a secret', () => {
    const fields = configFieldsFromSchema(wppconnectSchema, ['secretKey']);
    expect(fields.map((f) => [f.key, f.kind, f.isRequired])).toEqual([
      ['baseUrl', 'url', true],
      ['session', 'text', true],
      ['secretKey', 'secret', true],
    ]);
    expect(checkConfigValues(fields, initialConfigValues(fields), { kind: 'create' })).toEqual({
      baseUrl: 'required',
      session: 'required',
      secretKey: 'required',
    });
    const values = {
      baseUrl: ' http://wppconnect:21465 ',
      session: 'onboarding',
      secretKey: 'THISISMYSECURETOKEN',
    };
    expect(checkConfigValues(fields, values, { kind: 'create' })).toEqual({});
    expect(buildConfigPayload(fields, values)).toEqual({
      baseUrl: 'http://wppconnect:21465',
      session: 'onboarding',
      secretKey: 'THISISMYSECURETOKEN',
    });
  });

  it('Twilio: the account SID and the whatsapp: sender are checked by their patterns; the URLs default', () => {
    const fields = configFieldsFromSchema(twilioSchema, ['authToken']);
    const values = {
      ...initialConfigValues(fields),
      accountSid: 'AC123',
      authToken: 'token',
      from: '+5511987654321',
      apiBaseUrl: 'ftp://api.twilio.com',
    };
    expect(checkConfigValues(fields, values, { kind: 'create' })).toEqual({
      accountSid: 'pattern',
      from: 'pattern',
      apiBaseUrl: 'url',
    });
    const fixed = {
      ...values,
      accountSid: `AC${'0a'.repeat(16)}`,
      from: 'whatsapp:+5511987654321',
      apiBaseUrl: '',
    };
    expect(checkConfigValues(fields, fixed, { kind: 'create' })).toEqual({});
    expect(Object.keys(buildConfigPayload(fields, fixed))).toEqual([
      'accountSid',
      'authToken',
      'from',
    ]);
  });

  it('sandbox: list items are checked for length and count, and an emptied list is sent as empty when editing', () => {
    const fields = configFieldsFromSchema(sandboxSchema, []);
    const list = fields.find((f) => f.key === 'undeliverableNumbers');
    expect(list).toMatchObject({ kind: 'string-list', maxItems: 100, item: { minLength: 3 } });
    const values = initialConfigValues(fields);
    const check = (numbers: string[]) =>
      checkConfigValues(fields, { ...values, undeliverableNumbers: numbers }, { kind: 'create' });
    expect(check(['+55 11 98765-4321'])).toEqual({});
    expect(check(['11'])).toEqual({ undeliverableNumbers: 'itemMinLength' });
    expect(check(['9'.repeat(41)])).toEqual({ undeliverableNumbers: 'itemMaxLength' });
    expect(check(Array.from({ length: 101 }, (_, i) => `+55119${i}`))).toEqual({
      undeliverableNumbers: 'maxItems',
    });
    const mode = {
      kind: 'edit' as const,
      storedSecrets: [],
      storedKeys: ['undeliverableNumbers', 'deliveredAfterMs'],
    };
    const edited = initialConfigValues(fields, {
      deliveredAfterMs: 200,
      undeliverableNumbers: ['+5511900000000'],
    });
    expect(buildConfigPayload(fields, { ...edited, undeliverableNumbers: [] }, mode)).toMatchObject(
      { undeliverableNumbers: [], deliveredAfterMs: 200 },
    );
    expect(
      buildConfigPayload(fields, { ...edited, deliveredAfterMs: '' }, mode).deliveredAfterMs,
    ).toBe(300);
  });
});
