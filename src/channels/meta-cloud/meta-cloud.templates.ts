import { z } from 'zod';
import type {
  TemplateButton,
  TemplateComponents,
} from '../../shared/messaging/template-components.js';
import {
  type ProviderContext,
  ProviderError,
  type ProviderTemplate,
  type ProviderTemplateStatus,
} from '../provider.port.js';
import type { MetaCloudConfig } from './meta-cloud.config.js';
import { mapMetaCloudError, mapMetaCloudNetworkError } from './meta-cloud.errors.js';
import { metaCloudUserAgent } from './meta-cloud.send.js';

/**
 * Template sync: `GET /{version}/{waba-id}/message_templates`, every page, mapped to the
 * provider-neutral `ProviderTemplate`. Meta's shapes stay in this file.
 */

const pageSize = 100;
/** 200 pages of 100: far beyond Meta's per-account template limit; guards a looping cursor. */
const maxPages = 200;
const requestTimeoutMs = 30_000;
const requestedFields = 'id,name,language,status,category,components,rejected_reason';

const metaButtonSchema = z
  .object({
    type: z.string(),
    text: z.string().optional(),
    url: z.string().optional(),
    phone_number: z.string().optional(),
  })
  .loose();

const metaComponentSchema = z
  .object({
    type: z.string(),
    format: z.string().optional(),
    text: z.string().optional(),
    buttons: z.array(metaButtonSchema).optional(),
  })
  .loose();

const metaTemplateSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    language: z.string().min(1),
    status: z.string().optional(),
    category: z.string().optional(),
    components: z.array(metaComponentSchema).optional(),
    rejected_reason: z.string().optional(),
  })
  .loose();

const metaPageSchema = z.object({
  data: z.array(z.unknown()),
  paging: z
    .object({
      cursors: z.object({ after: z.string().optional() }).loose().optional(),
      next: z.string().optional(),
    })
    .loose()
    .optional(),
});

type MetaTemplate = z.infer<typeof metaTemplateSchema>;
type MetaComponent = z.infer<typeof metaComponentSchema>;

const statusByMetaStatus: Record<string, ProviderTemplateStatus> = {
  APPROVED: 'approved',
  PENDING: 'pending',
  IN_APPEAL: 'pending',
  REJECTED: 'rejected',
  PAUSED: 'paused',
  DISABLED: 'disabled',
  PENDING_DELETION: 'disabled',
  DELETED: 'disabled',
  ARCHIVED: 'disabled',
  LIMIT_EXCEEDED: 'disabled',
};

/**
 * Meta's status → ours. A status we do not know cannot be sent with confidence: `disabled`.
 */
export function mapMetaTemplateStatus(status: string | undefined): ProviderTemplateStatus {
  return statusByMetaStatus[(status ?? '').toUpperCase()] ?? 'disabled';
}

/**
 * Meta's category → ours. The pre-2023 categories (ACCOUNT_UPDATE, PAYMENT_UPDATE,
 * TRANSACTIONAL…) became UTILITY and OTP became AUTHENTICATION; an unknown one is treated as
 * marketing, the most restricted.
 */
export function mapMetaTemplateCategory(
  category: string | undefined,
): ProviderTemplate['category'] {
  const value = (category ?? '').toUpperCase();
  if (value === 'UTILITY' || value === 'TRANSACTIONAL' || value === 'AUTO_REPLY') return 'utility';
  if (value.endsWith('_UPDATE') || value === 'ISSUE_RESOLUTION') return 'utility';
  if (value === 'AUTHENTICATION' || value === 'OTP') return 'authentication';
  return 'marketing';
}

const headerFormats = new Set(['text', 'image', 'video', 'document', 'location']);

function mapButton(button: z.infer<typeof metaButtonSchema>): TemplateButton | undefined {
  const text = button.text ?? '';
  switch (button.type.toUpperCase()) {
    case 'QUICK_REPLY':
      return { type: 'quick_reply', text };
    case 'URL':
      return button.url === undefined
        ? { type: 'url', text }
        : { type: 'url', text, url: button.url };
    case 'PHONE_NUMBER':
      return button.phone_number === undefined
        ? { type: 'phone_number', text }
        : { type: 'phone_number', text, phoneNumber: button.phone_number };
    // OTP buttons (copy code, one-tap, zero-tap) all show a code to copy.
    case 'COPY_CODE':
    case 'OTP':
      return { type: 'copy_code', text };
    default:
      // Flow, catalog, multi-product and call buttons have no neutral equivalent yet.
      return undefined;
  }
}

