import type { z } from 'zod';
import {
  type AnyChannelProvider,
  findProvider,
  type HttpClient,
  ProviderError,
  type ProviderTemplate,
} from '../../channels/index.js';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { decodeCursor, type Page, toPage } from '../../platform/db/pagination.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Logger } from '../../platform/observability/logger.js';
import type {
  createTemplateRequestSchema,
  listTemplatesQuerySchema,
  SyncTemplatesResult,
  Template,
  updateTemplateRequestSchema,
} from '../../shared/contracts/templates.contract.js';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import {
  findTemplateVariableProblems,
  listTemplateVariables,
  renderTemplateMessage,
  type TemplateComponents,
} from '../../shared/messaging/template-components.js';
import type { ChannelsService } from './channels.service.js';
import * as repository from './templates.repository.js';

export type TemplatesDeps = {
  db: Database;
  channels: Pick<ChannelsService, 'getChannel' | 'openChannel'>;
  logger: Logger;
  http?: HttpClient;
  now?: () => Date;
};
export type TemplatesService = ReturnType<typeof createTemplatesService>;

/**
 * Providers that review templates (the official API) send only what they approved: a template
 * written in Recado for such a channel is a `draft` until the provider's copy is synced. On
 * other providers a local template is ready to send (`approved`).
 */
function reviewsTemplates(provider: AnyChannelProvider): boolean {
  return provider.capabilities.requiresTemplatesOutsideWindow;
}

const templateKey = (template: { name: string; language: string }) =>
  `${template.name}\u0000${template.language}`;

/** JSON with sorted keys: jsonb does not keep key order, so compare canonically. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(
          Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : item,
  );
}

function hasChanged(row: repository.TemplateRow, template: ProviderTemplate): boolean {
  return (
    row.status !== template.status ||
    row.category !== template.category ||
    row.providerTemplateId !== template.providerTemplateId ||
    row.rejectedReason !== (template.rejectedReason ?? null) ||
    canonicalJson(row.components) !== canonicalJson(template.components)
  );
}

function assertVariables(components: TemplateComponents): void {
  const problems = findTemplateVariableProblems(components);
  if (problems.length === 0) return;
  const details = problems.map((problem) => ({ ...problem, path: `body.${problem.path}` }));
  throw new AppError(
    'VALIDATION_FAILED',
    `The template's variables are invalid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}.`,
    details,
  );
}

function describeTemplate(content: { name: string; language: string }): string {
  return `"${content.name}" (${content.language})`;
}

/**
 * The template library of each channel: templates written in Recado (`local`) and those
 * synced from the provider (`provider`), and the check a template message passes before it is
 * queued (approved, right parameters, text rendered for the inbox).
 */
