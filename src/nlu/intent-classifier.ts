/**
 * The NLU port the flow engine classifies with (`logic.switch-intent`). An implementation is a
 * pure function: the person's text and the intents a block offers in, a score per intent out.
 * It must not do I/O: the engine runs it inside a turn. A model behind a network call would be
 * a domain action (`action.call`), not an implementation of this port.
 */

/** An intent as a flow author writes it. */
export type IntentDefinition = {
  /** Stable id: the block's port and the value stored in its variable. */
  id: string;
  /** Words or phrases that signal the intent ("cancelar", "falar com atendente"). */
  keywords?: readonly string[];
  /** Whole sentences a person might send ("quero cancelar minha reserva"). */
  examples?: readonly string[];
};

export type IntentScore = {
  intent: string;
  /** 0 (nothing in common) to 1 (the text is a keyword or an example). */
  score: number;
};

/** Scores for the intents that matched at all (score > 0), best first; ties keep intent order. */
export type IntentClassifier = (
  text: string,
  intents: readonly IntentDefinition[],
) => IntentScore[];
