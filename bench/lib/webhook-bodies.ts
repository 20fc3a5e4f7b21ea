import { metaTextWebhook, signMetaWebhook } from '../../test/helpers/meta-webhook.js';

/**
 * Distinct, correctly signed Meta message webhooks: every body carries its own message id, so
 * every request is a new delivery (none is dropped as a duplicate). Bodies are made ahead of
 * the run so the load generator spends its time sending; beyond the pregenerated ones they are
 * made on the fly (counted in `generatedLate`).
 */

export type SignedWebhook = { body: string; signature: string };

export type WebhookSource = {
  next(): SignedWebhook;
  /** Bodies handed out so far. */
  readonly used: number;
  /** Bodies that had to be made during the run because the pregenerated ones ran out. */
  readonly generatedLate: number;
};

export type WebhookSourceOptions = {
  appSecret: string;
  /** Unique per run (and per load process), so ids never repeat across processes. */
  idPrefix: string;
  /** Distinct senders the messages come from, in turn. */
  senders: number;
  pregenerate: number;
  /** Message time (seconds); default now. */
  timestampSeconds?: number;
};

export function buildSignedWebhook(
  options: WebhookSourceOptions,
  index: number,
  timestampSeconds: number,
): SignedWebhook {
  const body = metaTextWebhook({
    wamid: `wamid.${options.idPrefix}.${index}`,
    from: String(5511900000000 + (index % options.senders)),
    name: `Cliente ${index % options.senders}`,
    text: `Olá, quero saber do pedido ${index}`,
    timestampSeconds,
  });
  return { body, signature: signMetaWebhook(body, options.appSecret) };
}

export function createWebhookSource(options: WebhookSourceOptions): WebhookSource {
  if (!Number.isInteger(options.senders) || options.senders < 1) {
    throw new Error('senders must be an integer >= 1');
  }
  const timestampSeconds = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const ready: Array<SignedWebhook | undefined> = [];
  for (let index = 0; index < options.pregenerate; index += 1) {
    ready.push(buildSignedWebhook(options, index, timestampSeconds));
  }
  let used = 0;
  let generatedLate = 0;
  return {
    next() {
      const index = used;
      used += 1;
      const pregenerated = ready[index];
      if (pregenerated) {
        ready[index] = undefined; // Let it be collected.
        return pregenerated;
      }
      generatedLate += 1;
      return buildSignedWebhook(options, index, timestampSeconds);
    },
    get used() {
      return used;
    },
    get generatedLate() {
      return generatedLate;
    },
  };
}
