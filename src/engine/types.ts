import type { z } from 'zod';
import type {
  FlowDocument,
  FlowIssueCode,
  FlowLocale,
  VariableType,
} from '../shared/flows/flow-document.js';
import type { MessageContent } from '../shared/messaging/message-content.js';

/**
 * The engine's vocabulary. The engine is one pure function (`runTurn`): a flow, a session's
 * state and one input in; the new state, the messages to send, the effects to apply and a log
 * out. It never touches the database, the network or the clock: the flows module gives it the
 * time and applies what it returns.
 */

/** What a variable can hold: JSON. */
export type FlowValue =
  | string
  | number
  | boolean
  | null
  | FlowValue[]
  | { [key: string]: FlowValue };
export type Variables = Record<string, FlowValue>;

export type SessionStatus = 'active' | 'handoff' | 'ended';

export type EndReason = 'completed' | 'cancelled' | 'inactive' | 'error' | 'opted-out';

/** What the current block waits for before the flow goes on. */
export type WaitState = {
  for: 'input' | 'effect' | 'wake';
  /** The effect's or the wake-up's id, for `effect` and `wake`. */
  key?: string;
  /** Wrong answers so far (inputs re-ask, then take `invalid`). */
  attempts: number;
  /** Anything the block keeps between its turns (e.g. the options it offered). */
  data?: FlowValue;
};

/** A session as the engine sees it; the flows module persists it as is (JSON). */
export type SessionState = {
  status: SessionStatus;
  /** The block being run or waited on; null once ended. */
  blockId: string | null;
  waiting: WaitState | null;
  variables: Variables;
  /** Turns taken so far: effect ids are `<turn>.<n>`, so a retried turn reuses them. */
  turn: number;
  endReason?: EndReason;
  /** The pending inactivity wake-up, if the flow has an inactivity setting. */
  inactivity: { stage: 'reminder' | 'close'; wakeId: string } | null;
};

/** A file the user sent, already stored by the messaging module. */
export type ReceivedFile = {
  mediaId: string;
  mimeType: string;
  size: number;
  fileName?: string;
};

export type TurnInput =
  /** A new session: run from the start block. */
  | { kind: 'start' }
  /** A message from the person. `file` when it carried stored media. */
  | { kind: 'message'; content: MessageContent; file?: ReceivedFile }
  /** The outcome of an effect the flow waited for (`action.http`, `action.call`). */
  | { kind: 'effect-result'; effectId: string; result: EffectResult }
  /** A scheduled wake-up came due (`logic.wait`, inactivity). */
  | { kind: 'wake'; wakeId: string }
  /** A human handed the conversation back to the bot. */
  | { kind: 'resume' };

export type EffectResult =
  | { ok: true; value: FlowValue }
  | { ok: false; error: { code: string; message: string }; value?: FlowValue };

/** What the person's channel can render (buttons and lists degrade to numbered text if not). */
export type ChannelTraits = {
  buttons: boolean;
  lists: boolean;
};

/** Facts from outside the flow: the clock, who is chatting, where, and what modules offer. */
export type TurnEnvironment = {
  now: Date;
  contact: { id: string; name: string | null; phone: string | null };
  channel: { id: string; name: string; traits: ChannelTraits };
};

export type HttpRequestEffect = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  retries: number;
};

/** Effects the flows module applies once (their id is the once-only key). */
export type Effect =
  | { id: string; kind: 'http'; request: HttpRequestEffect }
  | { id: string; kind: 'call'; action: string; inputs: Variables }
  | { id: string; kind: 'handoff'; team?: string; note?: string }
  | { id: string; kind: 'store-file'; mediaId: string; variable: string }
  | { id: string; kind: 'schedule-wake'; wakeId: string; at: string; reason: WakeReason }
  | { id: string; kind: 'end'; reason: EndReason };

export type WakeReason = 'wait' | 'inactivity-reminder' | 'inactivity-close';

/** An effect as a block asks for it; the runtime gives it its id. */
export type EffectRequest = DistributiveOmit<Effect, 'id'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A message to send, with its once-only id. */
export type Outgoing = { id: string; content: MessageContent };

export type LogEntry = {
  blockId: string | null;
  event: string;
  detail?: Record<string, FlowValue>;
};

