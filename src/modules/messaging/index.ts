/**
 * Entry point of the messaging module (issue 3, in progress): channels and contacts so far;
 * the inbound pipeline and outbound engine follow.
 */
export { channelsRoutes } from './channels.routes.js';
export { type ChannelsService, createChannelsService } from './channels.service.js';
export { type ResolvedContact, resolveContact } from './contact-resolution.js';
