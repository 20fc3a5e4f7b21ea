/**
 * Entry point of the flows module (issue 5): flow definitions and immutable versions, channel
 * triggers and commands, the sessions view — and what the runtime reads of them.
 */

export {
  type ActionContext,
  ActionError,
  type ActionHandler,
  type ActionRegistry,
  createActionRegistry,
} from './actions.js';
export {
  ConversationTestFormatError,
  type LoadedConversationTests,
  loadConversationTests,
} from './conversation-tests/conversation-test.parser.js';
export {
  type ConversationTestHarness,
  type ConversationTestOutcome,
  createConversationTestRunner,
  describeFailure,
} from './conversation-tests/conversation-test.runner.js';
export {
  type ConversationTestPortal,
  startConversationTestPortal,
} from './conversation-tests/portal-server.js';
export { type FlowVersionRow, findPublishedVersion } from './definitions.repository.js';
export { flowDefinitionsRoutes } from './definitions.routes.js';
export {
  createFlowDefinitionsService,
  type FlowDefinitionsDeps,
  type FlowDefinitionsService,
} from './definitions.service.js';
export { findKeyword, normalizeKeyword, wordsOf } from './keywords.js';
export { flowRuntimeRoutes } from './runtime.routes.js';
export {
  createFlowRuntime,
  type FlowRuntime,
  findDueLanes,
  findDueOutbox,
  flowEffectJob,
  flowTurnJob,
  matchCommand,
  type TriggerLookup,
} from './runtime.service.js';
export { resetEndReason } from './sessions-view.service.js';
export { commandsOf, findTriggerFlow, type TriggeredFlow } from './triggers.repository.js';
