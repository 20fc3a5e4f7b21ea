/**
 * How trigger keywords and global commands are compared with what people type: lower case,
 * without accents or punctuation, words split on anything that is not a letter or digit. So
 * "Cancelar!", "CANCELAR" and "cancelár" are all the word `cancelar`, and "2ª via" is `2a via`.
 */

/** The words of a text, normalized. */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** A keyword as stored: its normalized words joined by one space ('' when nothing is left). */
export function normalizeKeyword(keyword: string): string {
  return wordsOf(keyword).join(' ');
}

/**
 * Where a normalized keyword first occurs in a text's words (as whole, consecutive words), or
 * -1. `findKeyword(wordsOf('Quero a 2ª via'), '2a via')` is 2.
 */
export function findKeyword(words: readonly string[], keyword: string): number {
  const wanted = keyword.split(' ');
  for (let start = 0; start + wanted.length <= words.length; start++) {
    if (wanted.every((word, offset) => words[start + offset] === word)) return start;
  }
  return -1;
}
