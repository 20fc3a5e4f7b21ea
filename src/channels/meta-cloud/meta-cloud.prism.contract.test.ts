import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismServer, startPrism } from '../../../test/helpers/prism.js';
import { ProviderError } from '../provider.port.js';
import { metaCloudOutboundCases } from './fixtures/meta-cloud-outbound.js';
import { type MetaCloudConfig, metaCloudProvider } from './meta-cloud.provider.js';
import { buildMessagesUrl, buildMetaSendBody, metaCloudUserAgent } from './meta-cloud.send.js';

/*
 * The real adapter against a Prism mock of Meta's own OpenAPI description of the Cloud API
 * (../shared/contracts/meta-cloud-api.v23.openapi.yaml). `--errors` makes Prism answer 422 to a
 * request that does not validate (body, path, headers), which the adapter maps to a
 * ProviderError: every send below must come back with the example's message id instead.
 * Prism runs offline, on a free loopback port, for the duration of this file.
 */

const contractFile = fileURLToPath(
  new URL('../../../../shared/contracts/meta-cloud-api.v23.openapi.yaml', import.meta.url),
);

let prism: PrismServer | undefined;
let prismUrl = '';

beforeAll(async () => {
  prism = await startPrism({ mode: 'mock', contractFile, errors: true });
  prismUrl = prism.url;
}, 90_000);

afterAll(async () => {
  await prism?.stop();
});

const firstCase = metaCloudOutboundCases[0];
if (!firstCase) throw new Error('no outbound cases');
const textMessage = firstCase.message;

const configFor = (): MetaCloudConfig =>
  metaCloudProvider.configSchema.parse({
    phoneNumberId: '1122334455667',
    wabaId: '1234567890987654321',
    accessToken: 'prism-token',
    appSecret: 'unused',
    verifyToken: 'unused',
    graphApiBaseUrl: prismUrl,
  });

describe('the meta-cloud adapter against a Prism mock of the v23 contract', () => {
  it.each(metaCloudOutboundCases)(
    '$name: the request validates and the answer parses',
    async ({ message }) => {
      const result = await metaCloudProvider
        .send({ config: configFor(), http: (url, init) => fetch(url, init) }, message)
        .catch((error: unknown) => {
          const detail = error instanceof ProviderError ? JSON.stringify(error.cause) : '';
          throw new Error(`${String(error)} ${detail}\n${(prism?.output() ?? '').slice(-3_000)}`);
        });
      expect(result.providerMessageId).toMatch(/^wamid\./);
    },
  );

  it('Prism refuses what the contract forbids (the mock can fail)', async () => {
    const valid = buildMetaSendBody(textMessage);
    const headers = {
      authorization: 'Bearer prism-token',
      'content-type': 'application/json',
      'user-agent': metaCloudUserAgent,
    };
    const post = (body: unknown, headerChanges: Record<string, string> = {}) =>
      fetch(buildMessagesUrl(configFor()), {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries({ ...headers, ...headerChanges }).filter(([, value]) => value !== ''),
        ),
        body: JSON.stringify(body),
      });
    expect((await post(valid)).status).toBe(200);
    // Node's own `User-Agent` does not match the contract's `name/1.2.3` pattern.
    expect((await post(valid, { 'user-agent': 'node' })).status).toBe(422);
    expect((await post(valid, { authorization: '' })).status).toBe(401);
    const { recipient_type: _omitted, ...withoutRecipientType } = valid;
    for (const body of [
      withoutRecipientType,
      { ...valid, surprise: true },
      { ...valid, type: 'hologram' },
    ]) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
    // And the adapter turns such an answer into a permanent provider error.
    const refused = await metaCloudProvider
      .send(
        {
          config: configFor(),
          http: (url, init) =>
            fetch(url, {
              ...init,
              body: JSON.stringify(withoutRecipientType),
            }),
        },
        textMessage,
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({ code: 'META_HTTP_422', retryable: false });
  });
});
