import { z } from 'zod';
import { stripLeadingLabel } from './text.js';
import {
  type CommonFailureReason,
  fail,
  readInput,
  succeed,
  type ValidationResult,
  type ValidatorDefinition,
} from './validation-result.js';

/**
 * E-mail addresses as people type them in a chat. The syntax is the dot-atom of RFC 5322 with
 * internationalized addresses (RFC 6531: letters of any script in the local part and domain);
 * quoted local parts and IP-literal domains are refused, as no mail form takes them either.
 * Spaces an autocorrect puts around `@` and `.` are dropped, as are a leading "e-mail:", a
 * `mailto:` and one trailing full stop. The domain is lower-cased, the local part kept as sent
 * (it may be case-sensitive); value and display are the cleaned address.
 *
 * Well-known misspellings of the big providers (`gmial.com`, `hotmail.con`, `.com.bt`) are
 * refused with the likely address, unless `suggestTypos` is false.
 */

export const emailOptionsSchema = z.strictObject({
  /** Only addresses at these domains (or their subdomains), e.g. a company's own. */
  allowedDomains: z.array(z.string().trim().min(1).max(253)).max(100).optional(),
  /** Refuse free providers (Gmail, Hotmail, Outlook, Yahoo, iCloud, UOL, SAPO, ...). */
  rejectFreeProviders: z.boolean().optional(),
  /** Refuse well-known misspellings of big providers, suggesting the right one (default true). */
  suggestTypos: z.boolean().optional(),
});
export type EmailOptions = z.infer<typeof emailOptionsSchema>;

export type EmailFailureReason =
  | CommonFailureReason
  | 'contains-spaces'
  | 'missing-at'
  | 'multiple-at'
  | 'invalid-local-part'
  | 'invalid-domain'
  | 'possible-typo'
  | 'free-provider'
  | 'domain-not-allowed';

const field = { 'pt-BR': 'o e-mail', en: 'the e-mail address' };

const freeProviders = new Set([
  'aol.com',
  'bol.com.br',
  'globo.com',
  'globomail.com',
  'gmail.com',
  'gmx.com',
  'gmx.net',
  'googlemail.com',
  'hotmail.com',
  'hotmail.com.br',
  'hotmail.pt',
  'icloud.com',
  'ig.com.br',
  'live.com',
  'live.com.pt',
  'mac.com',
  'mail.com',
  'me.com',
  'msn.com',
  'outlook.com',
  'outlook.com.br',
  'outlook.pt',
  'proton.me',
  'protonmail.com',
  'r7.com',
  'sapo.pt',
  'terra.com.br',
  'uol.com.br',
  'yahoo.com',
  'yahoo.com.br',
  'ymail.com',
  'zipmail.com.br',
]);

/** Misspelled provider domains that host no mail, and what was meant. */
const providerTypos: Record<string, string[]> = {
  'gmail.com': [
    'gmai.com',
    'gmial.com',
    'gmaill.com',
    'gamil.com',
    'gmal.com',
    'gmil.com',
    'gnail.com',
    'gmsil.com',
    'gemail.com',
    'gmeil.com',
    'gimail.com',
    'gmail.co',
    'gmail.cm',
    'gmail.om',
    'gmail.com.br',
  ],
  'hotmail.com': [
    'hotmal.com',
    'hotmial.com',
    'hotmil.com',
    'hotmai.com',
    'hotnail.com',
    'homail.com',
    'hotmaill.com',
    'htmail.com',
    'hotamil.com',
    'hotmail.co',
  ],
  'outlook.com': ['outlok.com', 'outloo.com', 'outllok.com', 'otlook.com', 'outook.com'],
  'yahoo.com': ['yaho.com', 'yahho.com', 'yhaoo.com', 'yahool.com'],
  'yahoo.com.br': ['yaho.com.br', 'yahho.com.br', 'yhaoo.com.br'],
  'icloud.com': ['iclod.com', 'icoud.com', 'icload.com', 'iclould.com'],
};
const typoTargets = new Map(
  Object.entries(providerTypos).flatMap(([right, typos]) =>
    typos.map((typo) => [typo, right] as const),
  ),
);
/** Endings that are never a real top-level domain, and the ending meant. */
const endingTypos: [RegExp, string][] = [
  [/\.(?:con|cmo|comm|coom|vom|xom|cim|ocm)$/, '.com'],
  [/\.(?:com\.bt|com\.vr|combr|con\.br|cm\.br|com\.brr|com\.b)$/, '.com.br'],
];

function suggestDomain(domain: string): string | undefined {
  const direct = typoTargets.get(domain);
  if (direct) return direct;
  for (const [pattern, ending] of endingTypos) {
    if (pattern.test(domain)) {
      const fixed = domain.replace(pattern, ending);
      return typoTargets.get(fixed) ?? fixed;
    }
  }
  return undefined;
}

