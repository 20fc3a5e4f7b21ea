import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  login,
  type TestApp,
  testAdmin,
} from '../../../../test/helpers/test-app.js';
import { validateFlow } from '../../../engine/index.js';
import { type LoadedConversationTests, loadConversationTests } from './conversation-test.parser.js';
import {
  type ConversationTestRunner,
  createConversationTestRunner,
  describeFailure,
} from './conversation-test.runner.js';
import { type ConversationTestPortal, startConversationTestPortal } from './portal-server.js';

/*
 * Every `flows/*.test.yaml` of the repository, one vitest test per conversation test, through
 * the real composition (engine, flows module, messaging pipeline, sandbox channel) on PGlite.
 */

const flowsDir = fileURLToPath(new URL('../../../../flows/', import.meta.url));
const files = readdirSync(flowsDir)
  .filter((name) => name.endsWith('.test.yaml'))
  .sort();
const loaded: LoadedConversationTests[] = await Promise.all(
  files.map((name) =>
    loadConversationTests(path.relative(process.cwd(), path.join(flowsDir, name))),
  ),
);

let t: TestApp;
let runner: ConversationTestRunner;
let portal: ConversationTestPortal | undefined;

beforeAll(async () => {
  // The NFC-e consultation pages the files' `portal:` settings name, as `recado flow test` does.
  portal = await startConversationTestPortal(loaded);
  t = await createTestApp(portal ? { NFCE_PORTAL_OVERRIDE: portal.override } : {});
  const { tenant } = await login(t.app, testAdmin);
  runner = createConversationTestRunner({ ...t.runtime, db: t.database.db, tenantId: tenant.id });
});

afterAll(async () => {
  await t?.close();
  await portal?.close();
});

it('finds the built-in conversation tests', () => {
  expect(files).toContain('demo.test.yaml');
  expect(files).toContain('travel-expenses.test.yaml');
});

describe('flows/*.json', () => {
  const documents = readdirSync(flowsDir).filter((name) => name.endsWith('.json'));
  // With the runtime's action catalog: every `action.call` names a registered action, with the
  // inputs and outputs it declares.
  it.each(documents)('%s validates', (name) => {
    const validation = validateFlow(JSON.parse(readFileSync(path.join(flowsDir, name), 'utf8')), {
      actions: t.runtime.flowActions.catalog(),
    });
    expect(validation.ok ? [] : validation.issues).toEqual([]);
  });
});

for (const file of loaded) {
  describe(file.file, () => {
    for (const test of file.spec.tests) {
      it(test.name, async () => {
        const outcome = await runner.runTest(file, test);
        if (!outcome.ok) expect.fail(describeFailure(outcome));
      });
    }
  });
}
