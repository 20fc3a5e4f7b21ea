/**
 * The little of vCard (RFC 6350 / 2.1, as WhatsApp writes it) a shared contact needs: the
 * formatted name, phones (with WhatsApp's `waid` parameter), e-mails and organisation.
 */
export type VcardContact = {
  name: string | undefined;
  phones: Array<{ phone: string; waId?: string | undefined; type?: string | undefined }>;
  emails: string[];
  organization: string | undefined;
};

function unescapeValue(value: string): string {
  return value.replace(/\\([,;:\\nN])/g, (_match, char: string) =>
    char === 'n' || char === 'N' ? '\n' : char,
  );
}

/** Splits on `;` not escaped by a backslash. */
function splitComponents(value: string): string[] {
  return value.split(/(?<!\\);/).map((part) => unescapeValue(part).trim());
}

export function parseVcard(text: string): VcardContact {
  // Unfold continuation lines (a line starting with a space or tab continues the previous one).
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  const contact: VcardContact = {
    name: undefined,
    phones: [],
    emails: [],
    organization: undefined,
  };
  let structuredName: string | undefined;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const [rawName = '', ...rawParams] = line.slice(0, colon).split(';');
    // Grouped properties look like `item1.TEL`.
    const property = rawName.replace(/^[^.]*\./, '').toUpperCase();
    const value = line.slice(colon + 1).trim();
    const params = new Map<string, string>();
    for (const param of rawParams) {
      const equals = param.indexOf('=');
      if (equals === -1) params.set('TYPE', param.toUpperCase());
      else params.set(param.slice(0, equals).toUpperCase(), param.slice(equals + 1));
    }
    if (property === 'FN' && value) contact.name = unescapeValue(value);
    else if (property === 'N' && value) {
      const [family, given, middle] = splitComponents(value);
      structuredName = [given, middle, family].filter(Boolean).join(' ') || undefined;
    } else if (property === 'TEL' && value) {
      const waId = params.get('WAID');
      contact.phones.push({
        phone: unescapeValue(value),
        waId: waId && /^\d+$/.test(waId) ? waId : undefined,
        type: params.get('TYPE')?.split(',')[0]?.toUpperCase() || undefined,
      });
    } else if (property === 'EMAIL' && value) contact.emails.push(unescapeValue(value));
    else if (property === 'ORG' && value) contact.organization = splitComponents(value)[0];
  }
  contact.name ??= structuredName;
  return contact;
}
