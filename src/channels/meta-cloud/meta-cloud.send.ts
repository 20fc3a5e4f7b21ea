import type { MessageContent } from '../../shared/messaging/message-content.js';
import {
  type OutboundMessage,
  type ProviderContext,
  ProviderError,
  type SendResult,
} from '../provider.port.js';
import type { MetaCloudConfig } from './meta-cloud.config.js';
import { mapMetaCloudError, mapMetaCloudNetworkError } from './meta-cloud.errors.js';

/** The JSON body of `POST /{version}/{phone-number-id}/messages`. */
export type MetaSendBody = {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: string;
  context?: { message_id: string };
} & Record<string, unknown>;

type TemplateContent = Extract<MessageContent, { type: 'template' }>;
type TemplateParameter = NonNullable<TemplateContent['body']>[number];

/** The Graph API rejects requests without a `name/x.y.z` user agent in its contract. */
export const metaCloudUserAgent = 'recado/0.1.0';
const requestTimeoutMs = 30_000;

function unsupportedContent(reason: string): ProviderError {
  return new ProviderError({ code: 'UNSUPPORTED_CONTENT', reason, retryable: false });
}

function mediaReference(content: { providerMediaId?: string; url?: string }, type: string) {
  if (content.providerMediaId) return { id: content.providerMediaId };
  if (content.url) return { link: content.url };
  throw new ProviderError({
    code: 'MEDIA_NOT_UPLOADED',
    reason: `The ${type} has neither a Meta media id nor a public URL; upload it first`,
    retryable: false,
  });
}

function templateParameter(parameter: TemplateParameter): Record<string, unknown> {
  switch (parameter.type) {
    case 'text':
      return parameter.name
        ? { type: 'text', parameter_name: parameter.name, text: parameter.text }
        : { type: 'text', text: parameter.text };
    case 'currency':
      return {
        type: 'currency',
        currency: {
          fallback_value: parameter.fallback,
          code: parameter.code,
          amount_1000: parameter.amount1000,
        },
      };
    case 'date_time':
      return { type: 'date_time', date_time: { fallback_value: parameter.fallback } };
    case 'image':
      return { type: 'image', image: { link: parameter.url } };
    case 'video':
      return { type: 'video', video: { link: parameter.url } };
    case 'document':
      return {
        type: 'document',
        document: parameter.filename
          ? { link: parameter.url, filename: parameter.filename }
          : { link: parameter.url },
      };
  }
}

function templateComponents(content: TemplateContent): Record<string, unknown>[] {
  const components: Record<string, unknown>[] = [];
  if (content.header?.length) {
    components.push({ type: 'header', parameters: content.header.map(templateParameter) });
  }
  if (content.body?.length) {
    components.push({ type: 'body', parameters: content.body.map(templateParameter) });
  }
  for (const button of content.buttons ?? []) {
    components.push({
      type: 'button',
      sub_type: button.subType,
      index: String(button.index),
      parameters: [
        button.subType === 'quick_reply'
          ? { type: 'payload', payload: button.payload }
          : { type: 'text', text: button.payload },
      ],
    });
  }
  return components;
}

