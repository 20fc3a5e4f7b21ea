import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';

export type PrismServer = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The last 20 kB Prism printed (its validation messages). */
  output(): string;
  stop(): Promise<void>;
};

/**
 * Starts Prism (`@stoplight/prism-cli`, offline) on a free loopback port: `mock` answers from the
 * contract (with `--errors`, a request that does not validate gets 422), `proxy` forwards to
 * `upstream` and reports validation problems in its answers' headers.
 */
export async function startPrism(options: {
  mode: 'mock' | 'proxy';
  contractFile: string;
  upstream?: string;
  errors?: boolean;
}): Promise<PrismServer> {
  const port = await findFreePort();
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@stoplight/prism-cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: { prism: string } };
  const cli = path.join(path.dirname(manifestPath), manifest.bin.prism);
  const args = [cli, options.mode, '--host', '127.0.0.1', '--port', String(port)];
  if (options.errors) args.push('--errors');
  args.push(options.contractFile);
  if (options.mode === 'proxy') {
    if (!options.upstream) throw new Error('a Prism proxy needs an upstream URL');
    args.push(options.upstream);
  }
  const prism: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  prism.stdout?.on('data', collect);
  prism.stderr?.on('data', collect);
  const deadline = Date.now() + 60_000;
  while (!/Prism is listening/.test(output)) {
    if (prism.exitCode !== null) throw new Error(`prism exited early:\n${output}`);
    if (Date.now() > deadline) {
      prism.kill('SIGKILL');
      throw new Error(`prism did not start in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (prism.exitCode !== null || prism.signalCode !== null) return;
      const exited = new Promise((resolve) => prism.once('exit', resolve));
      prism.kill('SIGTERM');
      const timer = setTimeout(() => prism.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
