import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiChannel,
  createChannelThroughApi,
  listChannelsThroughApi,
  signInThroughApi,
} from './helpers/api.js';
import { type BrowserSession, openBrowser } from './helpers/browser.js';
import { signInThroughPage, waitForLive } from './helpers/dashboard.js';
import { type RecadoServer, startRecadoServer } from './helpers/recado-server.js';

/**
 * The flows page against the real server: a flow written in the JSON editor (inline errors
 * with their path, publish), its graph, its binding to the sandbox channel, a conversation
 * with it on the sandbox phone, the sessions view, and the graph on a channel without
 * buttons. Texts are the pt-BR defaults users see.
 */

let server: RecadoServer;
let adminToken: string;
let sandboxChannel: ApiChannel;
const sessions: BrowserSession[] = [];

beforeAll(async () => {
  server = await startRecadoServer();
  adminToken = await signInThroughApi(server.baseUrl, server.adminEmail, server.adminPassword);
  // The first boot creates a sandbox channel, so the sandbox works out of the box.
  const channels = await listChannelsThroughApi(server.baseUrl, adminToken);
  const found = channels.find((channel) => channel.provider === 'sandbox');
  if (!found) throw new Error(`no default sandbox channel: ${JSON.stringify(channels)}`);
  sandboxChannel = found;
});

afterEach(async () => {
  const closing = sessions.splice(0);
  const pageErrors = closing.flatMap((session) => session.pageErrors);
  await Promise.all(closing.map((session) => session.close()));
  expect(pageErrors, 'errors thrown in the page').toEqual([]);
});

afterAll(async () => {
  await server?.stop();
});

async function openSession(): Promise<BrowserSession> {
  const session = await openBrowser(server.baseUrl);
  sessions.push(session);
  return session;
}

function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

/** A chat bubble in `container` whose text is exactly `text`. */
function bubble(container: Locator, text: string): Locator {
  const exactly = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return container.getByTestId('message-bubble').filter({
    has: container.page().getByTestId('message-text').filter({ hasText: exactly }),
  });
}

async function openFlowsPage(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Fluxos' }).click();
  await page.getByRole('heading', { name: 'Fluxos', level: 2 }).waitFor();
}

/** The editor's text with `from` replaced by `to` (which must be there). */
async function editDocument(editor: Locator, from: string, to: string): Promise<void> {
  const text = await editor.inputValue();
  expect(text, `the editor has ${from}`).toContain(from);
  await editor.fill(text.replace(from, to));
}

function selectedText(editor: Locator): Promise<string> {
  return editor.evaluate((element) => {
    const area = element as HTMLTextAreaElement;
    return area.value.slice(area.selectionStart, area.selectionEnd);
  });
}

