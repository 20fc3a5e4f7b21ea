import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { chromiumPath } from './e2e-env.js';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long a step may wait for the page (an element, a navigation) before the test fails. */
export const stepTimeoutMs = 20_000;

export type BrowserSession = {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and Content-Security-Policy violations seen on the page. */
  pageErrors: string[];
  close(): Promise<void>;
};

/**
 * The system Chromium with a fresh profile directory (nothing carried over between tests:
 * no cookies, no localStorage), pointed at `baseUrl`, in Brazilian Portuguese.
 */
export async function openBrowser(baseUrl: string): Promise<BrowserSession> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'recado-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    baseURL: baseUrl,
    locale: 'pt-BR',
    viewport: { width: 1366, height: 820 },
  });
  context.setDefaultTimeout(stepTimeoutMs);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      pageErrors.push(message.text());
    }
  });
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
