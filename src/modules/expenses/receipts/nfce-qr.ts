import { normalizeText } from '../../../shared/validators/text.js';
import {
  type CommonFailureReason,
  fail,
  succeed,
  type ValidationFailure,
  type ValidationResult,
} from '../../../shared/validators/validation-result.js';
import { type DecodedAccessKey, decodeAccessKey, formatAccessKey } from './access-key.js';
import { parseDotDecimalToCents } from './amounts.js';
import { isHomologationPortal, isTrustedPortalUrl } from './portal-url.js';

/**
 * The content of an NFC-e QR code, in every form in use (Manual do DANFE NFC-e e QR Code;
 * NT 2015.002, NT 2025.001):
 *
 * - v1, legacy (nVersao=100): `URL?chNFe=KEY&nVersao=100&tpAmb=1[&cDest=…]&dhEmi=HEX&vNF=…
 *   &vICMS=…&digVal=HEX&cIdToken=…&cHashQRCode=…` — dhEmi and digVal are the hex of their text.
 * - v2 online: `URL?p=KEY|2|tpAmb|cscId|hash`.
 * - v2 offline (contingency): `URL?p=KEY|2|tpAmb|day|vNF|digValHex|cscId|hash` — carries the
 *   day of emission and the total.
 * - v3 online (production since September 2025): `URL?p=KEY|3|tpAmb`.
 * - v3 offline: `URL?p=KEY|3|tpAmb|day|vNF|tpIdDest|cDest|signature` (base64 RSA signature).
 *
 * Readers hand over the text in many shapes: pipes escaped as `%7C`, the URL without a scheme,
 * line breaks inside. The portal URL must be a `.gov.br` host (see portal-url.ts).
 */

export type NfceQrForm = 'v1' | 'v2-online' | 'v2-offline' | 'v3-online' | 'v3-offline';
export type NfceEnvironment = 'production' | 'homologation';

export type NfceQr = {
  form: NfceQrForm;
  version: 1 | 2 | 3;
  accessKey: DecodedAccessKey;
  /** From the QR's tpAmb: a homologation note is a test with no fiscal value. */
  environment: NfceEnvironment;
  /** The portal's host or path looks like a homologation one (informative; tpAmb decides). */
  isHomologationHost: boolean;
  /** The consultation page to fetch: the QR's URL with a scheme (http when the QR has none). */
  portalUrl: string;
  /** v2/v3 offline: the total the QR itself carries, in cents. */
  offlineTotal?: number;
  /** v2/v3 offline: the day of the month of emission. */
  offlineDay?: number;
  /** Any total the QR carries (v1's vNF, the offline forms' vNF), in cents. */
  declaredTotal?: number;
  /** v1: the emission date-time (dhEmi), ISO 8601 with offset as the issuer wrote it. */
  issuedAt?: string;
  /** v1 / v2: the issuer's CSC id and the SHA-1 hash over the parameters and the CSC. */
  cscId?: string;
  hash?: string;
  /** v3 offline: the base64 signature over the other fields. */
  signature?: string;
};

export type NfceQrFailureReason =
  | CommonFailureReason
  | 'not-nfce'
  | 'cfe-sat'
  | 'untrusted-host'
  | 'unknown-version'
  | 'wrong-field-count'
  | 'invalid-field'
  | 'invalid-access-key'
  | 'not-nfce-model';

export type NfceQrResult = ValidationResult<NfceQr, NfceQrFailureReason>;
type Failure = ValidationFailure<NfceQrFailureReason>;

const maxQrLength = 4096;

