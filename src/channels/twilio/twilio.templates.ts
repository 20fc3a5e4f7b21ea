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
import { type TwilioConfig, trimBaseUrl, twilioAuthorization } from './twilio.config.js';
import { mapTwilioError, mapTwilioNetworkError } from './twilio.errors.js';

/**
 * Template sync from the Content API: every page of `GET /v1/Content`, then each content's
 * WhatsApp approval (`GET /v1/Content/{sid}/ApprovalRequests`), mapped to the provider-neutral
 * `ProviderTemplate`. The Content SID (`HX…`) is the `providerTemplateId`; the friendly name is
 * the name. Twilio's shapes stay in this file.
 */

const pageSize = 100;
/** 200 pages of 100 contents: far beyond an account's templates; guards a looping cursor. */
const maxPages = 200;
const approvalConcurrency = 4;
const requestTimeoutMs = 30_000;

const actionSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  id: z.string().optional(),
  url: z.string().optional(),
  phone: z.string().optional(),
  code: z.string().optional(),
  copy_code_text: z.string().optional(),
});

/** The fields of the content types we read (twilio/text, twilio/media, whatsapp/card…). */
const typeSchema = z.looseObject({
  body: z.string().optional(),
  title: z.string().optional(),
  subtitle: z.string().optional(),
  footer: z.string().optional(),
  header_text: z.string().optional(),
  media: z.array(z.string()).optional(),
  actions: z.array(actionSchema).optional(),
});

const contentSchema = z.looseObject({
  sid: z.string().regex(/^HX[0-9a-fA-F]{32}$/),
  friendly_name: z.string().nullish(),
  language: z.string().min(2).max(15),
  types: z.record(z.string(), z.unknown()).nullish(),
});

const pageSchema = z.object({
  contents: z.array(z.unknown()),
  meta: z.looseObject({ next_page_url: z.string().nullish() }).optional(),
});

const approvalSchema = z.looseObject({
  status: z.string().optional(),
  category: z.string().optional(),
  rejection_reason: z.string().nullish(),
  name: z.string().optional(),
});

type TwilioContent = z.infer<typeof contentSchema>;
type TwilioType = z.infer<typeof typeSchema>;
export type TwilioApproval = z.infer<typeof approvalSchema>;

const statusByTwilioStatus: Record<string, ProviderTemplateStatus> = {
  approved: 'approved',
  received: 'pending',
  pending: 'pending',
  submitted: 'pending',
  in_appeal: 'pending',
  rejected: 'rejected',
  paused: 'paused',
  disabled: 'disabled',
  deleted: 'disabled',
};

/**
 * Twilio's WhatsApp approval status → ours. A content never submitted to WhatsApp (or with a
 * status we do not know) cannot be sent as a template: `disabled`.
 */
export function mapTwilioTemplateStatus(status: string | undefined): ProviderTemplateStatus {
  return statusByTwilioStatus[(status ?? '').toLowerCase()] ?? 'disabled';
}

/** WhatsApp's category as Twilio reports it → ours (old categories are utility, like Meta's). */
export function mapTwilioTemplateCategory(
  category: string | undefined,
  types: readonly string[],
): ProviderTemplate['category'] {
  const value = (category ?? '').toUpperCase();
  if (value === 'AUTHENTICATION' || value === 'OTP') return 'authentication';
  if (value === '' && types.includes('whatsapp/authentication')) return 'authentication';
  if (value === 'UTILITY' || value === 'TRANSACTIONAL' || value === 'AUTO_REPLY') return 'utility';
  if (value.endsWith('_UPDATE') || value === 'ISSUE_RESOLUTION') return 'utility';
  return 'marketing';
}

