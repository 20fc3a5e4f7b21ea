import { and, eq, ilike, inArray, ne } from 'drizzle-orm';
import type { DbExecutor } from '../../platform/db/database.js';
import { keysetAfter, keysetOrder, type PageCursor } from '../../platform/db/pagination.js';
import type { TemplateComponents } from '../../shared/messaging/template-components.js';
import { channels, messageTemplates } from './messaging.tables.js';

type StoredTemplate = typeof messageTemplates.$inferSelect;
export type TemplateRow = Omit<StoredTemplate, 'components'> & { components: TemplateComponents };
export type TemplateStatus = StoredTemplate['status'];
type TemplateValues = Omit<typeof messageTemplates.$inferInsert, 'components'> & {
  components: TemplateComponents;
};
export type TemplateChanges = Partial<
  Pick<
    TemplateRow,
    | 'name'
    | 'language'
    | 'category'
    | 'status'
    | 'components'
    | 'providerTemplateId'
    | 'rejectedReason'
    | 'syncedAt'
  >
>;

/**
 * The column keeps components as a list, one entry per part, like the providers do:
 * `[{type: 'header', format, text}, {type: 'body', text}, {type: 'footer', text},
 * {type: 'buttons', buttons}]`. The rest of the code sees the `TemplateComponents` object.
 */
function toStoredComponents(components: TemplateComponents): Record<string, unknown>[] {
  const stored: Record<string, unknown>[] = [];
  if (components.header) stored.push({ type: 'header', ...components.header });
  stored.push({ type: 'body', ...components.body });
  if (components.footer) stored.push({ type: 'footer', ...components.footer });
  if (components.buttons) stored.push({ type: 'buttons', buttons: components.buttons });
  return stored;
}

function fromStoredComponents(stored: Record<string, unknown>[]): TemplateComponents {
  const components: TemplateComponents = { body: { text: '' } };
  for (const { type, ...part } of stored) {
    if (type === 'header') components.header = part as TemplateComponents['header'];
    else if (type === 'body') components.body = part as TemplateComponents['body'];
    else if (type === 'footer') components.footer = part as TemplateComponents['footer'];
    else if (type === 'buttons') components.buttons = part.buttons as TemplateComponents['buttons'];
  }
  return components;
}

function toRow(stored: StoredTemplate): TemplateRow {
  return { ...stored, components: fromStoredComponents(stored.components) };
}

function toStoredChanges(changes: TemplateChanges) {
  const { components, ...rest } = changes;
  return components ? { ...rest, components: toStoredComponents(components) } : rest;
}

/** `%`, `_` and `\` match literally in a name search (template names are full of `_`). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export async function listTemplates(
  db: DbExecutor,
  tenantId: string,
  channelId: string,
  filter: {
    status?: TemplateStatus | undefined;
    search?: string | undefined;
    cursor: PageCursor | undefined;
    limit: number;
  },
): Promise<TemplateRow[]> {
  const rows = await db
    .select()
    .from(messageTemplates)
    .where(
      and(
        eq(messageTemplates.tenantId, tenantId),
        eq(messageTemplates.channelId, channelId),
        filter.status ? eq(messageTemplates.status, filter.status) : undefined,
        filter.search ? ilike(messageTemplates.name, containsPattern(filter.search)) : undefined,
        keysetAfter(messageTemplates.createdAt, messageTemplates.id, filter.cursor),
      ),
    )
    .orderBy(...keysetOrder(messageTemplates.createdAt, messageTemplates.id))
    .limit(filter.limit + 1);
  return rows.map(toRow);
}

export async function findTemplate(
  db: DbExecutor,
  tenantId: string,
  channelId: string,
  id: string,
): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(messageTemplates)
    .where(
      and(
        eq(messageTemplates.tenantId, tenantId),
        eq(messageTemplates.channelId, channelId),
        eq(messageTemplates.id, id),
      ),
    )
    .limit(1);
  return row ? toRow(row) : undefined;
}

/** The template a message names: same channel, name and language. */
export async function findTemplateByKey(
  db: DbExecutor,
  tenantId: string,
  channelId: string,
  key: { name: string; language: string },
): Promise<TemplateRow | undefined> {
  const [row] = await db
    .select()
    .from(messageTemplates)
    .where(
      and(
        eq(messageTemplates.tenantId, tenantId),
        eq(messageTemplates.channelId, channelId),
        eq(messageTemplates.name, key.name),
        eq(messageTemplates.language, key.language),
      ),
    )
    .limit(1);
  return row ? toRow(row) : undefined;
}