export function parseNfceQr(input: string): NfceQrResult {
  if (input.length > maxQrLength) {
    return fail(
      'too-long',
      {
        'pt-BR': 'Esse texto é longo demais para ser o QR Code de uma nota fiscal.',
        en: 'That text is too long to be an invoice QR code.',
      },
      { maxLength: maxQrLength, received: input.length },
    );
  }
  const text = normalizeText(input).replace(/\s+/g, '');
  if (text === '') {
    return fail('empty', {
      'pt-BR': 'O QR Code está vazio.',
      en: 'The QR code is empty.',
    });
  }
  const other = recognizeOtherContent(text);
  if (other) return other;

  const url = readUrl(text);
  if (!url) return notNfce('text');
  const parameters = readQueryParameters(url.search);
  const p = parameters.get('p');
  const legacyKey = parameters.get('chnfe');
  if (p === undefined && legacyKey === undefined) {
    return fail(
      'not-nfce',
      {
        'pt-BR': `Esse QR Code é um link para ${url.hostname}, não o QR Code de uma nota fiscal (NFC-e).`,
        en: `That QR code is a link to ${url.hostname}, not an NFC-e invoice QR code.`,
      },
      { detected: 'url', host: url.hostname },
    );
  }
  if (!isTrustedPortalUrl(url)) {
    return fail(
      'untrusted-host',
      {
        'pt-BR': `O QR Code parece de nota fiscal, mas aponta para ${url.hostname}, que não é um site de Secretaria da Fazenda (.gov.br). Não vou consultá-lo.`,
        en: `The QR code looks like an invoice's, but it points to ${url.hostname}, which is not a state tax authority site (.gov.br). It will not be consulted.`,
      },
      { host: url.hostname },
    );
  }
  const base = {
    portalUrl: url.toString(),
    isHomologationHost: isHomologationPortal(url),
  };
  return p !== undefined ? readPipeForm(p, base) : readLegacyForm(parameters, base);
}

type PortalFacts = { portalUrl: string; isHomologationHost: boolean };

/** v2 and v3: `p=KEY|version|tpAmb|…`. */
function readPipeForm(p: string, base: PortalFacts): NfceQrResult {
  const fields = p.split('|');
  const [keyText = '', version = '', environmentCode = ''] = fields;
  if (version !== '2' && version !== '3') {
    return fail(
      'unknown-version',
      {
        'pt-BR': `Esse QR Code de NFC-e está numa versão que não conheço (${version || 'sem versão'}).`,
        en: `That NFC-e QR code has a version this reader does not know (${version || 'none'}).`,
      },
      { version },
    );
  }
  const expectedCounts = version === '2' ? [5, 8] : [3, 8];
  if (!expectedCounts.includes(fields.length)) {
    return fail(
      'wrong-field-count',
      {
        'pt-BR': `O QR Code de NFC-e versão ${version} tem ${expectedCounts.join(' ou ')} campos separados por "|"; este tem ${fields.length}. Ele pode ter sido lido pela metade: tente fotografar de novo.`,
        en: `A version ${version} NFC-e QR code has ${expectedCounts.join(' or ')} fields separated by "|"; this one has ${fields.length}. It may have been read partially: try another photo.`,
      },
      { version, received: fields.length },
    );
  }
  const key = readKey(keyText);
  if ('failure' in key) return key.failure;
  const environment = readEnvironment(environmentCode);
  if (!environment) return invalidField('tpAmb', environmentCode);
  const common = { ...base, accessKey: key.value, environment };

  if (version === '2' && fields.length === 5) {
    const [, , , cscId = '', hash = ''] = fields;
    if (!/^\d{1,6}$/.test(cscId)) return invalidField('cIdToken', cscId);
    if (!/^[0-9a-f]{40}$/i.test(hash)) return invalidField('cHashQRCode', hash);
    return succeed(
      { form: 'v2-online', version: 2, ...common, cscId, hash },
      formatAccessKey(key.value.key),
    );
  }
  if (version === '3' && fields.length === 3) {
    return succeed({ form: 'v3-online', version: 3, ...common }, formatAccessKey(key.value.key));
  }

  const [, , , dayText = '', totalText = ''] = fields;
  const day = /^\d{2}$/.test(dayText) ? Number(dayText) : 0;
  if (day < 1 || day > 31) return invalidField('dia', dayText);
  const total = parseDotDecimalToCents(totalText);
  if (total === undefined) return invalidField('vNF', totalText);
  const offline = { ...common, offlineDay: day, offlineTotal: total, declaredTotal: total };

  if (version === '2') {
    const [, , , , , digestHex = '', cscId = '', hash = ''] = fields;
    if (!/^(?:[0-9a-f]{2})+$/i.test(digestHex)) return invalidField('digVal', digestHex);
    if (!/^\d{1,6}$/.test(cscId)) return invalidField('cIdToken', cscId);
    if (!/^[0-9a-f]{40}$/i.test(hash)) return invalidField('cHashQRCode', hash);
    return succeed(
      { form: 'v2-offline', version: 2, ...offline, cscId, hash },
      formatAccessKey(key.value.key),
    );
  }
  const [, , , , , recipientType = '', recipient = '', signature = ''] = fields;
  if (!/^[123]?$/.test(recipientType)) return invalidField('tp_idDest', recipientType);
  if (!/^[0-9A-Za-z.-]{0,20}$/.test(recipient)) return invalidField('cDest', '…');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return invalidField('assinatura', '…');
  return succeed(
    { form: 'v3-offline', version: 3, ...offline, signature },
    formatAccessKey(key.value.key),
  );
}

