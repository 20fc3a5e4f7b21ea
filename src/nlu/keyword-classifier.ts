import type { IntentClassifier, IntentDefinition, IntentScore } from './intent-classifier.js';
import { isNegatedAt, type Token, tokenize } from './portuguese-text.js';

/**
 * The keyword implementation of the NLU port: no model, no training, predictable enough for a
 * flow author to reason about. Text and keywords are compared as stems (see
 * `portuguese-text.ts`), so "Cancelamento", "cancelar" and "cancela" meet, accents and case
 * never matter, and words match whole ("pagar" is not inside "apagar").
 *
 * Scores:
 * - a keyword found as a phrase (its words in a row, in one clause): 0.9, up to 1 as the keyword
 *   covers more of the message ("cancelar" alone is 1; "quero cancelar a viagem" ≈ 0.93);
 * - a keyword's words all present but apart, in one clause: 0.75;
 * - an example: 0.7 × the share of the example's content words found in the text + 0.3 × the
 *   share of the text's content words found in the example (politeness and articles are not
 *   content); halved when one of them is negated and the other is not;
 * - a one-letter slip in a word of five letters or more ("cancelr") counts at 0.9 of a match.
 * A keyword right after a negation in its clause ("não quero cancelar") does not count, unless
 * the keyword itself is a negation ("não quero"); "Não, quero cancelar" counts (the comma ends
 * the clause). An intent scores its best keyword or example.
 */
export const classifyByKeywords: IntentClassifier = (text, intents) => {
  const tokens = tokenize(text);
  if (tokens.length === 0) return [];
  const scores: (IntentScore & { order: number })[] = [];
  intents.forEach((intent, order) => {
    const score = scoreIntent(tokens, intent);
    if (score > 0)
      scores.push({ intent: intent.id, score: Math.round(score * 1000) / 1000, order });
  });
  scores.sort((a, b) => b.score - a.score || a.order - b.order);
  return scores.map(({ intent, score }) => ({ intent, score }));
};

function scoreIntent(tokens: readonly Token[], intent: IntentDefinition): number {
  let best = 0;
  for (const keyword of intent.keywords ?? []) {
    best = Math.max(best, scoreKeyword(tokens, tokenize(keyword)));
    if (best >= 1) return 1;
  }
  for (const example of intent.examples ?? []) {
    best = Math.max(best, scoreExample(tokens, tokenize(example)));
  }
  return best;
}

const fuzzyMatch = 0.9;

/** How alike two tokens are: 1 (same stem), 0.9 (one slip in a long word) or 0. */
function similarity(a: Token, b: Token): number {
  if (a.stem === b.stem || a.word === b.word) return 1;
  if (a.stem.length >= 5 && b.stem.length >= 5 && isOneEditApart(a.stem, b.stem)) {
    return fuzzyMatch;
  }
  return 0;
}

function scoreKeyword(tokens: readonly Token[], keyword: readonly Token[]): number {
  if (keyword.length === 0) return 0;
  const isNegative = keyword.some((token) => token.isNegation);
  const counts = (index: number) => isNegative || !isNegatedAt(tokens, index);
  let best = 0;
  // As a phrase.
  for (let start = 0; start + keyword.length <= tokens.length; start += 1) {
    let alike = 1;
    for (let offset = 0; offset < keyword.length && alike > 0; offset += 1) {
      const token = tokens[start + offset];
      const wanted = keyword[offset];
      if (!token || !wanted || token.clause !== tokens[start]?.clause) alike = 0;
      else alike *= similarity(token, wanted);
    }
    if (alike > 0 && counts(start)) {
      best = Math.max(best, alike * (0.9 + (0.1 * keyword.length) / tokens.length));
    }
  }
  if (best > 0 || keyword.length === 1) return best;
  // Its words apart, in one clause (the articles and prepositions of the keyword may be absent).
  const content = keyword.filter((token) => !token.isStopword);
  const wanted = content.length > 0 ? content : keyword;
  const clauses = new Set(tokens.map((token) => token.clause));
  for (const clause of clauses) {
    let alike = 1;
    for (const word of wanted) {
      let found = 0;
      tokens.forEach((token, index) => {
        if (token.clause === clause && counts(index)) {
          found = Math.max(found, similarity(token, word));
        }
      });
      alike *= found;
    }
    best = Math.max(best, 0.75 * alike);
  }
  return best;
}

function scoreExample(tokens: readonly Token[], example: readonly Token[]): number {
  const content = (list: readonly Token[]) => {
    const kept = list.filter((token) => !token.isStopword && !token.isNegation);
    return kept.length > 0 ? kept : list.filter((token) => !token.isNegation);
  };
  const said = content(tokens);
  const meant = content(example);
  if (said.length === 0 || meant.length === 0) return 0;
  const coverage = (from: readonly Token[], into: readonly Token[]) =>
    from.reduce(
      (sum, token) => sum + Math.max(0, ...into.map((other) => similarity(token, other))),
      0,
    ) / from.length;
  let score = 0.7 * coverage(meant, said) + 0.3 * coverage(said, meant);
  const isSaidNegated = tokens.some((token) => token.isNegation);
  const isMeantNegated = example.some((token) => token.isNegation);
  if (isSaidNegated !== isMeantNegated) score /= 2;
  return score;
}

/** Whether two words differ by one insertion, deletion, substitution or swap of neighbours. */
function isOneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const restA = a.slice(start, endA);
  const restB = b.slice(start, endB);
  if (restA.length <= 1 && restB.length <= 1) return true;
  return restA.length === 2 && restB.length === 2 && restA === [...restB].reverse().join('');
}
