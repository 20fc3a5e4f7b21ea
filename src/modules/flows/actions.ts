import type { ActionCatalog, ActionDeclaration, FlowValue, Variables } from '../../engine/index.js';

/**
 * Domain actions modules offer to flows (`action.call`, e.g. `expenses.start-trip`). The engine
 * sees only the declarations (to validate flows); the runtime runs the handler when a turn asks.
 */
export type ActionContext = {
  tenantId: string;
  conversationId: string;
  contactId: string;
  channelId: string;
  sessionId: string;
  signal?: AbortSignal;
};

export type ActionHandler = (inputs: Variables, context: ActionContext) => Promise<FlowValue>;

/** Thrown by a handler for an outcome the flow should see as an error (its `error` port). */
export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

export function createActionRegistry() {
  const handlers = new Map<string, { declaration: ActionDeclaration; run: ActionHandler }>();
  const catalog = new Map<string, ActionDeclaration>();
  return {
    register(declaration: ActionDeclaration, run: ActionHandler): void {
      if (!/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/.test(declaration.id)) {
        throw new Error(`Action ids are "<module>.<verb>": "${declaration.id}" is not`);
      }
      if (handlers.has(declaration.id))
        throw new Error(`Action ${declaration.id} is registered twice`);
      handlers.set(declaration.id, { declaration, run });
      catalog.set(declaration.id, declaration);
    },
    catalog(): ActionCatalog {
      return catalog;
    },
    find(id: string) {
      return handlers.get(id);
    },
  };
}

export type ActionRegistry = ReturnType<typeof createActionRegistry>;