/** v1: `chNFe=KEY&nVersao=100&tpAmb=…&dhEmi=HEX&vNF=…&…` (parameter names in any case). */
function readLegacyForm(parameters: Map<string, string>, base: PortalFacts): NfceQrResult {
  const version = parameters.get('nversao');
  if (version !== undefined && version !== '100') {
    return fail(
      'unknown-version',
      {
        'pt-BR': `Esse QR Code de NFC-e está numa versão que não conheço (${version}).`,
        en: `That NFC-e QR code has a version this reader does not know (${version}).`,
      },
      { version },
    );
  }
  const key = readKey(parameters.get('chnfe') ?? '');
  if ('failure' in key) return key.failure;
  const environmentCode = parameters.get('tpamb') ?? '';
  const environment = readEnvironment(environmentCode);
  if (!environment) return invalidField('tpAmb', environmentCode);

  const result: NfceQr = { form: 'v1', version: 1, ...base, accessKey: key.value, environment };
  const totalText = parameters.get('vnf');
  if (totalText !== undefined) {
    const total = parseDotDecimalToCents(totalText);
    if (total === undefined) return invalidField('vNF', totalText);
    result.declaredTotal = total;
  }
  const issuedHex = parameters.get('dhemi');
  if (issuedHex !== undefined) {
    const issuedAt = decodeHexText(issuedHex);
    if (
      !issuedAt ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?$/.test(issuedAt) ||
      Number.isNaN(Date.parse(issuedAt))
    ) {
      return invalidField('dhEmi', issuedHex.slice(0, 20));
    }
    result.issuedAt = issuedAt;
  }
  const cscId = parameters.get('cidtoken');
  if (cscId !== undefined) {
    if (!/^\d{1,6}$/.test(cscId)) return invalidField('cIdToken', cscId);
    result.cscId = cscId;
  }
  const hash = parameters.get('chashqrcode');
  if (hash !== undefined) {
    if (!/^[0-9a-f]{40}$/i.test(hash)) return invalidField('cHashQRCode', hash);
    result.hash = hash;
  }
  return succeed(result, formatAccessKey(key.value.key));
}

function readKey(text: string): { value: DecodedAccessKey } | { failure: Failure } {
  const decoded = decodeAccessKey(text);
  if (!decoded.ok) {
    const failure = fail(
      'invalid-access-key',
      decoded.message,
      // The key's own reason (check-digit, wrong-length, …) and its facts, for the caller.
      { accessKeyReason: decoded.reason, ...decoded.details },
    );
    return { failure };
  }
  if (decoded.value.model !== '65') {
    return {
      failure: fail(
        'not-nfce-model',
        {
          'pt-BR':
            'A chave desse QR Code é de uma NF-e (modelo 55), não de uma NFC-e; o QR Code de consulta é só de NFC-e.',
          en: 'The key in that QR code belongs to an NF-e (model 55), not an NFC-e; consultation QR codes are NFC-e only.',
        },
        { model: decoded.value.model },
      ),
    };
  }
  return { value: decoded.value };
}

function readEnvironment(code: string): NfceEnvironment | undefined {
  if (code === '1') return 'production';
  if (code === '2') return 'homologation';
  return undefined;
}

function invalidField(name: string, received: string): Failure {
  return fail(
    'invalid-field',
    {
      'pt-BR': `O campo ${name} do QR Code de NFC-e tem um valor inválido. O QR pode ter sido lido com erro: tente fotografar de novo.`,
      en: `The ${name} field of the NFC-e QR code has an invalid value. It may have been misread: try another photo.`,
    },
    { field: name, received: received.slice(0, 60) },
  );
}

