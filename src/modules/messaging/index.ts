/**
 * Entry point of the messaging module (issue 3, in progress): channels, contacts and the
 * inbound pipeline; the outbound engine follows.
 */
export { channelsRoutes } from './channels.routes.js';
export { type ChannelsService, createChannelsService } from './channels.service.js';
export { type ResolvedContact, resolveContact } from './contact-resolution.js';
export {
  createInboundService,
  findDueDeliveries,
  type InboundRouter,
  type InboundService,
  processWebhookJob,
  type ReceivedMessage,
} from './inbound.service.js';
export { webhooksRoutes } from './webhooks.routes.js';
