import { sql } from 'drizzle-orm';
import type { Database } from '../../../platform/db/database.js';

/**
 * What the conversation test runner reads and moves in the tables: whether the pipeline has
 * work in flight (the bot has not finished answering), and the wake-ups a `wait:` step brings
 * forward.
 */

/** Work that is due (or nearly: short retries) and not finished. */
const soon = sql`now() + interval '5 seconds'`;

function rowsOf(result: unknown): Record<string, unknown>[] {
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw new Error('Unexpected query result: no rows array');
  return rows as Record<string, unknown>[];
}

/**
 * Pieces of work of the tenant still on their way, by kind: webhooks not processed, turn
 * inputs not taken, lanes not let go, outbox rows not applied (wake-ups only once due) and
 * outbound messages not handed to the provider. Empty when the bot has finished answering.
 */
export async function listWorkInFlight(
  db: Database,
  tenantId: string,
): Promise<{ kind: string; count: number }[]> {
  const result = await db.execute(sql`
    select 'webhook deliveries' as kind, count(*)::int as count from webhook_deliveries
      where tenant_id = ${tenantId}
        and (status = 'running' or (status = 'pending' and due_at <= ${soon}))
    union all
    select 'flow inputs', count(*)::int from flow_inputs
      where tenant_id = ${tenantId} and status = 'pending'
    union all
    select 'flow lanes', count(*)::int from flow_lanes
      where tenant_id = ${tenantId}
        and (status = 'running' or (status = 'pending' and due_at <= ${soon}))
    union all
    select 'flow effects', count(*)::int from flow_outbox
      where tenant_id = ${tenantId}
        and (status = 'running' or (status = 'pending' and due_at <= case
          when kind = 'schedule-wake' then now() else ${soon} end))
    union all
    select 'outbound messages', count(*)::int from messages
      where tenant_id = ${tenantId} and direction = 'outbound'
        and status in ('queued', 'sending') and coalesce(due_at, now()) <= ${soon}`);
  return rowsOf(result)
    .map((row) => ({ kind: String(row.kind), count: Number(row.count) }))
    .filter((row) => row.count > 0);
}

/** The conversation's next pending wake-up (a `logic.wait` or an inactivity timer). */
export async function findNextWake(
  db: Database,
  conversationId: string,
): Promise<{ id: string; dueInMs: number } | undefined> {
  const result = await db.execute(sql`
    select id, (extract(epoch from (due_at - now())) * 1000)::float8 as due_in_ms
    from flow_outbox
    where conversation_id = ${conversationId} and kind = 'schedule-wake' and status = 'pending'
    order by due_at, seq limit 1`);
  const [row] = rowsOf(result);
  return row ? { id: String(row.id), dueInMs: Math.max(0, Number(row.due_in_ms)) } : undefined;
}

/** Time passes for the conversation: its pending wake-ups come `ms` closer. */
export async function bringWakesForward(
  db: Database,
  conversationId: string,
  ms: number,
): Promise<void> {
  if (ms <= 0) return;
  await db.execute(sql`
    update flow_outbox
    set due_at = due_at - make_interval(secs => ${ms / 1000}), updated_at = now()
    where conversation_id = ${conversationId} and kind = 'schedule-wake' and status = 'pending'`);
}
