import { createHmac } from 'node:crypto';

/** Meta Cloud API webhook bodies as tests send them (shapes of Meta's documented events). */

const metadata = { display_phone_number: '5511900000000', phone_number_id: '1122334455667' };

function envelope(value: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '99887766',
        changes: [
          { field: 'messages', value: { messaging_product: 'whatsapp', metadata, ...value } },
        ],
      },
    ],
  });
}

export function metaTextWebhook(input: {
  wamid: string;
  from: string;
  text: string;
  name?: string;
  timestampSeconds?: number;
}): string {
  return envelope({
    contacts: [{ profile: { name: input.name ?? 'Cliente' }, wa_id: input.from }],
    messages: [
      {
        from: input.from,
        id: input.wamid,
        timestamp: String(input.timestampSeconds ?? Math.floor(Date.now() / 1000)),
        type: 'text',
        text: { body: input.text },
      },
    ],
  });
}

export function metaStatusWebhook(wamid: string, status: string, timestampSeconds: number): string {
  return envelope({
    statuses: [
      { id: wamid, status, timestamp: String(timestampSeconds), recipient_id: '5511987654321' },
    ],
  });
}

/** The `X-Hub-Signature-256` header Meta sends for `body`. */
export function signMetaWebhook(body: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
