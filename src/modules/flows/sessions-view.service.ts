import type { z } from 'zod';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { decodeCursor, type Page, toPage } from '../../platform/db/pagination.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Logger } from '../../platform/observability/logger.js';
import type {
  FlowSession,
  listSessionsQuerySchema,
} from '../../shared/contracts/flows.contract.js';
import * as repository from './sessions-view.repository.js';

export type FlowSessionsViewDeps = { db: Database; logger: Logger; now: () => Date };

/** What `end_reason` says of a session a person ended by hand. */
export const resetEndReason = 'reset';

function sessionNotFound(id: string): AppError {
  return new AppError('NOT_FOUND', `Flow session ${id} does not exist in this tenant.`);
}

/**
 * Sessions as operators see them (where each conversation is in which flow version, its
 * variables and recent history) and the one thing they may do to them: reset, which ends the
 * session so the person's next message starts afresh.
 */
export function createFlowSessionsViewService(deps: FlowSessionsViewDeps) {
  const { db, now } = deps;
  const logger = deps.logger.child({ module: 'flows.sessions' });

  return {
    async listSessions(
      principal: Principal,
      query: z.infer<typeof listSessionsQuerySchema>,
    ): Promise<Page<FlowSession>> {
      assertRole(principal, 'operator');
      const rows = await repository.listSessions(db, principal.tenantId, {
        conversationId: query.conversationId,
        flowId: query.flowId,
        status: query.status,
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, toFlowSession, (row) => ({
        createdAt: row.updatedAt,
        id: row.id,
      }));
    },

    async getSession(principal: Principal, id: string): Promise<FlowSession> {
      assertRole(principal, 'operator');
      const row = await repository.findSession(db, principal.tenantId, id);
      if (!row) throw sessionNotFound(id);
      return toFlowSession(row);
    },

    /**
     * Ends a session by hand (`end_reason` `reset`): the bot stops where it was and the
     * person's next message is matched against the triggers again. A session already ended is
     * returned unchanged. Operators may do it: they are the ones who see a conversation stuck.
     */
    async resetSession(principal: Principal, id: string): Promise<FlowSession> {
      assertRole(principal, 'operator');
      const { row, changed } = await db.transaction(async (tx) => {
        const session = await repository.findSession(tx, principal.tenantId, id, { lock: true });
        if (!session) throw sessionNotFound(id);
        if (session.status === 'ended') return { row: session, changed: false };
        const at = now();
        const changes = {
          status: 'ended' as const,
          endReason: resetEndReason,
          endedAt: at,
          updatedAt: at,
          // As the engine ends a session: nothing awaited, no wake-up pending, no block.
          // (Its vocabulary has no "reset": a person ending it is a cancellation.)
          state: {
            ...session.state,
            status: 'ended' as const,
            endReason: 'cancelled' as const,
            blockId: null,
            waiting: null,
            inactivity: null,
          },
          history: [
            ...session.history,
            {
              at: at.toISOString(),
              blockId: session.state.blockId,
              event: 'ended',
              detail: { reason: resetEndReason, by: principal.userId },
            },
          ],
        };
        await repository.updateSession(tx, id, changes);
        return { row: { ...session, ...changes }, changed: true };
      });
      if (!changed) return toFlowSession(row);
      logger.info(
        { tenantId: principal.tenantId, sessionId: id, conversationId: row.conversationId },
        'flow session reset',
      );
      return toFlowSession(row);
    },
  };
}

function toFlowSession(row: repository.FlowSessionViewRow): FlowSession {
  return {
    id: row.id,
    conversationId: row.conversationId,
    channelId: row.channelId,
    contactId: row.contactId,
    flowId: row.flowId,
    flowName: row.flowName,
    version: row.version,
    status: row.status,
    blockId: row.state.blockId,
    waitingFor: row.state.waiting?.for ?? null,
    variables: row.state.variables,
    endReason: row.endReason,
    history: row.history.map((entry) => ({
      at: entry.at,
      blockId: entry.blockId,
      event: entry.event,
      ...(entry.detail ? { detail: entry.detail } : {}),
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}
