import type { SenderIdentity } from '../../channels/index.js';
import type { Database } from '../../platform/db/database.js';
import { normalizePhone, waIdCandidates, waIdToE164 } from '../../shared/messaging/phone.js';
import * as repository from './contacts.repository.js';

export type ResolvedContact = { contact: repository.ContactRow; isNew: boolean };

/**
 * One contact per person: finds the tenant's contact behind a sender by any of its WhatsApp
 * identities (wa_id in both Brazilian forms, LID or business-scoped user id) or its phone, and
 * creates it when there is none. New identities are attached, so the next message that carries
 * only one of them still finds the same contact. Safe under concurrent deliveries: unique
 * constraints decide, and the loser re-reads.
 */
export async function resolveContact(
  db: Database,
  tenantId: string,
  sender: SenderIdentity,
): Promise<ResolvedContact> {
  const phone = senderPhone(sender);
  const identities: repository.IdentityKey[] = [];
  if (sender.waId) identities.push({ kind: 'wa_id', value: sender.waId });
  if (phone) {
    for (const value of waIdCandidates(phone)) {
      if (value !== sender.waId) identities.push({ kind: 'wa_id', value });
    }
  }
  if (sender.userId) {
    identities.push({
      kind: sender.userId.endsWith('@lid') ? 'lid' : 'user_id',
      value: sender.userId,
    });
  }
  if (identities.length === 0 && !phone) {
    throw new Error('A sender needs a phone number, a WhatsApp id or a user id.');
  }
  // Only the identities WhatsApp actually reported are attached (not the guessed Brazilian form).
  const reported = identities.filter(
    (identity) => identity.kind !== 'wa_id' || identity.value === sender.waId || !phone,
  );

  for (let attempt = 1; attempt <= 3; attempt++) {
    const result = await db.transaction(async (tx) => {
      const [existing] = await repository.findContactsByIdentity(tx, tenantId, identities, phone);
      if (existing) {
        await repository.updateContactProfile(tx, existing.id, { phone, name: sender.name });
        await repository.attachIdentities(tx, tenantId, existing.id, reported);
        return { contact: existing, isNew: false };
      }
      const created = await repository.insertContact(tx, tenantId, { phone, name: sender.name });
      if (!created) return undefined;
      await repository.attachIdentities(tx, tenantId, created.id, reported);
      return { contact: created, isNew: true };
    });
    if (result) return result;
  }
  throw new Error('The contact could not be resolved after concurrent updates.');
}

function senderPhone(sender: SenderIdentity): string | undefined {
  if (sender.phone) {
    const parsed = normalizePhone(sender.phone);
    if (parsed.ok) return parsed.e164;
  }
  return sender.waId ? waIdToE164(sender.waId) : undefined;
}
