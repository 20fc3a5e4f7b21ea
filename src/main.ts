import { Command, Option } from 'commander';
import {
  bootstrapPlatform,
  buildRuntimeApp,
  createRuntime,
  defaultWebDistDir,
  readVersion,
} from './app/create-runtime.js';
import { runFlowTests } from './app/run-flow-tests.js';
import type { Config } from './config/config.schema.js';
import { ConfigError, loadConfig, resolvePublicUrl } from './config/load-config.js';
import { describeFailure } from './modules/flows/index.js';
import { AppError } from './platform/errors/app-error.js';
import { createLogger, type Logger } from './platform/observability/logger.js';
import { minPasswordLength } from './shared/accounts-limits.js';

/**
 * The `recado` CLI: start | migrate | user | flow test. `npm start` = `recado start` after
 * building what is missing. Only this file talks to the terminal; everything else logs through
 * pino.
 */

function print(text: string) {
  process.stdout.write(`${text}\n`);
}

function fail(text: string): never {
  process.stderr.write(`${text}\n`);
  process.exit(1);
}

function loadConfigOrExit(overrides: Partial<Record<string, string>> = {}): Config {
  try {
    return loadConfig(undefined, overrides);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

function createProcessLogger(config: Config, role: string): Logger {
  return createLogger({
    level: config.LOG_LEVEL,
    base: { service: 'recado', role, pid: process.pid },
  });
}

function printAdminPassword(email: string, password: string) {
  const lines = [
    'Recado: the super admin account was created.',
    `  E-mail:   ${email}`,
    `  Password: ${password}`,
    'This password is shown only this once. Store it now; change it with',
    '  recado user reset-password --email <e-mail>',
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 2;
  print(`\n${'='.repeat(width)}\n${lines.join('\n')}\n${'='.repeat(width)}\n`);
}

async function startCommand(options: { role?: 'all' | 'api' | 'worker' }) {
  const config = loadConfigOrExit(options.role ? { RECADO_ROLE: options.role } : {});
  const role = config.RECADO_ROLE;
  const logger = createProcessLogger(config, role);
  const startedAt = performance.now();
  const runtime = await createRuntime(config, logger);

  const bootstrap = await bootstrapPlatform(runtime, {
    adminEmail: config.RECADO_ADMIN_EMAIL ?? 'admin@recado.local',
    adminPassword: config.RECADO_ADMIN_PASSWORD,
  });
  if (bootstrap.created && bootstrap.generatedPassword) {
    printAdminPassword(bootstrap.email, bootstrap.generatedPassword);
  }

  const app = await buildRuntimeApp(runtime, {
    surface: role === 'worker' ? 'health' : 'full',
    webDistDir: role !== 'worker' && config.WEB_ENABLED ? defaultWebDistDir : undefined,
  });
  if (role !== 'api') {
    await runtime.queue.start();
    for (const sweeper of runtime.sweepers) sweeper.start();
  }
  await app.listen({ host: config.HOST, port: config.PORT });

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = resolvePublicUrl({ ...config, PORT: port });
  logger.info(
    {
      url,
      database: runtime.database.kind,
      queue: runtime.queue.driver,
      events: runtime.events.driver,
      startupMs: Math.round(performance.now() - startedAt),
    },
    'recado started',
  );
  if (role !== 'worker') print(`Recado is running (${role}) at ${url}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 5_000);
    force.unref();
    try {
      await app.close();
      await runtime.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

async function migrateCommand() {
  const config = loadConfigOrExit({ DATABASE_MIGRATE_ON_START: 'true' });
  const logger = createProcessLogger(config, 'migrate');
  const runtime = await createRuntime(config, logger);
  await runtime.close();
  print(`Migrations applied (${runtime.database.kind}).`);
}

async function withRuntime<T>(
  run: (runtime: Awaited<ReturnType<typeof createRuntime>>) => Promise<T>,
) {
  const config = loadConfigOrExit();
  const logger = createProcessLogger(config, 'cli');
  const runtime = await createRuntime(config, logger);
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}

async function flowTestCommand(files: string[], options: { verbose: boolean }) {
  const summary = await runFlowTests(files, {
    logLevel: options.verbose ? 'info' : 'error',
    report: (event) => {
      if (event.kind === 'invalid-file') {
        print(`\n✗ ${event.message}`);
      } else if (event.kind === 'file') {
        print(`\n${event.file} (${event.tests} test${event.tests === 1 ? '' : 's'})`);
      } else if (event.outcome.ok) {
        print(`  ✓ ${event.outcome.test} (${event.outcome.durationMs} ms)`);
      } else {
        print(`  ✗ ${event.outcome.test}`);
        print(
          describeFailure(event.outcome)
            .split('\n')
            .map((line) => `      ${line}`)
            .join('\n'),
        );
      }
    },
  });
  const parts = [`${summary.passed} passed`, `${summary.failed} failed`];
  if (summary.invalidFiles > 0) parts.push(`${summary.invalidFiles} file(s) could not be read`);
  print(`\n${parts.join(', ')}`);
  if (summary.failed > 0 || summary.invalidFiles > 0) process.exit(1);
}

export function buildCli(): Command {
  const program = new Command('recado')
    .description('Recado: self-hosted WhatsApp automation')
    .version(readVersion());

  program
    .command('start')
    .description('Start Recado (API, workers and web UI by default)')
    .addOption(
      new Option('--role <role>', 'what this process runs').choices(['all', 'api', 'worker']),
    )
    .action(startCommand);

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(migrateCommand);

  const user = program.command('user').description('Manage user accounts');
  user
    .command('create')
    .description('Create a user in a tenant (prints a generated password when none is given)')
    .requiredOption('--email <email>', 'e-mail address')
    .requiredOption('--name <name>', 'full name')
    .option('--tenant <slug>', 'tenant slug', 'default')
    .addOption(
      new Option('--role <role>', 'role in the tenant')
        .choices(['admin', 'operator', 'client'])
        .default('admin'),
    )
    .option('--password <password>', 'initial password (at least 12 characters)')
    .option('--super-admin', 'make the user a platform super admin', false)
    .action(
      async (options: {
        email: string;
        name: string;
        tenant: string;
        role: 'admin' | 'operator' | 'client';
        password?: string;
        superAdmin: boolean;
      }) => {
        if (options.password !== undefined && options.password.length < 12) {
          fail('--password must be at least 12 characters.');
        }
        const result = await withRuntime((runtime) =>
          runtime.accounts.createUserInTenant({
            tenantSlug: options.tenant,
            email: options.email,
            name: options.name,
            role: options.role,
            password: options.password,
            isSuperAdmin: options.superAdmin,
          }),
        );
        print(`User ${options.email} created in tenant "${options.tenant}" as ${options.role}.`);
        if (result.generatedPassword) print(`Password (shown once): ${result.generatedPassword}`);
      },
    );
  user
    .command('reset-password')
    .description(
      'Set a new password (generated when none is given), unlock the account, end its sessions',
    )
    .requiredOption('--email <email>', 'e-mail address')
    .option('--password <password>', 'new password (at least 12 characters)')
    .action(async (options: { email: string; password?: string }) => {
      if (options.password !== undefined && options.password.length < minPasswordLength) {
        fail(`--password must be at least ${minPasswordLength} characters.`);
      }
      const result = await withRuntime((runtime) =>
        runtime.accounts.resetPassword(options.email, options.password),
      );
      print(`Password of ${options.email} reset; all its sessions were signed out.`);
      if (result.generatedPassword) print(`New password (shown once): ${result.generatedPassword}`);
    });
  const flow = program.command('flow').description('Work with bot flows');
  flow
    .command('test')
    .description(
      'Run conversation tests (flows/<name>.test.yaml) on a temporary embedded Recado; exits 1 if any fails',
    )
    .argument('<files...>', 'conversation test files (YAML)')
    .option('--verbose', 'show the log of the temporary Recado on stderr', false)
    .action(flowTestCommand);
  return program;
}

buildCli()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof AppError) fail(`${error.code}: ${error.message}`);
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      fail(
        `recado: cannot listen: ${(error as Error).message}. Set PORT (and HOST) to a free address.`,
      );
    }
    fail(`recado: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  });
