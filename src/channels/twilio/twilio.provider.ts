import type { ChannelProvider } from '../provider.port.js';
import { type TwilioConfig, twilioConfigSchema } from './twilio.config.js';
import { downloadTwilioMedia } from './twilio.media.js';
import { parseTwilioWebhook } from './twilio.parse.js';
import { sendTwilioMessage } from './twilio.send.js';
import { findHeader, isValidTwilioSignature } from './twilio.signature.js';
import { listTwilioTemplates } from './twilio.templates.js';

export type { TwilioConfig } from './twilio.config.js';

/**
 * WhatsApp through Twilio Programmable Messaging (API 2010-04-01) and its Content API for
 * templates, ARCHITECTURE.md §4. Twilio relays the official API, so the 24-hour window and
 * approved templates apply; buttons and lists need pre-built content, so free-form ones are
 * degraded to numbered text by the messaging layer.
 */
export const twilioProvider: ChannelProvider<TwilioConfig> = {
  id: 'twilio',
  capabilities: {
    sends: ['text', 'image', 'audio', 'video', 'document', 'location', 'template'],
    hasServiceWindow: true,
    requiresTemplatesOutsideWindow: true,
    hasQrSession: false,
    // Twilio queues a WhatsApp sender's messages at about 80 per second by default.
    defaultRatePerSecond: 80,
  },
  configSchema: twilioConfigSchema,
  secretFields: ['authToken'],
  send: sendTwilioMessage,
  verifyWebhook: (config, request) =>
    isValidTwilioSignature(config.authToken, {
      url: request.url,
      rawBody: request.rawBody,
      signature: findHeader(request, 'x-twilio-signature'),
    }),
  parseWebhook: (_config, request) => parseTwilioWebhook(request.rawBody),
  downloadMedia: downloadTwilioMedia,
  listTemplates: listTwilioTemplates,
};
