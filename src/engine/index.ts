/**
 * The flow engine's entry point (ARCHITECTURE.md §5): pure, no I/O. Modules reach the engine
 * only through what is exported here.
 */
export { blockModules, blockTypes } from './blocks/index.js';
export { defaultMaxStepsPerTurn, initialState, runTurn, timeZoneOf } from './run-turn.js';
export { parseTemplate, renderTemplate } from './template.js';
export type {
  ActionCatalog,
  ActionDeclaration,
  BlockDefinition,
  ChannelTraits,
  Effect,
  EffectResult,
  EndReason,
  FlowValue,
  LogEntry,
  Outgoing,
  ReceivedFile,
  SessionState,
  TurnEnvironment,
  TurnInput,
  TurnResult,
  Variables,
} from './types.js';
export { type FlowValidation, type ValidateOptions, validateFlow } from './validate-flow.js';
