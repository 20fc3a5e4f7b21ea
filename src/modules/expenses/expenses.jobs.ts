import type { HttpClient } from '../../channels/index.js';
import type { Principal } from '../../platform/auth/principal.js';
import type { Database } from '../../platform/db/database.js';
import { isAppError } from '../../platform/errors/app-error.js';
import type { Logger } from '../../platform/observability/logger.js';
import {
  claimDueRow,
  findDueRowIds,
  finishClaimedRow,
  type RowClaim,
  releaseClaimedRow,
} from '../../platform/queue/due-rows-sql.js';
import { buildDueRowDedupeKey } from '../../platform/queue/due-rows-sweeper.js';
import { computeBackoffMs, type Queue, RetryLaterError } from '../../platform/queue/queue.port.js';
import type { OutboundService } from '../messaging/index.js';
import * as repository from './expenses.repository.js';
import { toStoredItems } from './receipt-intake.js';
import { describeResolvedReceipt } from './receipt-messages.js';
import { parseConsultationPage } from './receipts/consultation-page.js';
import { fetchConsultationPage } from './receipts/consultation-resolver.js';

/**
 * The consultation job (issue 6, item 3): an NFC-e receipt is registered with what its key says
 * and `pending`; this job fetches the tax authority's page the QR points to (through the
 * resolver: NFCE_PORTAL_OVERRIDE sends every request to a stand-in), reads it, and settles the
 * receipt — `parsed` with the page's total, issuer and items when the page verifies against
 * the key; `needs-amount` when it cannot be trusted. A portal that fails or does not have the
 * note yet keeps the receipt `pending`, retried with backoff for up to a day. The traveller is
 * told on WhatsApp when a receipt they were told was pending resolves.
 */

export const fetchConsultationJob = 'expenses.fetch-consultation';

export type ConsultationSettings = {
  /** NFCE_PORTAL_OVERRIDE: base URL every consultation request goes to instead. */
  override?: string | undefined;
  /** One fetch (redirects and body included) in the job. Default 20 s. */
  timeoutMs?: number;
  /** Pages larger than this are refused. Default 3 MB. */
  maxBytes?: number;
  /** First retry delay, doubled each time. Default 30 s. */
  retryBaseMs?: number;
  /** Longest delay between two tries. Default 2 h. */
  retryMaxMs?: number;
  /** How long after registration a receipt may stay pending before it needs the amount. 24 h. */
  giveUpAfterMs?: number;
};

export type ConsultationDeps = {
  db: Database;
  queue: Pick<Queue, 'enqueue'>;
  logger: Logger;
  outbound: Pick<OutboundService, 'sendMessage'>;
  http?: HttpClient;
  settings?: ConsultationSettings;
  now?: () => Date;
  random?: () => number;
};

export type ConsultationOutcome =
  /** Nothing to do: not due, held by another worker, already settled or gone. */
  | { kind: 'skipped' }
  | { kind: 'settled'; receipt: repository.ReceiptRow }
  /** Still pending; the row is due again in `delayMs`. */
  | { kind: 'retry'; delayMs: number; reason: string; receipt: repository.ReceiptRow };

/** Leases outlive one fetch comfortably; a worker that dies hands the row on after this. */
const leaseMs = 2 * 60_000;

const systemPrincipal = (tenantId: string): Principal => ({
  userId: '00000000-0000-0000-0000-000000000000',
  tenantId,
  role: 'operator',
  isSuperAdmin: false,
});

