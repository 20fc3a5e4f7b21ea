import { foldText } from '../shared/validators/text.js';

/**
 * Tokens of a chat message for matching, Portuguese first (English works too): folded (lower
 * case, no accents), emoji kept as tokens, each word reduced to a stem so that plurals, gender
 * and common verb endings meet ("cancelar", "cancela", "cancelamento", "cancelado" → `cancel`;
 * "viagens" → `viag`). The stemmer is deliberately small — a few suffix rules in the spirit of
 * RSLP — because both sides of a comparison go through it: consistency matters, linguistics
 * less. Each token also knows its clause (split at punctuation and "mas"/"but") and whether a
 * negation ("não", "nem", "nunca", "not", ...) comes shortly before it in that clause.
 */

export type Token = {
  /** The folded word as written. */
  word: string;
  stem: string;
  /** Index of the clause the token is in. */
  clause: number;
  isNegation: boolean;
  isStopword: boolean;
};

const tokenPattern = /[\p{L}\p{N}]+|\p{Extended_Pictographic}|[,.;:!?\n]+/gu;
const clauseBreak = /^[,.;:!?\n]+$/;
const clauseWords = new Set(['mas', 'porem', 'contudo', 'but']);

export const negationWords: ReadonlySet<string> = new Set([
  'nao',
  'n',
  'nem',
  'nunca',
  'jamais',
  'tampouco',
  'not',
  'never',
  'dont',
  'doesnt',
  'didnt',
  'cant',
  'wont',
]);

const stopwords: ReadonlySet<string> = new Set([
  // Portuguese: articles, prepositions, pronouns and the politeness around a request.
  ...'a o as os um uma uns umas de do da dos das em no na nos nas ao aos pelo pela por para pra pro com sem e ou que se eu me mim meu minha meus minhas voce voces vc te ti seu sua seus suas ele ela eles elas isso isto esse essa este esta aquele aquela aqui ai la ja tambem muito mais favor porfavor pf pfv obrigado obrigada oi ola bom boa dia tarde noite quero queria gostaria preciso poderia pode posso tem tenho estou esta sou ser vai vou fazer como qual quais quando onde ne entao so ok'.split(
    ' ',
  ),
  // English.
  ...'the an of to in on at for with and or i me my you your it is are am be do please want would like need can could hi hello'.split(
    ' ',
  ),
]);

const pluralRules: readonly (readonly [suffix: string, replacement: string, minLength: number])[] =
  [
    ['oes', 'ao', 3],
    ['aes', 'ao', 3],
    ['ais', 'al', 4],
    ['eis', 'el', 4],
    ['ois', 'ol', 4],
    ['uis', 'ul', 4],
    ['ns', 'm', 3],
    ['res', 'r', 3],
    ['zes', 'z', 3],
    ['ses', 's', 3],
  ];

/** Verb, gender and a few noun endings, longest first; one is stripped, keeping ≥ 3 letters. */
const suffixes = [
  'amento',
  'imento',
  'aremos',
  'eremos',
  'iremos',
  'ariam',
  'eriam',
  'iriam',
  'acao',
  'icao',
  'ando',
  'endo',
  'indo',
  'aram',
  'eram',
  'iram',
  'avam',
  'amos',
  'emos',
  'imos',
  'ava',
  'ado',
  'ada',
  'ido',
  'ida',
  'iam',
  'ar',
  'er',
  'ir',
  'ei',
  'ou',
  'am',
  'em',
  'a',
  'o',
  'e',
] as const;

const minimumStem = 3;

/** The stem of one folded word (lower case, no accents). */
export function stemWord(word: string): string {
  if (!/^\p{L}+$/u.test(word) || word.length <= minimumStem) return word;
  let stem = word;
  let isPlural = false;
  for (const [suffix, replacement, minLength] of pluralRules) {
    if (stem.endsWith(suffix)) {
      const candidate = stem.slice(0, -suffix.length) + replacement;
      if (candidate.length >= minLength) {
        stem = candidate;
        isPlural = true;
        break;
      }
    }
  }
  if (!isPlural && stem.endsWith('s') && !/(?:ss|us|is)$/.test(stem) && stem.length > 4) {
    stem = stem.slice(0, -1);
  }
  for (const suffix of suffixes) {
    // "-ão" is a noun ending ("botão", "cartão"), not a verb's "-o".
    if (suffix === 'o' && stem.endsWith('ao')) break;
    if (stem.endsWith(suffix) && stem.length - suffix.length >= minimumStem) {
      return stem.slice(0, -suffix.length);
    }
  }
  return stem;
}

/** Tokens before a word that a negation may stand in ("não quero mais cancelar"). */
const negationReach = 3;

/** Splits a text into tokens, with clauses and negation marks. */
export function tokenize(text: string): Token[] {
  const folded = foldText(text).replace(/['’]/g, '');
  const tokens: Token[] = [];
  let clause = 0;
  for (const [word] of folded.matchAll(tokenPattern)) {
    if (clauseBreak.test(word) || clauseWords.has(word)) {
      clause += 1;
      continue;
    }
    tokens.push({
      word,
      stem: stemWord(word),
      clause,
      isNegation: negationWords.has(word),
      isStopword: stopwords.has(word),
    });
  }
  return tokens;
}

/** Whether a negation of the same clause stands shortly before the token at `index`. */
export function isNegatedAt(tokens: readonly Token[], index: number): boolean {
  const clause = tokens[index]?.clause;
  for (let at = index - 1; at >= 0 && at >= index - negationReach; at -= 1) {
    const token = tokens[at];
    if (!token || token.clause !== clause) return false;
    if (token.isNegation) return true;
  }
  return false;
}
