import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismServer, startPrism } from '../../../test/helpers/prism.js';
import { ProviderError } from '../provider.port.js';
import { twilioOutboundCases } from './fixtures/twilio-outbound.js';
import { type TwilioConfig, twilioProvider } from './twilio.provider.js';
import { buildMessagesUrl, buildTwilioSendForm } from './twilio.send.js';

/*
 * The real adapter against a Prism mock of Twilio's own OpenAPI description of the 2010-04-01
 * API (../shared/contracts/twilio-api-v2010.openapi.json). `--errors` makes Prism answer 422 to
 * a request that does not validate (form body, path) and 401 to one without basic auth, which
 * the adapter maps to a ProviderError: every send below must come back with the example's
 * Message SID instead. Prism runs offline, on a free loopback port, for the duration of this file.
 *
 * One quirk: OpenAPI 3.0 says a form-encoded array property is `style: form, explode: true`
 * unless its `encoding` says otherwise, so `MediaUrl=…` is a list of one. Prism applies that
 * only when `encoding` is written out, and Twilio's description does not write it: Prism then
 * refuses every single `MediaUrl` and `PersistentAction` as "must be array". Prism gets a copy
 * of the contract with those defaults written out for CreateMessage, nothing else changed.
 */

const originalContract = fileURLToPath(
  new URL('../../../../shared/contracts/twilio-api-v2010.openapi.json', import.meta.url),
);
const contractDir = mkdtempSync(path.join(tmpdir(), 'recado-twilio-contract-'));
const contractFile = path.join(contractDir, 'twilio-api-v2010.openapi.json');

type FormMedia = {
  schema: { properties: Record<string, { type?: string }> };
  encoding?: Record<string, unknown>;
};

/** The contract with OpenAPI's default encoding of CreateMessage's array properties written out. */
function writeContractWithFormDefaults(): void {
  const contract = JSON.parse(readFileSync(originalContract, 'utf8')) as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, FormMedia> } }>>;
  };
  const media =
    contract.paths['/2010-04-01/Accounts/{AccountSid}/Messages.json']?.post?.requestBody?.content[
      'application/x-www-form-urlencoded'
    ];
  if (!media) throw new Error('the contract has no form-encoded CreateMessage');
  const arrays = Object.entries(media.schema.properties).filter(
    ([, schema]) => schema.type === 'array',
  );
  media.encoding = Object.fromEntries(
    arrays.map(([name]) => [name, { style: 'form', explode: true }]),
  );
  writeFileSync(contractFile, JSON.stringify(contract));
}

let prism: PrismServer | undefined;
let prismUrl = '';

beforeAll(async () => {
  writeContractWithFormDefaults();
  prism = await startPrism({ mode: 'mock', contractFile, errors: true });
  prismUrl = prism.url;
}, 90_000);

afterAll(async () => {
  rmSync(contractDir, { recursive: true, force: true });
  await prism?.stop();
});

const statusCallback =
  'https://recado.example.com/webhooks/twilio/0b1c2d3e-0000-4000-8000-000000000001';

const configFor = (): TwilioConfig =>
  twilioProvider.configSchema.parse({
    accountSid: 'AC0123456789abcdef0123456789abcdef',
    authToken: 'prism-token',
    from: 'whatsapp:+5511900000000',
    apiBaseUrl: prismUrl,
  });

const fetchClient = (url: string, init: RequestInit) => fetch(url, init);

describe('the twilio adapter against a Prism mock of the 2010-04-01 contract', () => {
  it.each(twilioOutboundCases)(
    '$name: the request validates and the answer parses',
    async ({ message }) => {
      const result = await twilioProvider
        .send({ config: configFor(), http: fetchClient, webhookUrl: statusCallback }, message)
        .catch((error: unknown) => {
          const detail = error instanceof ProviderError ? JSON.stringify(error.cause) : '';
          throw new Error(`${String(error)} ${detail}\n${(prism?.output() ?? '').slice(-3_000)}`);
        });
      expect(result.providerMessageId).toMatch(/^(SM|MM)[0-9a-fA-F]{32}$/);
    },
  );

  it('Prism refuses what the contract forbids (the mock can fail)', async () => {
    const [first] = twilioOutboundCases;
    if (!first) throw new Error('no outbound cases');
    const valid = buildTwilioSendForm(configFor(), first.message, statusCallback);
    const authorization = `Basic ${Buffer.from(`${configFor().accountSid}:prism-token`).toString('base64')}`;
    const post = (form: URLSearchParams, headers: Record<string, string> = { authorization }) =>
      fetch(buildMessagesUrl(configFor()), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: form.toString(),
      });
    expect((await post(valid)).status).toBe(201);
    expect((await post(valid, {})).status).toBe(401);
    const withoutTo = new URLSearchParams(valid);
    withoutTo.delete('To');
    const badContentSid = new URLSearchParams(valid);
    badContentSid.set('ContentSid', 'pedido_enviado');
    const badCallback = new URLSearchParams(valid);
    badCallback.set('StatusCallback', 'not a url');
    for (const form of [withoutTo, badContentSid, badCallback]) {
      expect((await post(form)).status, form.toString()).toBe(422);
    }
    const badAccount = await fetch(`${prismUrl}/2010-04-01/Accounts/not-an-account/Messages.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body: valid.toString(),
    });
    expect(badAccount.status).toBe(422);
    // And the adapter turns such an answer into a permanent provider error.
    const refused = await twilioProvider
      .send(
        {
          config: configFor(),
          http: (url, init) => fetch(url, { ...init, body: withoutTo.toString() }),
        },
        first.message,
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ code: 'TWILIO_HTTP_422', retryable: false });
  });
});
