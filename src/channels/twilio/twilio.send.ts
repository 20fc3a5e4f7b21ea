import type { MessageContent } from '../../shared/messaging/message-content.js';
import {
  type OutboundMessage,
  type ProviderContext,
  ProviderError,
  type SendResult,
} from '../provider.port.js';
import { type TwilioConfig, trimBaseUrl, twilioAuthorization } from './twilio.config.js';
import { mapTwilioError, mapTwilioNetworkError } from './twilio.errors.js';
import { whatsappAddressPrefix } from './twilio.parse.js';

/**
 * Sends through Programmable Messaging: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`,
 * form-encoded, basic auth, WhatsApp addresses (`whatsapp:+E.164`). Text goes as `Body`, media
 * as `MediaUrl` (a URL Twilio fetches: Twilio takes no uploads), a location as a `geo:`
 * `PersistentAction`, a template as `ContentSid` + `ContentVariables`. Status callbacks come to
 * the channel's own webhook (`StatusCallback`).
 */

type TemplateContent = Extract<MessageContent, { type: 'template' }>;
type TemplateParameter = NonNullable<TemplateContent['body']>[number];

const requestTimeoutMs = 30_000;
/** A Content SID: Twilio's id of a content template. */
export const contentSidPattern = /^HX[0-9a-fA-F]{32}$/;

function unsupportedContent(reason: string): ProviderError {
  return new ProviderError({ code: 'UNSUPPORTED_CONTENT', reason, retryable: false });
}

function mediaUrl(content: { url?: string | undefined }, type: string): string {
  if (content.url) return content.url;
  throw new ProviderError({
    code: 'MEDIA_NOT_UPLOADED',
    reason: `The ${type} has no URL Twilio can fetch (Twilio takes media by URL only)`,
    retryable: false,
  });
}

function parameterValue(parameter: TemplateParameter): string {
  switch (parameter.type) {
    case 'text':
      return parameter.text;
    case 'currency':
    case 'date_time':
      return parameter.fallback;
    case 'image':
    case 'video':
    case 'document':
      return parameter.url;
  }
}

/**
 * `ContentVariables` for a template message. Twilio numbers a content's variables once across
 * the whole content (`{{1}}` in the header, `{{2}}` in the body…): positional parameters are
 * numbered in order, header first, then body, then the suffixes of URL buttons. Named
 * parameters keep their names.
 */
export function buildContentVariables(content: TemplateContent): Record<string, string> {
  const variables: Record<string, string> = {};
  let position = 0;
  for (const parameter of [...(content.header ?? []), ...(content.body ?? [])]) {
    position++;
    const name = parameter.type === 'text' && parameter.name ? parameter.name : String(position);
    variables[name] = parameterValue(parameter);
  }
  const urlButtons = (content.buttons ?? [])
    .filter((button) => button.subType === 'url')
    .sort((a, b) => a.index - b.index);
  for (const button of urlButtons) {
    position++;
    variables[String(position)] = button.payload;
  }
  return variables;
}

/** The recipient as Twilio addresses it on WhatsApp. */
export function formatTwilioRecipient(to: OutboundMessage['to']): string {
  const digits = to.phone.replace(/\D/g, '');
  if (!/^[1-9]\d{6,14}$/.test(digits)) {
    throw new ProviderError({
      code: 'TWILIO_INVALID_RECIPIENT',
      reason: `“${to.phone}” is not a phone number Twilio can address on WhatsApp`,
      retryable: false,
    });
  }
  return `${whatsappAddressPrefix}+${digits}`;
}

function contentFields(content: MessageContent): Array<[string, string]> {
  switch (content.type) {
    case 'text':
      return [['Body', content.text]];
    case 'image':
    case 'video':
    case 'document': {
      const fields: Array<[string, string]> = [['MediaUrl', mediaUrl(content, content.type)]];
      if (content.caption) fields.push(['Body', content.caption]);
      return fields;
    }
    // WhatsApp shows no caption on audio and stickers.
    case 'audio':
    case 'sticker':
      return [['MediaUrl', mediaUrl(content, content.type)]];
    case 'location': {
      const label = content.name ?? content.address;
      const coordinates = `${content.latitude},${content.longitude}`;
      const body =
        [content.name, content.address].filter((part) => part !== undefined).join(' — ') ||
        coordinates;
      return [
        ['PersistentAction', `geo:${coordinates}${label === undefined ? '' : `|${label}`}`],
        ['Body', body],
      ];
    }
    case 'template': {
      // The library fills the Content SID of synced templates; a bare SID as name works too.
      const contentSid = content.providerTemplateId ?? content.name;
      if (!contentSidPattern.test(contentSid)) {
        throw new ProviderError({
          code: 'TWILIO_CONTENT_SID_REQUIRED',
          reason: `Twilio sends templates by Content SID (HX…): the template “${content.name}” is not one`,
          retryable: false,
        });
      }
      const fields: Array<[string, string]> = [['ContentSid', contentSid]];
      const variables = buildContentVariables(content);
      if (Object.keys(variables).length > 0) {
        fields.push(['ContentVariables', JSON.stringify(variables)]);
      }
      return fields;
    }
    case 'buttons':
    case 'list':
    case 'contacts':
    case 'reaction':
      throw unsupportedContent(
        `Twilio cannot send a ${content.type} message through the Messages API`,
      );
    case 'interactive-reply':
      throw unsupportedContent(
        'An interactive reply is what a user sends; a business cannot send one',
      );
    case 'unsupported':
      throw unsupportedContent(`Cannot send unsupported content (${content.providerType})`);
  }
}

/** Builds the form body of one send. Throws `ProviderError` for content Twilio cannot send. */
export function buildTwilioSendForm(
  config: TwilioConfig,
  message: OutboundMessage,
  statusCallback?: string | undefined,
): URLSearchParams {
  const form = new URLSearchParams();
  form.append('To', formatTwilioRecipient(message.to));
  form.append('From', config.from);
  for (const [name, value] of contentFields(message.content)) form.append(name, value);
  if (statusCallback !== undefined && /^https?:\/\//i.test(statusCallback)) {
    form.append('StatusCallback', statusCallback);
  }
  return form;
}

export function buildMessagesUrl(config: TwilioConfig): string {
  return `${trimBaseUrl(config.apiBaseUrl)}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function readSid(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const sid = (body as { sid?: unknown }).sid;
  return typeof sid === 'string' && sid.length > 0 ? sid : undefined;
}

/** Sends one message; failures become mapped `ProviderError`s. */
export async function sendTwilioMessage(
  context: ProviderContext<TwilioConfig>,
  message: OutboundMessage,
): Promise<SendResult> {
  const { config } = context;
  const form = buildTwilioSendForm(config, message, context.webhookUrl);
  let response: Response;
  try {
    response = await context.http(buildMessagesUrl(config), {
      method: 'POST',
      headers: {
        authorization: twilioAuthorization(config),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw mapTwilioNetworkError(error);
  }
  const json = await readJson(response);
  if (!response.ok) {
    throw mapTwilioError({
      status: response.status,
      body: json,
      retryAfter: response.headers.get('retry-after'),
    });
  }
  const providerMessageId = readSid(json);
  if (providerMessageId === undefined) {
    // Twilio accepted the request; retrying could send twice, so this is not retryable.
    throw new ProviderError({
      code: 'TWILIO_INVALID_RESPONSE',
      reason: 'Twilio accepted the message but its answer carried no message SID',
      retryable: false,
      cause: json,
    });
  }
  return { providerMessageId };
}
