import type { ChannelProvider } from '../provider.port.js';
import { type WahaConfig, wahaCapabilitiesFor, wahaConfigSchema } from './waha.config.js';
import { downloadWahaMedia } from './waha.media.js';
import { parseWahaWebhook, wahaDeliveryKey } from './waha.parse.js';
import { sendWahaMessage, sendWahaPresence } from './waha.send.js';
import { wahaSessions } from './waha.sessions.js';
import { verifyWahaWebhook } from './waha.signature.js';

export type { WahaConfig } from './waha.config.js';

/**
 * WAHA (WhatsApp HTTP API, devlikeapro/waha), a self-hosted unofficial gateway paired by QR code:
 * sends through its REST API with `X-Api-Key`, webhooks signed with `X-Webhook-Hmac`, session
 * control. What it renders depends on the engine the server runs (`engine`).
 */
export const wahaProvider: ChannelProvider<WahaConfig> = {
  id: 'waha',
  capabilities: wahaCapabilitiesFor(undefined),
  capabilitiesFor: (config) => wahaCapabilitiesFor(config.engine),
  configSchema: wahaConfigSchema,
  secretFields: ['apiKey', 'hmacKey'],
  // Without an HMAC key, the channel's secret `?token=` in the webhook URL is the only check.
  webhookUrlToken: true,
  send: sendWahaMessage,
  verifyWebhook: verifyWahaWebhook,
  deliveryKey: (request) => wahaDeliveryKey(request.rawBody),
  parseWebhook: (config, request) => parseWahaWebhook(request.rawBody, config.session),
  downloadMedia: downloadWahaMedia,
  sendPresence: sendWahaPresence,
  sessions: wahaSessions,
};