export type TurnResult = {
  state: SessionState;
  outgoing: Outgoing[];
  effects: Effect[];
  log: LogEntry[];
  /**
   * The input cannot be taken now (a message while the flow waits for an effect's result):
   * nothing changed; hand it again after the pending input.
   */
  deferred?: true;
};

/** What a block's step decides after it ran. */
export type Next =
  /**
   * Go on through a port. A named port with no edge goes through `next`; `next` with no edge
   * ends the flow (completed).
   */
  | { go: string | typeof defaultNext }
  /** Go to a block by id (`logic.jump`). */
  | { jump: string }
  /** Stay on this block until the input, the effect's result (the step's last awaited effect) or the wake-up. */
  | { wait: 'input' | 'effect' | 'wake'; attempts?: number; data?: FlowValue }
  | { end: EndReason };

export const defaultNext = 'next';

/**
 * A block's decision. (`next`, not `then`: an object with a `then` property is a thenable and
 * would be taken for a promise by `await`.)
 */
export type Step = {
  send?: MessageContent[];
  effects?: EffectRequest[];
  set?: Variables;
  next: Next;
  /** A line for the session's history. */
  log?: { event: string; detail?: Record<string, FlowValue> };
};

/** What a block sees when it runs. */
export type BlockContext<Options> = {
  blockId: string;
  options: Options;
  variables: Readonly<Variables>;
  env: TurnEnvironment;
  locale: FlowLocale;
  timeZone: string;
  /** The session's turn number (ids of what a turn asks for derive from it). */
  turn: number;
  /** Renders a template (`{{name}}`, `{{total | money}}`) against the variables and environment. */
  render(template: string): string;
  /** The text for the flow's locale from a table of texts keyed by locale. */
  text(texts: Record<FlowLocale, string>): string;
  /** Whether a port of this block has an edge. */
  hasPort(port: string): boolean;
};

/** The inputs a waiting block can resume with (never `start`). */
export type ResumeInput = Exclude<TurnInput, { kind: 'start' }>;

export type BlockCategory = 'message' | 'input' | 'logic' | 'action';

/** A template inside a block's options, for validation (syntax and variables). */
export type TemplateField = { path: (string | number)[]; template: string };

/** A variable a block reads or writes by name (not through a template). */
export type VariableUse = {
  path: (string | number)[];
  name: string;
  /** The types the block accepts or produces; undefined = any. */
  types?: readonly VariableType[];
};

/** What the dashboard and the validator know about a block type, without running it. */
export type BlockDefinition<Options = unknown> = {
  type: string;
  category: BlockCategory;
  title: Record<'pt-BR' | 'en', string>;
  optionsSchema: z.ZodType<Options>;
  /** Named ports besides `next` that these options offer (choice ids, `invalid`, ...). */
  ports(options: Options): string[];
  /** Ports that must have an edge (e.g. every case of `logic.condition`). */
  requiredPorts?(options: Options): string[];
  templates?(options: Options): TemplateField[];
  reads?(options: Options): VariableUse[];
  writes?(options: Options): VariableUse[];
  /** Block ids named in the options (`logic.jump`). */
  targets?(options: Options): { path: (string | number)[]; blockId: string }[];
  /** Domain actions named in the options (`action.call`). */
  actions?(options: Options): { path: (string | number)[]; action: string }[];
  /** Checks beyond the schema (a validator's own options, an action's inputs, ...). */
  check?(
    options: Options,
    context: { actions?: ActionCatalog },
  ): { path: (string | number)[]; code: FlowIssueCode; message: string }[];
  /** What the channel must render natively, else it degrades (shown on the graph). */
  needs?(options: Options): ('buttons' | 'lists')[];
};

export type BlockExecutor<Options = unknown> = {
  /** The flow arrives at the block. */
  enter(context: BlockContext<Options>): Step;
  /** The block waits and something came. Blocks that never wait leave it out. */
  resume?(context: BlockContext<Options>, input: ResumeInput, waiting: WaitState): Step;
};

export type BlockModule<Options = unknown> = {
  definition: BlockDefinition<Options>;
  executor: BlockExecutor<Options>;
};

/** A domain action a module registers (e.g. `expenses.start-trip`): what the engine may know. */
export type ActionDeclaration = {
  id: string;
  description: string;
  inputs: Record<string, { type: VariableType; required: boolean }>;
  outputs: Record<string, { type: VariableType }>;
};

export type ActionCatalog = ReadonlyMap<string, ActionDeclaration>;

export type { FlowDocument };
