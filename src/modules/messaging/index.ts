/**
 * Entry point of the messaging module (issue 3, in progress): contacts and their WhatsApp
 * identities so far; the inbound pipeline and outbound engine follow.
 */
export { type ResolvedContact, resolveContact } from './contact-resolution.js';
