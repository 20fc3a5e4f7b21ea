/** Natural-language understanding for flows: pure, Portuguese first (see README.md). */
export type { IntentClassifier, IntentDefinition, IntentScore } from './intent-classifier.js';
export { classifyByKeywords } from './keyword-classifier.js';
export { stemWord, tokenize } from './portuguese-text.js';
