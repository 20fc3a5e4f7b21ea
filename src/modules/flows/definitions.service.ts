import type { z } from 'zod';
import { type ActionCatalog, validateFlow } from '../../engine/index.js';
import { assertRole, type Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { decodeCursor, type Page, toPage } from '../../platform/db/pagination.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Logger } from '../../platform/observability/logger.js';
import {
  type Flow,
  type FlowSummary,
  type FlowVersion,
  type FlowVersionSummary,
  type listFlowsQuerySchema,
  type listFlowVersionsQuerySchema,
  maxFlowDocumentBytes,
} from '../../shared/contracts/flows.contract.js';
import type { FlowIssue } from '../../shared/flows/flow-document.js';
import type { ChannelsService } from '../messaging/index.js';
import * as repository from './definitions.repository.js';
import { hasLiveSessions } from './sessions-view.repository.js';
import { createFlowSessionsViewService } from './sessions-view.service.js';
import { createFlowTriggersService } from './triggers.service.js';

export type FlowDefinitionsDeps = {
  db: Database;
  /** Channels of the caller's tenant (404 otherwise), for triggers and commands. */
  channels: Pick<ChannelsService, 'getChannel'>;
  logger: Logger;
  /**
   * Domain actions modules registered (`action.call` must name one). Absent: none, so a flow
   * naming an action cannot be published until a module offers it.
   */
  actions?: ActionCatalog;
  now?: () => Date;
};

/** Everything the flows API does: definitions and versions, triggers, the sessions view. */
export type FlowDefinitionsService = ReturnType<typeof createFlowDefinitionsService>;

const maxNameLength = 120;

/** A document larger than the API takes is refused before anything looks inside it. */
function assertDocumentSize(document: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(document), 'utf8');
  if (bytes > maxFlowDocumentBytes) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The flow document has ${bytes} bytes; the largest accepted is ${maxFlowDocumentBytes}. Split it into smaller flows.`,
      [{ path: 'body.document', message: `is ${bytes} bytes (at most ${maxFlowDocumentBytes})` }],
    );
  }
}

/**
 * Refuses a document with problems (400 listing every one with its JSON path), unless the
 * caller keeps a work-in-progress draft (`allowIssues`, the dashboard's editor).
 */
function assertNoIssues(
  name: string,
  document: Record<string, unknown>,
  actions: ActionCatalog | undefined,
): void {
  const validation = validateFlow(document, actions ? { actions } : {});
  if (validation.ok) return;
  throw new AppError(
    'VALIDATION_FAILED',
    `The flow "${name}" has ${validation.issues.length} problem(s): ${describeIssues(validation.issues)}. Fix them, or save it as a draft with "allowIssues": true.`,
    validation.issues,
  );
}

/**
 * The API's checks of a document before it is stored as a draft: a JSON object (the route's
 * schema already saw to that), not too large, with a name (the flow is called by it). All else
 * the draft may get wrong is reported as issues, not refused.
 */
function readDocumentName(document: Record<string, unknown>): string {
  assertDocumentSize(document);
  const name = typeof document.name === 'string' ? document.name.trim() : '';
  if (name.length === 0 || name.length > maxNameLength) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The flow document needs a "name" (text of 1 to ${maxNameLength} characters): the flow is listed and bound by it.`,
      [
        {
          path: 'body.document.name',
          message:
            name.length > maxNameLength
              ? `is longer than ${maxNameLength} characters`
              : 'is required (non-empty text)',
        },
      ],
    );
  }
  return name;
}

function nameTaken(name: string): AppError {
  return new AppError(
    'CONFLICT',
    `This tenant already has a flow named "${name}" (names are compared without regard to case): choose another name in the document.`,
    [{ path: 'body.document.name', message: 'is taken by another flow of this tenant' }],
  );
}

function flowNotFound(id: string): AppError {
  return new AppError('NOT_FOUND', `Flow ${id} does not exist in this tenant.`);
}

function describeIssues(issues: FlowIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => `${issue.pointer} ${issue.message}`);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/**
 * Flows as the API sees them: a draft anyone with the admin role edits freely (saved even with
 * issues, which are returned), and immutable published versions numbered 1, 2, 3... that
 * sessions run. Triggers and the sessions view are part of the same service.
 */
