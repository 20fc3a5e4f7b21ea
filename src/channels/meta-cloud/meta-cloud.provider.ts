import type { ChannelProvider } from '../provider.port.js';
import { type MetaCloudConfig, metaCloudConfigSchema } from './meta-cloud.config.js';
import { downloadMetaCloudMedia, uploadMetaCloudMedia } from './meta-cloud.media.js';
import { parseMetaCloudWebhook } from './meta-cloud.parse.js';
import { sendMetaCloudMessage } from './meta-cloud.send.js';
import { answerMetaChallenge, findHeader, isValidMetaSignature } from './meta-cloud.signature.js';
import { listMetaCloudTemplates } from './meta-cloud.templates.js';

export type { MetaCloudConfig } from './meta-cloud.config.js';

/** The official WhatsApp Business Cloud API (Graph API v23), ARCHITECTURE.md §4. */
export const metaCloudProvider: ChannelProvider<MetaCloudConfig> = {
  id: 'meta-cloud',
  capabilities: {
    sends: [
      'text',
      'image',
      'audio',
      'video',
      'document',
      'sticker',
      'location',
      'contacts',
      'buttons',
      'list',
      'template',
      'reaction',
    ],
    hasServiceWindow: true,
    requiresTemplatesOutsideWindow: true,
    hasQrSession: false,
    defaultRatePerSecond: 80,
  },
  configSchema: metaCloudConfigSchema,
  secretFields: ['accessToken', 'appSecret', 'verifyToken'],
  send: sendMetaCloudMessage,
  verifyWebhook: (config, request) =>
    isValidMetaSignature(
      config.appSecret,
      request.rawBody,
      findHeader(request, 'x-hub-signature-256'),
    ),
  answerChallenge: (config, request) => answerMetaChallenge(config.verifyToken, request),
  parseWebhook: (_config, request) => parseMetaCloudWebhook(request.rawBody),
  downloadMedia: downloadMetaCloudMedia,
  uploadMedia: uploadMetaCloudMedia,
  listTemplates: listMetaCloudTemplates,
};