describe('the flows page', () => {
  it('writes, checks, publishes, draws and binds a flow that then answers on the sandbox', async () => {
    const suffix = uniqueSuffix();
    const flowName = `Pedidos ${suffix}`;
    const session = await openSession();
    const page = session.page;
    await signInThroughPage(page, server.adminEmail, server.adminPassword);
    await openFlowsPage(page);

    // A new flow starts from the template, valid as it is.
    await page.getByRole('button', { name: 'Novo fluxo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo fluxo' });
    await dialog.getByRole('textbox', { name: 'Nome do fluxo' }).fill(flowName);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await page.getByRole('heading', { name: flowName, level: 2 }).waitFor();
    expect(await page.getByTestId('flow-latest-version').textContent()).toBe('Nunca publicado');
    const editor = page.getByRole('textbox', { name: 'Documento do fluxo (JSON)' });
    const summary = page.getByTestId('flow-issues-summary');
    await summary.filter({ hasText: 'Pronto para publicar' }).waitFor();

    // A JSON mistake is shown with its line and column, without asking the server.
    let validations = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/flows/validate')) validations++;
    });
    await editDocument(editor, '"schemaVersion": 1,', '"schemaVersion": 1');
    const syntaxError = page.getByTestId('flow-syntax-error');
    await syntaxError.getByText('JSON inválido na linha 3, coluna 3').waitFor();
    await syntaxError.getByText('Esperava “,” ou “}” e encontrou “"”', { exact: false }).waitFor();
    const validationsAtError = validations;
    await page.waitForTimeout(1_000);
    expect(validations).toBe(validationsAtError);
    await expect
      .poll(() => page.getByRole('button', { name: 'Salvar e publicar' }).isDisabled())
      .toBe(true);

    // A broken option: the server's issue, with its path, selects the place in the editor.
    await editDocument(editor, '"schemaVersion": 1', '"schemaVersion": 1,');
    await editDocument(editor, '"prompt": "O que você gostaria de pedir?"', '"prompt": ""');
    const issue = page.getByTestId('flow-issue');
    await issue
      .getByTestId('flow-issue-pointer')
      .filter({ hasText: '$.blocks["pergunta-pedido"].options.prompt' })
      .waitFor();
    await summary.filter({ hasText: '1 problema' }).waitFor();
    expect(await issue.count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Salvar e publicar' }).isDisabled()).toBe(true);
    await issue.click();
    expect(await selectedText(editor)).toBe('""');

    // Fixed, it can be published: version 1.
    await editDocument(editor, '"prompt": ""', '"prompt": "O que você gostaria de pedir?"');
    await summary.filter({ hasText: 'Pronto para publicar' }).waitFor();
    const publish = page.getByRole('button', { name: 'Publicar', exact: true });
    await expect.poll(() => publish.isEnabled()).toBe(true);
    await publish.click();
    await page.getByText(`Versão 1 de ${flowName} publicada`, { exact: false }).waitFor();
    await page
      .getByTestId('flow-latest-version')
      .filter({ hasText: /^Publicado: v1$/ })
      .waitFor();
    await page.getByRole('tab', { name: 'Versões' }).click();
    await page.getByTestId('flow-version-row').filter({ hasText: 'v1' }).waitFor();

    // The graph: one node per block, the start marked, ports as edge labels.
    await page.getByRole('tab', { name: 'Gráfico' }).click();
    const graph = page.getByTestId('flow-graph');
    const nodes = graph.getByTestId('graph-node');
    await expect.poll(() => nodes.count()).toBe(4);
    const welcome = graph.locator('[data-testid="graph-node"][data-block-id="boas-vindas"]');
    await welcome.getByText('Boas-vindas').waitFor();
    await welcome.getByText('message.buttons').waitFor();
    await welcome.getByTestId('graph-start').waitFor();
    await graph.locator('text.react-flow__edge-text', { hasText: /^pedido$/ }).waitFor();
    await graph.locator('text.react-flow__edge-text', { hasText: /^humano$/ }).waitFor();
    expect(await graph.locator('.react-flow__edge').count()).toBe(3);
    // The sandbox shows buttons: nothing is marked.
    await page
      .getByTestId('graph-channel-capability')
      .getByText('mostra botões e listas', {
        exact: false,
      })
      .waitFor();
    expect(await graph.getByTestId('graph-degraded').count()).toBe(0);

    // Bound as the sandbox's default flow; a keyword that is a command is refused in pt-BR.
    await page.getByRole('tab', { name: 'Canais' }).click();
    await page
      .getByRole('button', { name: `Definir como fluxo padrão de ${sandboxChannel.name}` })
      .click();
    await page.getByText(`${flowName} agora é o fluxo padrão de ${sandboxChannel.name}.`).waitFor();
    const binding = page.getByTestId('flow-binding').filter({ hasText: sandboxChannel.name });
    await binding.getByText('Fluxo padrão').waitFor();
    await page.getByRole('button', { name: 'Adicionar palavras-chave' }).click();
    const keywordsDialog = page.getByRole('dialog', {
      name: `Palavras-chave em ${sandboxChannel.name}`,
    });
    const keywords = keywordsDialog.getByLabel('Palavras-chave', { exact: true });
    await keywords.fill('menu');
    await keywords.press('Enter');
    await keywordsDialog.getByRole('button', { name: 'Adicionar' }).click();
    await keywordsDialog
      .getByTestId('keywords-error')
      .getByText('“menu” é o comando “menu” do canal', { exact: false })
      .waitFor();
    await keywords.press('Backspace');
    await keywords.fill('cardapio');
    await keywords.press('Enter');
    await keywordsDialog.getByRole('button', { name: 'Adicionar' }).click();
    await keywordsDialog.waitFor({ state: 'hidden' });
    await page
      .getByTestId('flow-binding')
      .filter({ hasText: 'Palavras-chave:' })
      .getByText('cardapio')
      .waitFor();

    // The simulated user says "oi": the flow answers, takes the tap and the answer.
    const userName = `Lia Prado ${suffix}`;
    await page.getByRole('link', { name: 'Simulador' }).click();
    await page.getByRole('heading', { name: 'Simulador', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Novo usuário' }).click();
    await page.getByRole('textbox', { name: 'Nome', exact: true }).fill(userName);
    const phoneFrame = page.getByRole('region', { name: 'Telefone simulado' });
    await phoneFrame.getByText('Nenhuma mensagem ainda').waitFor();
    await waitForLive(page);
    const send = async (text: string) => {
      await phoneFrame.getByRole('textbox', { name: 'Mensagem' }).fill(text);
      await phoneFrame.getByRole('button', { name: 'Enviar mensagem' }).click();
    };
    await send('oi');
    await bubble(phoneFrame, 'Olá! Como podemos ajudar?')
      .and(phoneFrame.locator('[data-side="start"]'))
      .waitFor();
    await phoneFrame.getByRole('button', { name: 'Fazer um pedido' }).click();
    await bubble(phoneFrame, 'O que você gostaria de pedir?').waitFor();
    await send('Pizza grande');
    await bubble(
      phoneFrame,
      'Anotado: Pizza grande. Obrigado! Em breve entraremos em contato.',
    ).waitFor();

    // The sessions view: the session, its variables and history.
    await openFlowsPage(page);
    await page.getByRole('link', { name: 'Sessões' }).click();
    await page.getByRole('heading', { name: 'Sessões', level: 2 }).waitFor();
    const sessionItem = page.getByTestId('flow-session').filter({ hasText: flowName });
    await sessionItem.locator('[data-testid="session-status"][data-status="ended"]').waitFor();
    await sessionItem.getByRole('button').first().click();
    const variables = sessionItem.getByTestId('session-variables');
    await variables.waitFor();
    expect(await variables.textContent()).toContain('"pedido": "Pizza grande"');
    expect(
      await sessionItem.getByTestId('session-history').locator('.mantine-Timeline-item').count(),
    ).toBeGreaterThan(0);

    // From the conversation, "Sessão do bot" opens that conversation's session.
    await page.getByRole('link', { name: 'Conversas' }).click();
    await page.getByRole('heading', { name: 'Conversas', level: 2 }).waitFor();
    await page.getByTestId('conversation-item').filter({ hasText: userName }).click();
    await page
      .getByTestId('conversation-thread')
      .getByRole('link', { name: 'Sessão do bot' })
      .click();
    await page.getByRole('heading', { name: 'Sessões', level: 2 }).waitFor();
    await page.getByTestId('sessions-conversation-filter').waitFor();
    const only = page.getByTestId('flow-session');
    await expect.poll(() => only.count()).toBe(1);
    await only.filter({ hasText: flowName }).getByTestId('session-variables').waitFor();
  });

  it('marks the buttons block on a channel that cannot render buttons', async () => {
    const suffix = uniqueSuffix();
    const channelName = `Sem botões ${suffix}`;
    await createChannelThroughApi(server.baseUrl, adminToken, {
      provider: 'sandbox',
      name: channelName,
      config: { interactive: false },
    });
    const session = await openSession();
    const page = session.page;
    await signInThroughPage(page, server.adminEmail, server.adminPassword);
    await openFlowsPage(page);
    const flowName = `Menu ${suffix}`;
    await page.getByRole('button', { name: 'Novo fluxo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Novo fluxo' });
    await dialog.getByRole('textbox', { name: 'Nome do fluxo' }).fill(flowName);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await page.getByRole('heading', { name: flowName, level: 2 }).waitFor();

    await page.getByRole('tab', { name: 'Gráfico' }).click();
    const graph = page.getByTestId('flow-graph');
    await expect.poll(() => graph.getByTestId('graph-node').count()).toBe(4);
    await page.getByRole('combobox', { name: 'Ver como no canal' }).click();
    await page.getByRole('option', { name: `${channelName} · Simulador` }).click();
    await page
      .getByTestId('graph-channel-capability')
      .getByText(`${channelName} não mostra botões nem listas`, { exact: false })
      .waitFor();
    const welcome = graph.locator('[data-testid="graph-node"][data-block-id="boas-vindas"]');
    await welcome
      .getByTestId('graph-degraded')
      .filter({ hasText: 'vira texto numerado' })
      .waitFor();
    // Only the buttons block: a question and plain messages need nothing.
    expect(await graph.getByTestId('graph-degraded').count()).toBe(1);

    // Back on a channel with buttons, the mark goes.
    await page.getByRole('combobox', { name: 'Ver como no canal' }).click();
    await page.getByRole('option', { name: `${sandboxChannel.name} · Simulador` }).click();
    await expect.poll(() => graph.getByTestId('graph-degraded').count()).toBe(0);
  });
});
