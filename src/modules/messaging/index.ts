/**
 * Entry point of the messaging module (issue 3, in progress): channels, contacts, the
 * inbound pipeline and the outbound engine.
 */
export { channelsRoutes } from './channels.routes.js';
export { type ChannelsService, createChannelsService } from './channels.service.js';
export { type ResolvedContact, resolveContact } from './contact-resolution.js';
export {
  type ContactSummary,
  type ContactsService,
  createContactsService,
} from './contacts.service.js';
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
export {
  type MultipartFile,
  mediaRoutes,
  readMultipartFile,
  registerMediaMultipart,
} from './media.routes.js';
export {
  createMediaService,
  fetchMediaJob,
  findDueMediaFetches,
  type MediaService,
  messageMediaEvent,
} from './media.service.js';
export { messagesRoutes } from './messages.routes.js';
export {
  createOutboundService,
  findDueSends,
  type OutboundService,
  sendMessageJob,
} from './outbound.service.js';
export { sandboxRoutes } from './sandbox.routes.js';
export { createSandboxService, type SandboxService } from './sandbox.service.js';
export { sessionsRoutes } from './sessions.routes.js';
export {
  checkSessionsJob,
  createSessionMetrics,
  createSessionsService,
  type SessionsService,
} from './sessions.service.js';
export { templatesRoutes } from './templates.routes.js';
export { createTemplatesService, type TemplatesService } from './templates.service.js';
export { webhooksRoutes } from './webhooks.routes.js';