const localPartPattern =
  /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const domainLabelPattern = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const topLevelPattern = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;

export function validateEmail(
  input: string,
  options: EmailOptions = {},
): ValidationResult<string, EmailFailureReason> {
  const read = readInput(input, 400, field);
  if ('failure' in read) return read.failure;
  const text = stripLeadingLabel(read.text, ['e-?mail', 'correio eletronico'])
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1')
    .replace(/\.$/, '')
    .replace(/\s*([@.])\s*/g, '$1');
  if (/\s/.test(text)) {
    return fail('contains-spaces', {
      'pt-BR': 'Um e-mail não tem espaços. Envie só o endereço, como nome@exemplo.com.br.',
      en: 'An e-mail address has no spaces. Send only the address, like name@example.com.',
    });
  }
  const parts = text.split('@');
  if (parts.length === 1) {
    return fail('missing-at', {
      'pt-BR': 'Falta o @ no e-mail. Envie o endereço completo, como nome@exemplo.com.br.',
      en: 'The @ is missing. Send the whole address, like name@example.com.',
    });
  }
  if (parts.length > 2) {
    return fail('multiple-at', {
      'pt-BR': 'O e-mail tem mais de um @. Envie um endereço só, como nome@exemplo.com.br.',
      en: 'The address has more than one @. Send a single address, like name@example.com.',
    });
  }
  const [localPart = '', rawDomain = ''] = parts;
  if (localPart.length === 0 || localPart.length > 64 || !localPartPattern.test(localPart)) {
    return fail('invalid-local-part', {
      'pt-BR':
        localPart.length === 0
          ? 'Falta o nome antes do @, como em nome@exemplo.com.br.'
          : 'A parte antes do @ tem caracteres que um e-mail não aceita (ou pontos seguidos). Confira e envie de novo.',
      en:
        localPart.length === 0
          ? 'The name before the @ is missing, as in name@example.com.'
          : 'The part before the @ has characters an e-mail address does not take (or two dots in a row). Please check it.',
    });
  }
  const domain = rawDomain.toLowerCase();
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  if (
    domain.length === 0 ||
    domain.length > 253 ||
    labels.length < 2 ||
    !labels.every((label) => domainLabelPattern.test(label)) ||
    !topLevelPattern.test(topLevel)
  ) {
    const isMissingEnding = domain.length > 0 && labels.length < 2;
    return fail(
      'invalid-domain',
      {
        'pt-BR': isMissingEnding
          ? `O domínio depois do @ está incompleto: falta o final, como ${domain}.com ou ${domain}.com.br.`
          : 'O domínio depois do @ não é válido. Envie como nome@exemplo.com.br.',
        en: isMissingEnding
          ? `The domain after the @ is incomplete: the ending is missing, like ${domain}.com.`
          : 'The domain after the @ is not valid. Send it like name@example.com.',
      },
      { domain },
    );
  }
  const address = `${localPart}@${domain}`;
  if (options.suggestTypos !== false) {
    const suggestedDomain = suggestDomain(domain);
    if (suggestedDomain) {
      const suggestion = `${localPart}@${suggestedDomain}`;
      return fail(
        'possible-typo',
        {
          'pt-BR': `Acho que houve um erro de digitação: você quis dizer ${suggestion}? Envie o e-mail de novo.`,
          en: `That looks like a typo: did you mean ${suggestion}? Please send the address again.`,
        },
        { suggestion },
      );
    }
  }
  const allowedDomains = options.allowedDomains?.map((allowed) => allowed.toLowerCase());
  if (
    allowedDomains &&
    allowedDomains.length > 0 &&
    !allowedDomains.some((allowed) => domain === allowed || domain.endsWith(`.${allowed}`))
  ) {
    const examples = allowedDomains
      .slice(0, 3)
      .map((allowed) => `@${allowed}`)
      .join(', ');
    return fail(
      'domain-not-allowed',
      {
        'pt-BR': `Use o e-mail da empresa (${examples}).`,
        en: `Use your company e-mail address (${examples}).`,
      },
      { domain },
    );
  }
  if (options.rejectFreeProviders && freeProviders.has(domain)) {
    return fail(
      'free-provider',
      {
        'pt-BR': `Use o e-mail da empresa, não um e-mail pessoal (@${domain}).`,
        en: `Use your company e-mail address, not a personal one (@${domain}).`,
      },
      { domain },
    );
  }
  return succeed(address, address);
}

export const emailValidator: ValidatorDefinition<
  'email',
  EmailOptions,
  string,
  EmailFailureReason
> = {
  id: 'email',
  optionsSchema: emailOptionsSchema,
  validate: validateEmail,
};
