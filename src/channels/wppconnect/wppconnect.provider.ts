import type { ChannelProvider } from '../provider.port.js';
import { createWppconnectTokenCache, type WppconnectTokenCache } from './wppconnect.client.js';
import { type WppconnectConfig, wppconnectConfigSchema } from './wppconnect.config.js';
import { downloadWppconnectMedia } from './wppconnect.media.js';
import { parseWppconnectWebhook, wppconnectDeliveryKey } from './wppconnect.parse.js';
import { sendWppconnectMessage, sendWppconnectPresence } from './wppconnect.send.js';
import { createWppconnectSessions } from './wppconnect.sessions.js';
import { isValidWppconnectWebhookToken } from './wppconnect.verify.js';

export type { WppconnectConfig } from './wppconnect.config.js';

/**
 * WPPConnect Server (wppconnect-team/wppconnect-server 2.x): an unofficial API that drives
 * WhatsApp Web in a browser, one session per number, paired by QR code. `tokens` is where the
 * session tokens are kept (one cache per provider value; tests pass their own).
 */
export function createWppconnectProvider(
  tokens: WppconnectTokenCache = createWppconnectTokenCache(),
): ChannelProvider<WppconnectConfig> {
  return {
    id: 'wppconnect',
    capabilities: {
      sends: [
        'text',
        'image',
        'audio',
        'video',
        'document',
        'sticker',
        'location',
        'list',
        'reaction',
      ],
      hasServiceWindow: false,
      requiresTemplatesOutsideWindow: false,
      hasQrSession: true,
      // A browser-driven number: slow and steady keeps it from being flagged.
      defaultRatePerSecond: 1,
    },
    configSchema: wppconnectConfigSchema,
    secretFields: ['secretKey'],
    webhookUrlToken: true,
    send: (context, message) => sendWppconnectMessage(context, tokens, message),
    sendPresence: (context, to, state) => sendWppconnectPresence(context, tokens, to, state),
    verifyWebhook: (_config, request, channel) =>
      isValidWppconnectWebhookToken(request.query.token, channel.webhookToken),
    deliveryKey: (request) => wppconnectDeliveryKey(request.rawBody),
    parseWebhook: (config, request) => parseWppconnectWebhook(request.rawBody, config.session),
    downloadMedia: (context, reference, options) =>
      downloadWppconnectMedia(context, tokens, reference, options),
    sessions: createWppconnectSessions(tokens),
  };
}

/** The adapter the registry runs: its session tokens are cached for the life of the process. */
export const wppconnectProvider = createWppconnectProvider();