export function createFlowDefinitionsService(deps: FlowDefinitionsDeps) {
  const { db } = deps;
  const logger = deps.logger.child({ module: 'flows.definitions' });
  const now = deps.now ?? (() => new Date());
  const actions: ActionCatalog = deps.actions ?? new Map();

  const issuesOf = (document: unknown): FlowIssue[] => {
    const validation = validateFlow(document, { actions });
    return validation.ok ? [] : validation.issues;
  };

  function toFlowSummary(row: repository.FlowRow): FlowSummary {
    return {
      id: row.id,
      name: row.name,
      latestVersion: row.latestVersion,
      issues: issuesOf(row.draft),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  function toFlow(row: repository.FlowRow): Flow {
    return { ...toFlowSummary(row), draft: row.draft };
  }

  async function getRow(principal: Principal, id: string) {
    const row = await repository.findFlow(db, principal.tenantId, id);
    if (!row) throw flowNotFound(id);
    return row;
  }

  const definitions = {
    async listFlows(
      principal: Principal,
      query: z.infer<typeof listFlowsQuerySchema>,
    ): Promise<Page<FlowSummary>> {
      assertRole(principal, 'operator');
      const rows = await repository.listFlows(db, principal.tenantId, {
        cursor: decodeCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(rows, query.limit, toFlowSummary);
    },

    async getFlow(principal: Principal, id: string): Promise<Flow> {
      assertRole(principal, 'operator');
      return toFlow(await getRow(principal, id));
    },

    async createFlow(
      principal: Principal,
      document: Record<string, unknown>,
      options: { allowIssues?: boolean } = {},
    ): Promise<Flow> {
      assertRole(principal, 'admin');
      const name = readDocumentName(document);
      if (!options.allowIssues) assertNoIssues(name, document, actions);
      const row = await repository.insertFlow(db, {
        tenantId: principal.tenantId,
        name,
        draft: document,
      });
      if (!row) throw nameTaken(name);
      logger.info({ tenantId: principal.tenantId, flowId: row.id }, 'flow created');
      return toFlow(row);
    },

    async updateFlow(
      principal: Principal,
      id: string,
      document: Record<string, unknown>,
      options: { allowIssues?: boolean } = {},
    ): Promise<Flow> {
      assertRole(principal, 'admin');
      const name = readDocumentName(document);
      if (!options.allowIssues) assertNoIssues(name, document, actions);
      let row: repository.FlowRow | undefined;
      try {
        row = await repository.updateFlowDraft(db, principal.tenantId, id, {
          name,
          draft: document,
          updatedAt: now(),
        });
      } catch (error) {
        if (repository.isFlowNameTaken(error)) throw nameTaken(name);
        throw error;
      }
      if (!row) throw flowNotFound(id);
      return toFlow(row);
    },

    async deleteFlow(principal: Principal, id: string): Promise<void> {
      assertRole(principal, 'admin');
      await getRow(principal, id);
      if (await hasLiveSessions(db, principal.tenantId, id)) {
        throw new AppError(
          'CONFLICT',
          `Flow ${id} is running in conversations now: reset those sessions (GET /api/v1/flows/sessions?flowId=${id}&status=active, then POST .../reset) or wait for them to end, then delete it.`,
        );
      }
      if (!(await repository.deleteFlow(db, principal.tenantId, id))) throw flowNotFound(id);
      logger.info({ tenantId: principal.tenantId, flowId: id }, 'flow deleted');
    },

    /** Checks a document without storing anything. */
    validateDocument(principal: Principal, document: Record<string, unknown>) {
      assertRole(principal, 'operator');
      assertDocumentSize(document);
      const issues = issuesOf(document);
      return { ok: issues.length === 0, issues };
    },

    /**
     * Publishes the draft as the next version. The flow's row stays locked until the version is
     * stored, so publishes of one flow run one after the other and never share a number.
     */
    async publishFlow(principal: Principal, id: string): Promise<FlowVersion> {
      assertRole(principal, 'admin');
      const row = await db.transaction(async (tx) => {
        const flow = await repository.findFlow(tx, principal.tenantId, id, { lock: true });
        if (!flow) throw flowNotFound(id);
        const validation = validateFlow(flow.draft, { actions });
        if (!validation.ok) {
          throw new AppError(
            'VALIDATION_FAILED',
            `The draft of "${flow.name}" has ${validation.issues.length} problem(s) to fix before it can be published: ${describeIssues(validation.issues)}.`,
            validation.issues,
          );
        }
        return repository.insertNextVersion(tx, flow, {
          document: validation.flow,
          publishedBy: principal.userId,
          at: now(),
        });
      });
      logger.info(
        { tenantId: principal.tenantId, flowId: id, version: row.version },
        'flow published',
      );
      return toFlowVersion(row);
    },

    async listVersions(
      principal: Principal,
      flowId: string,
      query: z.infer<typeof listFlowVersionsQuerySchema>,
    ): Promise<Page<FlowVersionSummary>> {
      assertRole(principal, 'operator');
      await getRow(principal, flowId);
      const rows = await repository.listFlowVersions(db, principal.tenantId, flowId, {
        before: query.cursor === undefined ? undefined : Number(query.cursor),
        limit: query.limit,
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toFlowVersionSummary),
        nextCursor: rows.length > query.limit && last ? String(last.version) : null,
      };
    },

    async getVersion(principal: Principal, flowId: string, version: number): Promise<FlowVersion> {
      assertRole(principal, 'operator');
      await getRow(principal, flowId);
      const row = await repository.findFlowVersion(db, principal.tenantId, flowId, version);
      if (!row) {
        throw new AppError('NOT_FOUND', `Flow ${flowId} has no published version ${version}.`);
      }
      return toFlowVersion(row);
    },
  };

  return {
    ...definitions,
    ...createFlowTriggersService({ db, channels: deps.channels, logger: deps.logger, now }),
    ...createFlowSessionsViewService({ db, logger: deps.logger, now }),
  };
}

function toFlowVersionSummary(row: repository.FlowVersionSummaryRow): FlowVersionSummary {
  return {
    id: row.id,
    flowId: row.flowId,
    version: row.version,
    publishedBy: row.publishedBy,
    createdAt: row.createdAt.toISOString(),
  };
}

function toFlowVersion(row: repository.FlowVersionRow): FlowVersion {
  return { ...toFlowVersionSummary(row), document: row.document };
}
