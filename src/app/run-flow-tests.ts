import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import {
  ConversationTestFormatError,
  type ConversationTestOutcome,
  createConversationTestRunner,
  type LoadedConversationTests,
  loadConversationTests,
  startConversationTestPortal,
} from '../modules/flows/index.js';
import { createLogger } from '../platform/observability/logger.js';
import { createRuntime } from './create-runtime.js';

/** What `recado flow test` reports as it goes. */
export type FlowTestEvent =
  | { kind: 'file'; file: string; tests: number }
  /** The file cannot be run (bad YAML, unknown keys, a missing flow or fixture). */
  | { kind: 'invalid-file'; file: string; message: string }
  | { kind: 'outcome'; outcome: ConversationTestOutcome };

export type FlowTestSummary = { passed: number; failed: number; invalidFiles: number };

/**
 * `recado flow test <file...>`: runs conversation tests on a Recado of their own — a fresh
 * embedded database and in-process queue in a temporary DATA_DIR, deleted afterwards — so no
 * configuration or service is needed and nothing of an installation is touched.
 */
export async function runFlowTests(
  files: string[],
  options: {
    logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
    report(event: FlowTestEvent): void;
  },
): Promise<FlowTestSummary> {
  const summary: FlowTestSummary = { passed: 0, failed: 0, invalidFiles: 0 };
  const loaded: LoadedConversationTests[] = [];
  for (const file of files) {
    try {
      loaded.push(await loadConversationTests(file));
    } catch (error) {
      if (!(error instanceof ConversationTestFormatError)) throw error;
      summary.invalidFiles++;
      options.report({ kind: 'invalid-file', file, message: error.message });
    }
  }
  if (loaded.length === 0) return summary;

  const dataDir = await mkdtemp(path.join(tmpdir(), 'recado-flow-test-'));
  // Files with `portal:` pages: a local stand-in for the NFC-e portals.
  const portal = await startConversationTestPortal(loaded);
  try {
    // Only what the tests need: the environment of this shell is not read.
    const config = loadConfig(
      {},
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: options.logLevel,
        WEB_ENABLED: 'false',
        ...(portal ? { NFCE_PORTAL_OVERRIDE: portal.override } : {}),
      },
    );
    const logger = createLogger({ level: config.LOG_LEVEL, destination: process.stderr });
    const runtime = await createRuntime(config, logger);
    try {
      await runtime.queue.start();
      const bootstrap = await runtime.accounts.ensureBootstrap({
        adminEmail: 'flow-test@recado.local',
        adminPassword: undefined,
      });
      if (!bootstrap.created) throw new Error('The temporary database was not empty.');
      const runner = createConversationTestRunner({
        ...runtime,
        db: runtime.database.db,
        tenantId: bootstrap.tenantId,
      });
      for (const file of loaded) {
        options.report({ kind: 'file', file: file.file, tests: file.spec.tests.length });
        for (const test of file.spec.tests) {
          const outcome = await runner.runTest(file, test);
          if (outcome.ok) summary.passed++;
          else summary.failed++;
          options.report({ kind: 'outcome', outcome });
        }
      }
    } finally {
      await runtime.close();
    }
  } finally {
    await portal?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return summary;
}