/** Removes undefined fields so the JSON body carries only what was set. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function contentFields(content: MessageContent): { type: string } & Record<string, unknown> {
  switch (content.type) {
    case 'text':
      return {
        type: 'text',
        text: compact({ body: content.text, preview_url: content.previewUrl }),
      };
    case 'image':
    case 'video':
      return {
        type: content.type,
        [content.type]: compact({
          ...mediaReference(content, content.type),
          caption: content.caption,
        }),
      };
    case 'document':
      return {
        type: 'document',
        document: compact({
          ...mediaReference(content, 'document'),
          caption: content.caption,
          filename: content.filename,
        }),
      };
    // Meta accepts no caption on audio and stickers.
    case 'audio':
    case 'sticker':
      return { type: content.type, [content.type]: mediaReference(content, content.type) };
    case 'location':
      // The contract declares coordinates as strings (Meta's own examples send them so).
      return {
        type: 'location',
        location: compact({
          latitude: String(content.latitude),
          longitude: String(content.longitude),
          name: content.name,
          address: content.address,
        }),
      };
    case 'contacts':
      return {
        type: 'contacts',
        contacts: content.contacts.map((contact) =>
          compact({
            name: { formatted_name: contact.name, first_name: contact.name },
            phones: contact.phones.map((phone) =>
              compact({ phone: phone.phone, wa_id: phone.waId, type: phone.type }),
            ),
            emails: contact.emails?.map((email) => ({ email })),
            org: contact.organization ? { company: contact.organization } : undefined,
          }),
        ),
      };
    case 'buttons':
      return {
        type: 'interactive',
        interactive: compact({
          type: 'button',
          header: content.header ? { type: 'text', text: content.header } : undefined,
          body: { text: content.body },
          footer: content.footer ? { text: content.footer } : undefined,
          action: {
            buttons: content.buttons.map((button) => ({
              type: 'reply',
              reply: { id: button.id, title: button.title },
            })),
          },
        }),
      };
    case 'list':
      return {
        type: 'interactive',
        interactive: compact({
          type: 'list',
          header: content.header ? { type: 'text', text: content.header } : undefined,
          body: { text: content.body },
          footer: content.footer ? { text: content.footer } : undefined,
          action: {
            button: content.buttonText,
            sections: content.sections.map((section) =>
              compact({
                title: section.title,
                rows: section.rows.map((row) =>
                  compact({ id: row.id, title: row.title, description: row.description }),
                ),
              }),
            ),
          },
        }),
      };
    case 'template': {
      const components = templateComponents(content);
      return {
        type: 'template',
        template: compact({
          name: content.name,
          language: { policy: 'deterministic', code: content.language },
          components: components.length > 0 ? components : undefined,
        }),
      };
    }
    case 'reaction':
      return {
        type: 'reaction',
        reaction: { message_id: content.messageProviderId, emoji: content.emoji },
      };
    case 'interactive-reply':
      throw unsupportedContent(
        'An interactive reply is what a user sends; a business cannot send one',
      );
    case 'unsupported':
      throw unsupportedContent(`Cannot send unsupported content (${content.providerType})`);
  }
}

/** The recipient as Meta wants it: the WhatsApp id when known, else the phone's digits. */
export function formatMetaRecipient(to: OutboundMessage['to']): string {
  return to.waId ?? to.phone.replace(/\D/g, '');
}

/** Builds the send body for one message. Throws `ProviderError` for content Meta cannot send. */
export function buildMetaSendBody(message: OutboundMessage): MetaSendBody {
  const body: MetaSendBody = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: formatMetaRecipient(message.to),
    ...contentFields(message.content),
  };
  if (message.replyToProviderMessageId) {
    body.context = { message_id: message.replyToProviderMessageId };
  }
  return body;
}

export function buildMessagesUrl(config: MetaCloudConfig): string {
  const base = config.graphApiBaseUrl.replace(/\/+$/, '');
  return `${base}/${config.apiVersion}/${config.phoneNumberId}/messages`;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function readMessageId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('messages' in body)) return undefined;
  const messages = (body as { messages: unknown }).messages;
  if (!Array.isArray(messages)) return undefined;
  const first: unknown = messages[0];
  if (typeof first !== 'object' || first === null || !('id' in first)) return undefined;
  const id = (first as { id: unknown }).id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** Sends one message through the Graph API; failures become mapped `ProviderError`s. */
export async function sendMetaCloudMessage(
  context: ProviderContext<MetaCloudConfig>,
  message: OutboundMessage,
): Promise<SendResult> {
  const body = buildMetaSendBody(message);
  let response: Response;
  try {
    response = await context.http(buildMessagesUrl(context.config), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${context.config.accessToken}`,
        'content-type': 'application/json',
        'user-agent': metaCloudUserAgent,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw mapMetaCloudNetworkError(error);
  }
  const json = await readJson(response);
  if (!response.ok) {
    throw mapMetaCloudError({
      status: response.status,
      body: json,
      retryAfter: response.headers.get('retry-after'),
    });
  }
  const providerMessageId = readMessageId(json);
  if (providerMessageId === undefined) {
    // Meta accepted the request; retrying could send twice, so this is not retryable.
    throw new ProviderError({
      code: 'META_INVALID_RESPONSE',
      reason: 'Meta accepted the message but its answer carried no message id',
      retryable: false,
      cause: json,
    });
  }
  return { providerMessageId };
}
