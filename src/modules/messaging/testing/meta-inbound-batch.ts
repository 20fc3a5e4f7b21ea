/**
 * One Meta webhook delivery carrying text messages from many senders (Meta batches them so),
 * for tests that open the 24-hour window of many contacts at once.
 */
export function buildMetaInboundBatch(
  senders: ReadonlyArray<{ waId: string; wamid: string; text: string }>,
  timestampSeconds = Math.floor(Date.now() / 1000),
): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '99887766',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '5511900000000', phone_number_id: '1122334455667' },
              contacts: senders.map((sender) => ({
                profile: { name: 'Cliente' },
                wa_id: sender.waId,
              })),
              messages: senders.map((sender) => ({
                from: sender.waId,
                id: sender.wamid,
                timestamp: String(timestampSeconds),
                type: 'text',
                text: { body: sender.text },
              })),
            },
          },
        ],
      },
    ],
  });
}