/** The kind of a media header, from the file name at the end of its URL. */
function mediaFormat(url: string): 'image' | 'video' | 'document' {
  const path = url.split(/[?#]/)[0]?.toLowerCase() ?? '';
  if (/\.(mp4|3gp|3gpp|mov)$/.test(path)) return 'video';
  if (/\.(pdf|docx?|xlsx?|pptx?|txt|csv)$/.test(path)) return 'document';
  return 'image';
}

function mapAction(action: z.infer<typeof actionSchema>): TemplateButton | undefined {
  const title = action.title ?? '';
  switch ((action.type ?? 'QUICK_REPLY').toUpperCase()) {
    case 'QUICK_REPLY':
      return { type: 'quick_reply', text: title };
    case 'URL':
      return action.url === undefined
        ? { type: 'url', text: title }
        : { type: 'url', text: title, url: action.url };
    case 'PHONE_NUMBER':
    case 'PHONE':
      return action.phone === undefined
        ? { type: 'phone_number', text: title }
        : { type: 'phone_number', text: title, phoneNumber: action.phone };
    case 'COPY_CODE':
      return { type: 'copy_code', text: title || action.copy_code_text || 'Copy code' };
    default:
      // Voice calls, flows, catalogs… have no neutral equivalent yet.
      return undefined;
  }
}

function mapButtons(actions: TwilioType['actions']): TemplateButton[] | undefined {
  const buttons = (actions ?? [])
    .map(mapAction)
    .filter((button): button is TemplateButton => button !== undefined);
  return buttons.length > 0 ? buttons : undefined;
}

/** Content types in the order we prefer them when a content has several. */
const preferredTypes = [
  'whatsapp/card',
  'whatsapp/authentication',
  'twilio/card',
  'twilio/call-to-action',
  'twilio/quick-reply',
  'twilio/media',
  'twilio/text',
];

function pickType(types: Record<string, unknown>): [string, TwilioType] | undefined {
  const names = [
    ...preferredTypes.filter((name) => name in types),
    ...Object.keys(types).filter((name) => !preferredTypes.includes(name)),
  ];
  for (const name of names) {
    const parsed = typeSchema.safeParse(types[name]);
    if (parsed.success) return [name, parsed.data];
  }
  return undefined;
}

/** A content's definition → the neutral components (header, body, footer, buttons). */
export function mapTwilioComponents(types: Record<string, unknown>): TemplateComponents {
  const picked = pickType(types);
  if (!picked) return { body: { text: '' } };
  const [name, type] = picked;
  const components: TemplateComponents = { body: { text: type.body ?? '' } };
  const media = type.media?.[0];
  switch (name) {
    case 'whatsapp/authentication':
      // WhatsApp writes the text of authentication templates itself.
      components.body = { text: type.body ?? '{{1}} is your verification code.' };
      break;
    case 'twilio/card':
      // On WhatsApp a card's title is the body and its subtitle the footer.
      components.body = { text: type.title ?? type.body ?? '' };
      if (type.subtitle) components.footer = { text: type.subtitle };
      break;
    default:
      if (type.footer) components.footer = { text: type.footer };
  }
  if (media !== undefined) components.header = { format: mediaFormat(media) };
  else if (type.header_text) components.header = { format: 'text', text: type.header_text };
  const buttons = mapButtons(type.actions);
  if (buttons) components.buttons = buttons;
  return components;
}

/** One content and its approval → a `ProviderTemplate`. */
export function mapTwilioTemplate(
  content: TwilioContent,
  approval: TwilioApproval | undefined,
): ProviderTemplate {
  const types = content.types ?? {};
  const status = mapTwilioTemplateStatus(approval?.status);
  const reason = approval?.rejection_reason?.trim();
  const isUnsubmitted = approval?.status === undefined || approval.status === 'unsubmitted';
  let rejectedReason: string | undefined;
  if (status === 'rejected' || status === 'paused') rejectedReason = reason || undefined;
  else if (isUnsubmitted) rejectedReason = 'Not submitted to WhatsApp for approval';
  return {
    providerTemplateId: content.sid,
    name: content.friendly_name?.trim() || content.sid,
    language: content.language,
    category: mapTwilioTemplateCategory(approval?.category, Object.keys(types)),
    status,
    components: mapTwilioComponents(types),
    rejectedReason,
  };
}

/**
 * Reads one page of `GET /v1/Content`. Entries without a Content SID or a language are skipped
 * (they cannot be stored); an answer that is not a page at all is an error.
 */
export function parseTwilioContentPage(body: unknown): {
  contents: TwilioContent[];
  nextPageUrl: string | undefined;
} {
  const page = pageSchema.safeParse(body);
  if (!page.success) {
    throw new ProviderError({
      code: 'TWILIO_INVALID_RESPONSE',
      reason: 'Twilio answered the content list with something that is not a page of contents',
      retryable: false,
      cause: body,
    });
  }
  const contents: TwilioContent[] = [];
  for (const entry of page.data.contents) {
    const parsed = contentSchema.safeParse(entry);
    if (parsed.success) contents.push(parsed.data);
  }
  return { contents, nextPageUrl: page.data.meta?.next_page_url ?? undefined };
}

/** The WhatsApp approval in a `GET /v1/Content/{sid}/ApprovalRequests` answer. */
export function parseTwilioApproval(body: unknown): TwilioApproval | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const parsed = approvalSchema.safeParse(record.whatsapp ?? record.approval_requests);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The URL of a content page. Twilio's `next_page_url` names its own host: only its query (page
 * token, page number, size) is kept, against the configured base URL.
 */
export function buildContentPageUrl(config: TwilioConfig, nextPageUrl?: string): string {
  const query = new URLSearchParams({ PageSize: String(pageSize) });
  if (nextPageUrl !== undefined) {
    let next: URL;
    try {
      next = new URL(nextPageUrl, config.contentApiBaseUrl);
    } catch {
      throw new ProviderError({
        code: 'TWILIO_INVALID_RESPONSE',
        reason: 'Twilio’s next page URL of the content list is not a URL',
        retryable: false,
      });
    }
    for (const [name, value] of next.searchParams) query.set(name, value);
  }
  return `${trimBaseUrl(config.contentApiBaseUrl)}/v1/Content?${query.toString()}`;
}

async function getJson(context: ProviderContext<TwilioConfig>, url: string) {
  let response: Response;
  try {
    response = await context.http(url, {
      method: 'GET',
      headers: { authorization: twilioAuthorization(context.config), accept: 'application/json' },
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw mapTwilioNetworkError(error, 'the Twilio Content API');
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  return { response, json };
}

async function fetchApproval(
  context: ProviderContext<TwilioConfig>,
  sid: string,
): Promise<TwilioApproval | undefined> {
  const base = trimBaseUrl(context.config.contentApiBaseUrl);
  const { response, json } = await getJson(context, `${base}/v1/Content/${sid}/ApprovalRequests`);
  // A content never submitted to WhatsApp may have no approval resource at all.
  if (response.status === 404) return undefined;
  if (!response.ok) {
    throw mapTwilioError({
      status: response.status,
      body: json,
      retryAfter: response.headers.get('retry-after'),
    });
  }
  return parseTwilioApproval(json);
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Every content template of the account, all pages, with its WhatsApp approval. */
export async function listTwilioTemplates(
  context: ProviderContext<TwilioConfig>,
): Promise<ProviderTemplate[]> {
  const contents: TwilioContent[] = [];
  const seen = new Set<string>();
  let nextPageUrl: string | undefined;
  let isComplete = false;
  for (let page = 0; page < maxPages; page++) {
    const url = buildContentPageUrl(context.config, nextPageUrl);
    const { response, json } = await getJson(context, url);
    if (!response.ok) {
      throw mapTwilioError({
        status: response.status,
        body: json,
        retryAfter: response.headers.get('retry-after'),
      });
    }
    const result = parseTwilioContentPage(json);
    contents.push(...result.contents);
    if (result.nextPageUrl === undefined) {
      isComplete = true;
      break;
    }
    const nextUrl = buildContentPageUrl(context.config, result.nextPageUrl);
    if (seen.has(nextUrl)) break;
    seen.add(nextUrl);
    nextPageUrl = result.nextPageUrl;
  }
  if (!isComplete) {
    throw new ProviderError({
      code: 'TWILIO_INVALID_RESPONSE',
      reason: `Twilio’s content list did not end after ${contents.length} contents (its next page repeats or never stops)`,
      retryable: false,
    });
  }
  return mapWithConcurrency(contents, approvalConcurrency, async (content) =>
    mapTwilioTemplate(content, await fetchApproval(context, content.sid)),
  );
}