/** Every template of a channel, for a sync. */
export async function listChannelTemplates(
  db: DbExecutor,
  channelId: string,
): Promise<TemplateRow[]> {
  const rows = await db
    .select()
    .from(messageTemplates)
    .where(eq(messageTemplates.channelId, channelId));
  return rows.map(toRow);
}

/** Undefined when the channel already has a template with this name and language. */
export async function insertTemplate(
  db: DbExecutor,
  values: TemplateValues,
): Promise<TemplateRow | undefined> {
  const [row] = await db
    .insert(messageTemplates)
    .values({ ...values, components: toStoredComponents(values.components) })
    .onConflictDoNothing({
      target: [messageTemplates.channelId, messageTemplates.name, messageTemplates.language],
    })
    .returning();
  return row ? toRow(row) : undefined;
}

/** Undefined when the template is gone; throws on a name/language taken (unique violation). */
export async function updateTemplate(
  db: DbExecutor,
  tenantId: string,
  channelId: string,
  id: string,
  changes: TemplateChanges,
): Promise<TemplateRow | undefined> {
  const [row] = await db
    .update(messageTemplates)
    .set({ ...toStoredChanges(changes), updatedAt: new Date() })
    .where(
      and(
        eq(messageTemplates.tenantId, tenantId),
        eq(messageTemplates.channelId, channelId),
        eq(messageTemplates.id, id),
      ),
    )
    .returning();
  return row ? toRow(row) : undefined;
}

export async function deleteTemplate(
  db: DbExecutor,
  tenantId: string,
  channelId: string,
  id: string,
): Promise<boolean> {
  const rows = await db
    .delete(messageTemplates)
    .where(
      and(
        eq(messageTemplates.tenantId, tenantId),
        eq(messageTemplates.channelId, channelId),
        eq(messageTemplates.id, id),
      ),
    )
    .returning({ id: messageTemplates.id });
  return rows.length > 0;
}

/** Holds the channel row until the transaction ends: one sync per channel at a time. */
export async function lockChannelForSync(db: DbExecutor, channelId: string): Promise<boolean> {
  const rows = await db
    .select({ id: channels.id })
    .from(channels)
    .where(eq(channels.id, channelId))
    .for('update');
  return rows.length > 0;
}

/** A sync saw these templates unchanged: only their `synced_at` moves. */
export async function markTemplatesSynced(
  db: DbExecutor,
  ids: string[],
  syncedAt: Date,
): Promise<void> {
  for (let start = 0; start < ids.length; start += 1_000) {
    await db
      .update(messageTemplates)
      .set({ syncedAt })
      .where(inArray(messageTemplates.id, ids.slice(start, start + 1_000)));
  }
}

/** Provider templates the provider no longer lists become `disabled` (local ones never). */
export async function disableVanishedTemplates(
  db: DbExecutor,
  ids: string[],
  syncedAt: Date,
): Promise<void> {
  for (let start = 0; start < ids.length; start += 1_000) {
    await db
      .update(messageTemplates)
      .set({ status: 'disabled', syncedAt, updatedAt: syncedAt })
      .where(
        and(
          inArray(messageTemplates.id, ids.slice(start, start + 1_000)),
          eq(messageTemplates.source, 'provider'),
          ne(messageTemplates.status, 'disabled'),
        ),
      );
  }
}

/** True for the unique violation of (channel, name, language), whichever driver raised it. */
export function isTemplateKeyTaken(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (code === '23505') {
      return (
        constraint === undefined || constraint === 'message_templates_channel_name_language_unique'
      );
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
