/**
 * Entry point of the messaging module (issue 3, in progress): channels, contacts, the
 * inbound pipeline and the outbound engine.
 */
export { channelsRoutes } from './channels.routes.js';
export { type ChannelsService, createChannelsService } from './channels.service.js';
export { type ResolvedContact, resolveContact } from './contact-resolution.js';
export {
  type ConversationsService,
  createConversationsService,
} from './conversations.service.js';
export {
  createInboundService,
  findDueDeliveries,
  type InboundRouter,
  type InboundService,
  processWebhookJob,
  type ReceivedMessage,
} from './inbound.service.js';
export { messagesRoutes } from './messages.routes.js';
export {
  createOutboundService,
  findDueSends,
  type OutboundService,
  sendMessageJob,
} from './outbound.service.js';
export { webhooksRoutes } from './webhooks.routes.js';