export function createConsultationRunner(deps: ConsultationDeps) {
  const { db } = deps;
  const logger = deps.logger.child({ module: 'expenses.consultation' });
  const http: HttpClient = deps.http ?? ((url, init) => fetch(url, init));
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const settings = {
    timeoutMs: 20_000,
    maxBytes: 3 * 1024 * 1024,
    retryBaseMs: 30_000,
    retryMaxMs: 2 * 60 * 60_000,
    giveUpAfterMs: 24 * 60 * 60_000,
    ...deps.settings,
  };

  /** Settles the receipt with the row's "done" transition, in one transaction. */
  async function settle(
    claim: RowClaim,
    receiptId: string,
    changes: repository.ReceiptChanges,
    jobStatus: 'done' | 'failed',
  ): Promise<repository.ReceiptRow | undefined> {
    return db.transaction(async (tx) => {
      if (!(await finishClaimedRow(tx, repository.consultationTable, claim, jobStatus))) {
        return undefined;
      }
      return repository.updateReceipt(tx, receiptId, { ...changes, dueAt: null });
    });
  }

  async function notify(receipt: repository.ReceiptRow): Promise<void> {
    if (!receipt.channelId || !receipt.contactId) return;
    const phrase = describeResolvedReceipt(receipt);
    if (!phrase) return;
    try {
      await deps.outbound.sendMessage(systemPrincipal(receipt.tenantId), {
        channelId: receipt.channelId,
        to: { contactId: receipt.contactId },
        content: { type: 'text', text: phrase['pt-BR'] },
        idempotencyKey: `expenses.receipt:${receipt.id}:${receipt.fetchStatus}`,
        purpose: 'reply',
      });
    } catch (error) {
      // Outside the 24-hour window, opted out, channel gone: the receipt is settled anyway.
      if (!isAppError(error)) throw error;
      logger.warn(
        { receiptId: receipt.id, code: error.code },
        'could not tell the traveller about the receipt',
      );
    }
  }

  /**
   * One try at a receipt's page. `notify`: tell the traveller when it settles (the job does;
   * the first, inline try of a photo does not — its answer already says what happened).
   */
  async function consult(
    receiptId: string,
    options: { notify: boolean; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ConsultationOutcome> {
    const claim = await claimDueRow(db, repository.consultationTable, receiptId, leaseMs);
    if (!claim) return { kind: 'skipped' };
    const receipt = await repository.findReceiptById(db, receiptId);
    const portalUrl = receipt?.details.portalUrl;
    if (receipt?.fetchStatus !== 'pending' || typeof portalUrl !== 'string') {
      // Settled by hand meanwhile, or nothing to consult: the job is over.
      await db.transaction((tx) =>
        finishClaimedRow(tx, repository.consultationTable, claim, 'done'),
      );
      return { kind: 'skipped' };
    }
    try {
      return await consultClaimed(claim, receipt, portalUrl, options);
    } catch (error) {
      // Database trouble: hand the row back so a retry can take it.
      await releaseClaimedRow(db, repository.consultationTable, claim, 5_000).catch(
        () => undefined,
      );
      throw error;
    }
  }

  async function consultClaimed(
    claim: RowClaim,
    receipt: repository.ReceiptRow,
    portalUrl: string,
    options: { notify: boolean; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ConsultationOutcome> {
    const attempt = await repository.countConsultationAttempt(db, receipt.id);
    const fetched = await fetchConsultationPage(portalUrl, {
      http,
      timeoutMs: options.timeoutMs ?? settings.timeoutMs,
      maxBytes: settings.maxBytes,
      override: settings.override,
      signal: options.signal,
    });

    /** `done`: the page was read but cannot be trusted; `failed`: it could not be read. */
    const giveUp = async (reason: string, jobStatus: 'done' | 'failed' = 'failed') => {
      const settled = await settle(
        claim,
        receipt.id,
        { fetchStatus: 'needs-amount', lastError: reason.slice(0, 1000) },
        jobStatus,
      );
      if (!settled) return { kind: 'skipped' } as const;
      logger.info({ receiptId: receipt.id, attempt, reason }, 'receipt needs the amount');
      if (options.notify) await notify(settled);
      return { kind: 'settled', receipt: settled } as const;
    };

    const retry = async (reason: string, retryAfterMs: number | undefined) => {
      const age = now().getTime() - receipt.createdAt.getTime();
      const left = settings.giveUpAfterMs - age;
      if (left <= 0) return giveUp(`Gave up after ${attempt} tries in a day: ${reason}`);
      const delayMs = Math.min(
        left,
        Math.max(
          retryAfterMs ?? 0,
          computeBackoffMs(attempt, settings.retryBaseMs, settings.retryMaxMs, random),
        ),
      );
      await repository.updateReceipt(db, receipt.id, { lastError: reason.slice(0, 1000) });
      if (!(await releaseClaimedRow(db, repository.consultationTable, claim, delayMs))) {
        return { kind: 'skipped' } as const;
      }
      logger.info(
        { receiptId: receipt.id, attempt, delayMs, reason },
        'consultation will be retried',
      );
      const current = (await repository.findReceiptById(db, receipt.id)) ?? receipt;
      return { kind: 'retry', delayMs, reason, receipt: current } as const;
    };

    if (!fetched.ok) {
      const reason = `${fetched.message.en} (${fetched.reason}${fetched.status ? ` ${fetched.status}` : ''})`;
      if (fetched.reason === 'aborted') {
        // Shutdown: hand the row back at once, without counting against the day.
        await releaseClaimedRow(db, repository.consultationTable, claim, 0);
        return { kind: 'retry', delayMs: 0, reason, receipt };
      }
      return fetched.retryable ? retry(reason, fetched.retryAfterMs) : giveUp(reason);
    }

    const page = parseConsultationPage(fetched.html, {
      expectedAccessKey: receipt.accessKey ?? undefined,
    });
    switch (page.status) {
      case 'verified': {
        const read = page.receipt;
        const settled = await settle(
          claim,
          receipt.id,
          {
            fetchStatus: 'parsed',
            totalCents: read.total,
            issuerName: read.issuer.name,
            issuerTaxId: receipt.issuerTaxId ?? read.issuer.cnpj,
            issueDate: read.issuedAt?.slice(0, 10) ?? receipt.issueDate,
            items: toStoredItems(read),
            details: {
              ...receipt.details,
              layout: page.layout,
              ...(read.issuer.address ? { issuerAddress: read.issuer.address } : {}),
              ...(read.issuedAt ? { issuedAt: read.issuedAt } : {}),
              ...(read.discounts ? { discountsCents: read.discounts } : {}),
              ...(read.surcharges ? { surchargesCents: read.surcharges } : {}),
              ...(read.taxes ? { taxesCents: read.taxes } : {}),
              ...(read.protocol ? { protocol: read.protocol } : {}),
            },
            lastError: null,
          },
          'done',
        );
        if (!settled) return { kind: 'skipped' };
        logger.info({ receiptId: receipt.id, attempt, layout: page.layout }, 'receipt confirmed');
        if (options.notify) await notify(settled);
        return { kind: 'settled', receipt: settled };
      }
      case 'not-available':
        return retry(page.message.en, undefined);
      case 'unverified':
        return giveUp(
          `The page could not be trusted (${page.layout}): ${page.problems
            .map((problem) => problem.code)
            .join(', ')}`,
          'done',
        );
      case 'unknown-layout':
        return giveUp(page.message.en, 'done');
    }
  }

  return {
    consult,

    /** The `expenses.fetch-consultation` job: one try; a retry is due later (backoff). */
    async processConsultation(receiptId: string, signal?: AbortSignal): Promise<void> {
      const outcome = await consult(receiptId, { notify: true, signal });
      if (outcome.kind === 'retry') throw new RetryLaterError(outcome.reason, outcome.delayMs);
    },

    /** Enqueues a receipt's consultation (de-duplicated per receipt). */
    async requestConsultation(receiptId: string, delayMs = 0): Promise<void> {
      await deps.queue.enqueue(
        fetchConsultationJob,
        { receiptId },
        {
          dedupeKey: buildDueRowDedupeKey(fetchConsultationJob, receiptId),
          ...(delayMs > 0 ? { delayMs } : {}),
        },
      );
    },
  };
}

export type ConsultationRunner = ReturnType<typeof createConsultationRunner>;

/** Receipts whose consultation is due or stuck, for the sweeper. */
export async function findDueConsultations(db: Database, limit: number) {
  const ids = await findDueRowIds(db, repository.consultationTable, limit);
  return ids.map((id) => ({ jobName: fetchConsultationJob, id, payload: { receiptId: id } }));
}
