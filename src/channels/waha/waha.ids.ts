import { waIdToE164 } from '../../shared/messaging/phone.js';
import { ProviderError, type Recipient, type SenderIdentity } from '../provider.port.js';

/*
 * WhatsApp ids as WAHA writes them. A person is `<digits>@c.us` (WEBJS; NOWEB's
 * `@s.whatsapp.net` means the same) or, for accounts WhatsApp hides behind a "linked id",
 * `<number>@lid` (no phone number in it). Groups are `@g.us`, statuses `status@broadcast`,
 * channels `@newsletter`. Message ids are serialized as `<fromMe>_<chat id>_<key>`.
 */

const personPattern = /^(\d{5,20})@(c\.us|s\.whatsapp\.net)$/;
const lidPattern = /^\d{5,30}@lid$/;

/** A person's chat id (`@c.us` or `@lid`), as opposed to a group, a broadcast or a channel. */
export function isPersonJid(jid: string): boolean {
  return personPattern.test(jid) || lidPattern.test(jid);
}

/** The digits of a phone-number chat id (`5511…@c.us`), else undefined. */
export function phoneDigitsOf(jid: string | undefined): string | undefined {
  return jid === undefined ? undefined : personPattern.exec(jid)?.[1];
}

/** `…@s.whatsapp.net` → `…@c.us` (the form WAHA uses in ids and webhooks). */
export function toCusJid(jid: string): string {
  return jid.replace(/@s\.whatsapp\.net$/, '@c.us');
}

/** The identity behind a person's chat id: wa_id and phone for numbers, user id for LIDs. */
export function identityOf(jid: string, extra: { phoneJid?: string; name?: string } = {}) {
  const identity: SenderIdentity = { name: extra.name };
  const digits = phoneDigitsOf(jid) ?? phoneDigitsOf(extra.phoneJid);
  if (lidPattern.test(jid)) identity.userId = jid;
  if (digits) {
    identity.waId = digits;
    identity.phone = waIdToE164(digits) ?? `+${digits}`;
  }
  return identity;
}

function invalidRecipient(reason: string): ProviderError {
  return new ProviderError({ code: 'WAHA_INVALID_RECIPIENT', reason, retryable: false });
}

/**
 * The chat id to send to: the recipient's WhatsApp id when known (`5511…`, or a full id such as
 * `…@lid`), else the phone's digits, as `<digits>@c.us`.
 */
export function toChatId(to: Recipient): string {
  if (to.waId?.includes('@')) {
    const jid = toCusJid(to.waId.trim());
    if (!isPersonJid(jid)) throw invalidRecipient(`"${to.waId}" is not a person's WhatsApp id`);
    return jid;
  }
  const digits = (to.waId ?? to.phone).replace(/\D/g, '');
  if (!/^\d{8,15}$/.test(digits)) {
    throw invalidRecipient('The recipient needs a phone number of 8 to 15 digits');
  }
  return `${digits}@c.us`;
}

/**
 * Brazilian mobiles: WhatsApp still knows many by their old 8-digit form, so the 9-digit number
 * must be looked up (WAHA's `check-exists`) unless WhatsApp gave us the id itself.
 */
export function needsChatIdLookup(to: Recipient): boolean {
  if (to.waId) return false;
  return /^55\d{2}9\d{8}$/.test(to.phone.replace(/\D/g, ''));
}

/** The chat part of a serialized message id (`true_5511…@c.us_3EB0…` → `5511…@c.us`). */
export function chatOfMessageId(messageId: string): string | undefined {
  return /^(?:true|false)_(.+@[a-z.]+)_[^_]+$/.exec(messageId)?.[1];
}