function mapComponents(components: MetaComponent[]): TemplateComponents {
  const mapped: TemplateComponents = { body: { text: '' } };
  for (const component of components) {
    switch (component.type.toUpperCase()) {
      case 'HEADER': {
        const format = (component.format ?? 'TEXT').toLowerCase();
        if (!headerFormats.has(format)) break;
        mapped.header = {
          format: format as NonNullable<TemplateComponents['header']>['format'],
          ...(format === 'text' && component.text !== undefined ? { text: component.text } : {}),
        };
        break;
      }
      case 'BODY':
        mapped.body = { text: component.text ?? '' };
        break;
      case 'FOOTER':
        if (component.text !== undefined) mapped.footer = { text: component.text };
        break;
      case 'BUTTONS': {
        const buttons = (component.buttons ?? [])
          .map(mapButton)
          .filter((button): button is TemplateButton => button !== undefined);
        if (buttons.length > 0) mapped.buttons = buttons;
        break;
      }
    }
  }
  return mapped;
}

/** One entry of Meta's `data[]` → a `ProviderTemplate`. */
export function mapMetaTemplate(template: MetaTemplate): ProviderTemplate {
  const status = mapMetaTemplateStatus(template.status);
  const reason = template.rejected_reason;
  const hasReason = reason !== undefined && reason !== '' && reason.toUpperCase() !== 'NONE';
  return {
    providerTemplateId: template.id,
    name: template.name,
    language: template.language,
    category: mapMetaTemplateCategory(template.category),
    status,
    components: mapComponents(template.components ?? []),
    rejectedReason: hasReason && status !== 'approved' ? reason : undefined,
  };
}

/**
 * Reads one page of Meta's answer. Entries without an id, name or language are skipped (they
 * cannot be stored); an answer that is not a page at all is an error.
 */
export function parseMetaTemplatesPage(body: unknown): {
  templates: ProviderTemplate[];
  after: string | undefined;
} {
  const page = metaPageSchema.safeParse(body);
  if (!page.success) {
    throw new ProviderError({
      code: 'META_INVALID_RESPONSE',
      reason: 'Meta answered the template list with something that is not a page of templates',
      retryable: false,
      cause: body,
    });
  }
  const templates: ProviderTemplate[] = [];
  for (const entry of page.data.data) {
    const parsed = metaTemplateSchema.safeParse(entry);
    if (parsed.success) templates.push(mapMetaTemplate(parsed.data));
  }
  // Meta leaves `next` out on the last page, while `cursors.after` is still there.
  const after = page.data.paging?.next ? page.data.paging.cursors?.after : undefined;
  return { templates, after };
}

export function buildTemplatesUrl(config: MetaCloudConfig, after?: string): string {
  const base = config.graphApiBaseUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ fields: requestedFields, limit: String(pageSize) });
  if (after !== undefined) query.set('after', after);
  return `${base}/${config.apiVersion}/${config.wabaId}/message_templates?${query.toString()}`;
}

async function fetchPage(context: ProviderContext<MetaCloudConfig>, after: string | undefined) {
  let response: Response;
  try {
    response = await context.http(buildTemplatesUrl(context.config, after), {
      method: 'GET',
      headers: {
        authorization: `Bearer ${context.config.accessToken}`,
        'user-agent': metaCloudUserAgent,
      },
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw mapMetaCloudNetworkError(error);
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    throw mapMetaCloudError({
      status: response.status,
      body: json,
      retryAfter: response.headers.get('retry-after'),
    });
  }
  return parseMetaTemplatesPage(json);
}

/** Every template of the channel's WhatsApp Business Account, following the `after` cursor. */
export async function listMetaCloudTemplates(
  context: ProviderContext<MetaCloudConfig>,
): Promise<ProviderTemplate[]> {
  const templates: ProviderTemplate[] = [];
  const seen = new Set<string>();
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(context, after);
    templates.push(...result.templates);
    if (result.after === undefined) return templates;
    if (seen.has(result.after)) break;
    seen.add(result.after);
    after = result.after;
  }
  throw new ProviderError({
    code: 'META_INVALID_RESPONSE',
    reason: `Meta's template list did not end after ${templates.length} templates (its cursor repeats or never stops)`,
    retryable: false,
  });
}