export function createTemplatesService(deps: TemplatesDeps) {
  const { db } = deps;
  const logger = deps.logger.child({ module: 'messaging.templates' });
  const http = deps.http ?? ((url, init) => fetch(url, init));
  const now = deps.now ?? (() => new Date());

  /** The channel, in the caller's tenant (404 otherwise), and its provider. */
  async function getChannelProvider(principal: Principal, channelId: string) {
    const channel = await deps.channels.getChannel(principal, channelId);
    const provider = findProvider(channel.provider);
    if (!provider) {
      throw new AppError('CONFLICT', `The provider ${channel.provider} is not available.`);
    }
    return { channel, provider };
  }

  async function getRow(principal: Principal, channelId: string, templateId: string) {
    const row = await repository.findTemplate(db, principal.tenantId, channelId, templateId);
    if (!row) {
      throw new AppError(
        'NOT_FOUND',
        `Template ${templateId} does not exist in channel ${channelId}.`,
      );
    }
    return row;
  }

  function keyTaken(content: { name: string; language: string }): AppError {
    return new AppError(
      'CONFLICT',
      `This channel already has a template ${describeTemplate(content)}.`,
      [{ path: 'body.name', message: 'is taken in this language on this channel' }],
    );
  }

  return {
    async listTemplates(
      principal: Principal,
      channelId: string,
      query: z.infer<typeof listTemplatesQuerySchema>,
    ): Promise<Page<Template>> {
      await deps.channels.getChannel(principal, channelId);
      const rows = await repository.listTemplates(db, principal.tenantId, channelId, {
        status: query.status,
        search: query.search,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, toTemplate);
    },

    async getTemplate(principal: Principal, channelId: string, templateId: string) {
      await deps.channels.getChannel(principal, channelId);
      return toTemplate(await getRow(principal, channelId, templateId));
    },

    async createTemplate(
      principal: Principal,
      channelId: string,
      input: z.infer<typeof createTemplateRequestSchema>,
    ): Promise<Template> {
      assertRole(principal, 'admin');
      const { provider } = await getChannelProvider(principal, channelId);
      assertVariables(input.components);
      const row = await repository.insertTemplate(db, {
        tenantId: principal.tenantId,
        channelId,
        name: input.name,
        language: input.language,
        category: input.category,
        status: reviewsTemplates(provider) ? 'draft' : 'approved',
        source: 'local',
        components: input.components,
      });
      if (!row) throw keyTaken(input);
      logger.info(
        { tenantId: principal.tenantId, channelId, templateId: row.id },
        'template created',
      );
      return toTemplate(row);
    },

    async updateTemplate(
      principal: Principal,
      channelId: string,
      templateId: string,
      patch: z.infer<typeof updateTemplateRequestSchema>,
    ): Promise<Template> {
      assertRole(principal, 'admin');
      await deps.channels.getChannel(principal, channelId);
      const row = await getRow(principal, channelId, templateId);
      if (row.source === 'provider') {
        throw new AppError(
          'CONFLICT',
          `The template ${describeTemplate(row)} comes from the provider: change it there and sync again.`,
        );
      }
      if (patch.components) assertVariables(patch.components);
      const key = { name: patch.name ?? row.name, language: patch.language ?? row.language };
      const changes: repository.TemplateChanges = {};
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.language !== undefined) changes.language = patch.language;
      if (patch.category !== undefined) changes.category = patch.category;
      if (patch.components !== undefined) changes.components = patch.components;
      let updated: repository.TemplateRow | undefined;
      try {
        updated = await repository.updateTemplate(
          db,
          principal.tenantId,
          channelId,
          templateId,
          changes,
        );
      } catch (error) {
        if (repository.isTemplateKeyTaken(error)) throw keyTaken(key);
        throw error;
      }
      if (!updated) {
        throw new AppError(
          'NOT_FOUND',
          `Template ${templateId} does not exist in channel ${channelId}.`,
        );
      }
      return toTemplate(updated);
    },

    async deleteTemplate(principal: Principal, channelId: string, templateId: string) {
      assertRole(principal, 'admin');
      await deps.channels.getChannel(principal, channelId);
      if (!(await repository.deleteTemplate(db, principal.tenantId, channelId, templateId))) {
        throw new AppError(
          'NOT_FOUND',
          `Template ${templateId} does not exist in channel ${channelId}.`,
        );
      }
      logger.info({ tenantId: principal.tenantId, channelId, templateId }, 'template deleted');
    },

    /**
     * Brings the provider's templates into the library: new ones are created, known ones take
     * the provider's status and content, those the provider no longer lists become `disabled`.
     * Local templates are never changed (a provider template with a local one's name and
     * language is skipped).
     */
    async syncTemplates(principal: Principal, channelId: string): Promise<SyncTemplatesResult> {
      assertRole(principal, 'admin');
      const opened = await deps.channels.openChannel(channelId, principal.tenantId);
      if (!opened) {
        throw new AppError('NOT_FOUND', `Channel ${channelId} does not exist in this tenant.`);
      }
      const { provider } = opened;
      if (!provider.listTemplates) {
        throw new AppError(
          'CONFLICT',
          `The ${provider.id} provider has no template sync: write this channel's templates in Recado instead.`,
        );
      }
      let listed: ProviderTemplate[];
      try {
        listed = await provider.listTemplates({ config: opened.config, http });
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        logger.warn({ channelId, code: error.code }, 'template sync failed');
        throw new AppError(
          'PROVIDER_ERROR',
          `Could not read the templates from ${provider.id}: ${error.message}`,
          {
            providerCode: error.code,
            retryable: error.retryable,
            retryAfterMs: error.retryAfterMs ?? null,
          },
        );
      }
      const unique = new Map<string, ProviderTemplate>();
      for (const template of listed) {
        if (!unique.has(templateKey(template))) unique.set(templateKey(template), template);
      }
      const result = await db.transaction(async (tx) => {
        const counts = { created: 0, updated: 0, disabled: 0, skipped: 0, total: listed.length };
        if (!(await repository.lockChannelForSync(tx, channelId))) return undefined;
        const syncedAt = now();
        const existing = new Map(
          (await repository.listChannelTemplates(tx, channelId)).map((row) => [
            templateKey(row),
            row,
          ]),
        );
        const unchanged: string[] = [];
        for (const [key, template] of unique) {
          const row = existing.get(key);
          existing.delete(key);
          const fields = {
            category: template.category,
            status: template.status,
            components: template.components,
            providerTemplateId: template.providerTemplateId,
            rejectedReason: template.rejectedReason ?? null,
            syncedAt,
          };
          if (!row) {
            const inserted = await repository.insertTemplate(tx, {
              tenantId: principal.tenantId,
              channelId,
              name: template.name,
              language: template.language,
              source: 'provider',
              ...fields,
            });
            // Only a local template written meanwhile can hold the name: it wins.
            if (inserted) counts.created++;
            else counts.skipped++;
          } else if (row.source === 'local') {
            counts.skipped++;
          } else if (hasChanged(row, template)) {
            await repository.updateTemplate(tx, principal.tenantId, channelId, row.id, fields);
            counts.updated++;
          } else {
            unchanged.push(row.id);
          }
        }
        await repository.markTemplatesSynced(tx, unchanged, syncedAt);
        const vanished = [...existing.values()].filter(
          (row) => row.source === 'provider' && row.status !== 'disabled',
        );
        await repository.disableVanishedTemplates(
          tx,
          vanished.map((row) => row.id),
          syncedAt,
        );
        counts.disabled = vanished.length;
        return counts;
      });
      if (!result) {
        throw new AppError('NOT_FOUND', `Channel ${channelId} does not exist in this tenant.`);
      }
      logger.info({ tenantId: principal.tenantId, channelId, ...result }, 'templates synced');
      return result;
    },

    /**
     * Checks a message's template against the channel's library before it is queued: it must
     * be approved and get as many parameters as it has variables; its body text, filled in,
     * becomes `renderedText` (what the inbox shows). A template the library lacks is refused
     * on channels that sync templates and need them outside the window (the provider would
     * refuse it), and sent as is elsewhere. Other content passes unchanged.
     */
    async prepareTemplateContent(input: {
      tenantId: string;
      channelId: string;
      provider: AnyChannelProvider;
      content: MessageContent;
    }): Promise<MessageContent> {
      const { content, provider } = input;
      if (content.type !== 'template') return content;
      const row = await repository.findTemplateByKey(db, input.tenantId, input.channelId, content);
      if (!row) {
        if (!provider.listTemplates || !provider.capabilities.requiresTemplatesOutsideWindow) {
          return content;
        }
        throw new AppError(
          'TEMPLATE_NOT_FOUND',
          `The template ${describeTemplate(content)} is not in this channel's library.`,
          {
            name: content.name,
            language: content.language,
            advice: `Sync the templates from the provider (POST /api/v1/channels/${input.channelId}/templates/sync), then check the name and language.`,
          },
        );
      }
      if (row.status !== 'approved') {
        throw new AppError(
          'TEMPLATE_NOT_APPROVED',
          `The template ${describeTemplate(content)} is ${row.status}: only approved templates can be sent.`,
          { status: row.status, rejectedReason: row.rejectedReason },
        );
      }
      const rendered = renderTemplateMessage(row.components, content);
      if (!rendered.ok) {
        throw new AppError(
          'VALIDATION_FAILED',
          `The parameters do not fit the template ${describeTemplate(content)}: ${rendered.problems
            .map((problem) => `${problem.path} ${problem.message}`)
            .join('; ')}.`,
          rendered.problems,
        );
      }
      return {
        ...content,
        renderedText: rendered.renderedText,
        ...(row.providerTemplateId ? { providerTemplateId: row.providerTemplateId } : {}),
      };
    },
  };
}

function toTemplate(row: repository.TemplateRow): Template {
  return {
    id: row.id,
    channelId: row.channelId,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    source: row.source,
    providerTemplateId: row.providerTemplateId,
    components: row.components,
    variables: listTemplateVariables(row.components),
    rejectedReason: row.rejectedReason,
    syncedAt: row.syncedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