function notNfce(detected: string, what?: { 'pt-BR': string; en: string }): Failure {
  return fail(
    'not-nfce',
    {
      'pt-BR': `Esse QR Code ${what?.['pt-BR'] ?? 'não é de uma nota fiscal'}. Fotografe o QR Code impresso no cupom da compra (NFC-e).`,
      en: `That QR code ${what?.en ?? 'is not from an invoice'}. Photograph the QR code printed on the purchase receipt (NFC-e).`,
    },
    { detected },
  );
}

/** Well-known QR contents that are not NFC-e, named so the reply can say what was sent. */
function recognizeOtherContent(text: string): Failure | undefined {
  if (/^000201/.test(text) && /br\.gov\.bcb\.pix/i.test(text)) {
    return notNfce('pix', { 'pt-BR': 'é um código PIX', en: 'is a PIX payment code' });
  }
  if (/^BEGIN:VCARD/i.test(text) || /^MECARD:/i.test(text)) {
    return notNfce('contact', { 'pt-BR': 'é um cartão de contato', en: 'is a contact card' });
  }
  if (/^WIFI:/i.test(text)) {
    return notNfce('wifi', { 'pt-BR': 'é uma senha de Wi-Fi', en: 'is a Wi-Fi password' });
  }
  if (/^A:[^*]{1,12}\*B:/.test(text)) {
    return notNfce('pt-invoice', {
      'pt-BR': 'é de uma fatura portuguesa, não de uma NFC-e brasileira',
      en: 'belongs to a Portuguese invoice, not a Brazilian NFC-e',
    });
  }
  if (/^(?:mailto|tel|sms|smsto|geo|matmsg):/i.test(text)) {
    return notNfce('other', { 'pt-BR': 'não é de uma nota fiscal', en: 'is not from an invoice' });
  }
  // A CF-e SAT (São Paulo's fiscal coupon) QR starts with its 44-digit key and a pipe.
  if (/^\d{44}\|/.test(text)) {
    const key = decodeAccessKey(text.slice(0, 44));
    const isSat = key.ok
      ? false
      : key.reason === 'unsupported-model' && text.slice(20, 22) === '59';
    if (isSat) {
      return fail(
        'cfe-sat',
        {
          'pt-BR':
            'Esse QR Code é de um cupom fiscal SAT (CF-e), não de uma NFC-e; ele ainda não é lido aqui. Registre a despesa digitando o valor.',
          en: 'That QR code belongs to a SAT fiscal coupon (CF-e), not an NFC-e; it is not read here yet. Register the expense by typing the amount.',
        },
        { detected: 'cfe-sat' },
      );
    }
    return notNfce('text');
  }
  return undefined;
}

/** The QR text as a URL: a scheme is added when missing (http, as the states print them). */
function readUrl(text: string): URL | undefined {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (!hasScheme && /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+:\d/.test(text)) {
    return undefined; // Another URI scheme (urn:, otpauth:, …).
  }
  try {
    const url = new URL(hasScheme ? text : `http://${text}`);
    if (!url.hostname.includes('.')) return undefined;
    url.hash = '';
    return url;
  } catch {
    return undefined;
  }
}

/**
 * Query parameters by lower-cased name, percent-decoded without turning `+` into a space
 * (URLSearchParams would, and the v3 signature is base64). The first occurrence wins.
 */
function readQueryParameters(search: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = percentDecode(pair.slice(0, separator)).toLowerCase();
    if (!parameters.has(name)) parameters.set(name, percentDecode(pair.slice(separator + 1)));
  }
  return parameters;
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` elsewhere: decode the escapes that matter here and keep the rest.
    return text.replace(/%7C/gi, '|').replace(/%2B/gi, '+').replace(/%2F/gi, '/');
  }
}

/** The hex of an ASCII text (v1's dhEmi and digVal) → the text; not hex → undefined. */
function decodeHexText(hex: string): string | undefined {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return undefined;
  const text = Buffer.from(hex, 'hex').toString('latin1');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}
