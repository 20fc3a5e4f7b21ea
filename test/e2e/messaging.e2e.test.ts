import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiChannel,
  createTenantThroughApi,
  createUserThroughApi,
  listChannelsThroughApi,
  sendMessageThroughApi,
  signInThroughApi,
} from './helpers/api.js';
import { type BrowserSession, openBrowser } from './helpers/browser.js';
import { type RecadoServer, startRecadoServer } from './helpers/recado-server.js';

/**
 * Messaging in the dashboard against the real server: the sandbox phone, the conversations
 * page (both live over the WebSocket), sends through the API, and the channels page. Texts
 * are the pt-BR defaults users see.
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

/** Another tab of the same browser (same signed-in session), watched for errors too. */
async function openTab(session: BrowserSession): Promise<Page> {
  const page = await session.context.newPage();
  page.on('pageerror', (error) => session.pageErrors.push(error.message));
  return page;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'E-mail' }).fill(email);
  await page.getByRole('textbox', { name: 'Senha' }).fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: 'Painel', level: 2 }).waitFor();
}

async function waitForLive(page: Page): Promise<void> {
  await page.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();
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

/** Opens the sandbox page as a brand-new simulated user; returns who they are. */
async function openSandboxAsNewUser(page: Page, name: string) {
  await page.getByRole('link', { name: 'Simulador' }).click();
  await page.getByRole('heading', { name: 'Simulador', level: 2 }).waitFor();
  await page.getByRole('button', { name: 'Novo usuário' }).click();
  await page.getByRole('textbox', { name: 'Nome', exact: true }).fill(name);
  const phone = await page.getByRole('textbox', { name: 'Telefone', exact: true }).inputValue();
  expect(phone).toMatch(/^\+55\d{2}9\d{8}$/);
  const phoneFrame = page.getByRole('region', { name: 'Telefone simulado' });
  // The new user has no messages yet.
  await phoneFrame.getByText('Nenhuma mensagem ainda').waitFor();
  return { phone, phoneFrame };
}

async function sendFromPhone(phoneFrame: Locator, text: string): Promise<void> {
  await phoneFrame.getByRole('textbox', { name: 'Mensagem' }).fill(text);
  await phoneFrame.getByRole('button', { name: 'Enviar mensagem' }).click();
}

describe('sandbox phone and conversations', () => {
  it('a message from the phone shows up in Conversations, and API replies reach the phone live', async () => {
    const session = await openSession();
    const sandboxPage = session.page;
    await signIn(sandboxPage, server.adminEmail, server.adminPassword);
    const name = `Ana Souza ${uniqueSuffix()}`;
    const { phone, phoneFrame } = await openSandboxAsNewUser(sandboxPage, name);
    await waitForLive(sandboxPage);

    // The simulated user says hello; the phone shows it once the inbound pipeline stored it.
    await sendFromPhone(phoneFrame, 'Olá');
    await bubble(phoneFrame, 'Olá').and(phoneFrame.locator('[data-side="end"]')).waitFor();
    expect(await phoneFrame.getByRole('textbox', { name: 'Mensagem' }).inputValue()).toBe('');

    // Conversations, in a second tab: the conversation is listed with the user's name.
    const inboxPage = await openTab(session);
    await inboxPage.goto('/conversations');
    await inboxPage.getByRole('heading', { name: 'Conversas', level: 2 }).waitFor();
    const item = inboxPage.getByTestId('conversation-item').filter({ hasText: name });
    await item.click();
    const thread = inboxPage.getByTestId('conversation-thread');
    expect(await thread.getByTestId('thread-contact').textContent()).toBe(name);
    await bubble(thread, 'Olá').and(thread.locator('[data-side="start"]')).waitFor();
    await waitForLive(inboxPage);

    // The business answers through the API: the open thread and the phone both update live.
    const reply = 'Oi! Como posso ajudar?';
    await sendMessageThroughApi(server.baseUrl, adminToken, {
      channelId: sandboxChannel.id,
      to: { phone },
      content: { type: 'text', text: reply },
    });
    await bubble(phoneFrame, reply).and(phoneFrame.locator('[data-side="start"]')).waitFor();
    const sentBubble = bubble(thread, reply).and(thread.locator('[data-side="end"]'));
    await sentBubble.waitFor();
    // The sandbox reports delivered, then read: the ticks follow.
    await sentBubble.locator('[data-testid="message-status"][data-status="read"]').waitFor();

    // A buttons message: the user taps one, and the reply shows in Conversations.
    await sendMessageThroughApi(server.baseUrl, adminToken, {
      channelId: sandboxChannel.id,
      to: { phone },
      content: {
        type: 'buttons',
        body: 'Confirma a entrega para amanhã?',
        buttons: [
          { id: 'delivery-yes', title: 'Sim, confirmo' },
          { id: 'delivery-no', title: 'Remarcar' },
        ],
      },
    });
    await bubble(phoneFrame, 'Confirma a entrega para amanhã?').waitFor();
    await phoneFrame.getByRole('button', { name: 'Sim, confirmo' }).click();
    const tapped = bubble(thread, 'Sim, confirmo').and(thread.locator('[data-side="start"]'));
    await tapped.waitFor();
    expect(await tapped.getAttribute('data-content-type')).toBe('interactive-reply');
    expect(await tapped.textContent()).toContain('Tocou no botão');
    await bubble(phoneFrame, 'Sim, confirmo')
      .and(phoneFrame.locator('[data-side="end"]'))
      .waitFor();

    // A list: its button opens the rows; the picked row reaches Conversations.
    await sendMessageThroughApi(server.baseUrl, adminToken, {
      channelId: sandboxChannel.id,
      to: { phone },
      content: {
        type: 'list',
        body: 'Como prefere pagar?',
        buttonText: 'Ver opções',
        sections: [
          {
            title: 'Pagamento',
            rows: [
              { id: 'pay-pix', title: 'Pix', description: 'Aprovação na hora' },
              { id: 'pay-boleto', title: 'Boleto' },
            ],
          },
        ],
      },
    });
    await bubble(phoneFrame, 'Como prefere pagar?').waitFor();
    await phoneFrame.getByRole('button', { name: 'Ver opções' }).click();
    await sandboxPage
      .getByRole('dialog', { name: 'Ver opções' })
      .getByRole('button', { name: /^Pix/ })
      .click();
    const picked = bubble(thread, 'Pix').and(thread.locator('[data-side="start"]'));
    await picked.waitFor();
    expect(await picked.textContent()).toContain('Escolheu na lista');
  });

  it('remembers the simulated user across a reload and filters conversations by phone', async () => {
    const session = await openSession();
    const page = session.page;
    await signIn(page, server.adminEmail, server.adminPassword);
    const name = `Bruno Lima ${uniqueSuffix()}`;
    const { phone, phoneFrame } = await openSandboxAsNewUser(page, name);
    await sendFromPhone(phoneFrame, 'Quero segunda via do boleto');
    await bubble(phoneFrame, 'Quero segunda via do boleto').waitFor();

    await page.reload();
    expect(await page.getByRole('textbox', { name: 'Telefone', exact: true }).inputValue()).toBe(
      phone,
    );
    await bubble(
      page.getByRole('region', { name: 'Telefone simulado' }),
      'Quero segunda via do boleto',
    ).waitFor();

    await page.getByRole('link', { name: 'Conversas' }).click();
    await page.getByRole('heading', { name: 'Conversas', level: 2 }).waitFor();
    // Without "+55": the server reads it as a Brazilian number.
    await page.getByRole('textbox', { name: 'Telefone', exact: true }).fill(phone.slice(3));
    const items = page.getByTestId('conversation-item');
    await items.filter({ hasText: name }).waitFor();
    await expect.poll(() => items.count()).toBe(1);
  });
});

describe('media and locations from the sandbox phone', () => {
  /** A 1×1 PNG and the smallest PDF: enough for the server's type sniffing. */
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

  async function attach(
    page: Page,
    phoneFrame: Locator,
    file: { name: string; mimeType: string; buffer: Buffer },
  ) {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      phoneFrame.getByRole('button', { name: 'Anexar foto ou documento' }).click(),
    ]);
    await chooser.setFiles(file);
    expect(await phoneFrame.getByTestId('sandbox-attachment').textContent()).toBe(file.name);
  }

  async function isImageLoaded(image: Locator): Promise<boolean> {
    return image.evaluate(
      (element) =>
        element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0,
    );
  }

  it('sends a photo with a caption, a document and a location; Conversations shows the photo and downloads the document', async () => {
    const session = await openSession();
    const page = session.page;
    await signIn(page, server.adminEmail, server.adminPassword);
    const name = `Camila Costa ${uniqueSuffix()}`;
    const { phoneFrame } = await openSandboxAsNewUser(page, name);

    await attach(page, phoneFrame, { name: 'comprovante.png', mimeType: 'image/png', buffer: png });
    await phoneFrame.getByRole('textbox', { name: 'Mensagem' }).fill('Segue o comprovante');
    await phoneFrame.getByRole('button', { name: 'Enviar mensagem' }).click();
    const photo = bubble(phoneFrame, 'Segue o comprovante');
    await photo.getByTestId('message-image').waitFor();
    await expect.poll(() => isImageLoaded(photo.getByTestId('message-image'))).toBe(true);
    expect(await phoneFrame.getByTestId('sandbox-attachment').count()).toBe(0);

    await attach(page, phoneFrame, {
      name: 'boleto.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await phoneFrame.getByRole('button', { name: 'Enviar mensagem' }).click();
    await phoneFrame.getByRole('button', { name: 'Baixar boleto.pdf' }).waitFor();

    await page.getByRole('link', { name: 'Conversas' }).click();
    await page.getByTestId('conversation-item').filter({ hasText: name }).click();
    const thread = page.getByTestId('conversation-thread');
    const image = bubble(thread, 'Segue o comprovante').getByTestId('message-image');
    await image.waitFor();
    await expect.poll(() => isImageLoaded(image)).toBe(true);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      thread.getByRole('button', { name: 'Baixar boleto.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('boleto.pdf');

    // And where they are: a location shared from the phone.
    await page.getByRole('link', { name: 'Simulador' }).click();
    await page.getByRole('heading', { name: 'Simulador', level: 2 }).waitFor();
    await phoneFrame.getByRole('button', { name: 'Enviar localização' }).click();
    const sharing = page.getByRole('dialog');
    await sharing.getByRole('textbox', { name: 'Nome do lugar' }).fill('Loja da Sé');
    await sharing.getByRole('button', { name: 'Enviar localização' }).click();
    const place = phoneFrame
      .getByTestId('message-bubble')
      .filter({ hasText: 'Loja da Sé' })
      .and(phoneFrame.locator('[data-content-type="location"]'));
    await place.waitFor();
    expect(await place.getByRole('link', { name: 'Abrir no mapa' }).getAttribute('href')).toContain(
      'mlat=-23.55052',
    );
  });
});

describe('channels page', () => {
  it('adds a sandbox channel and a Meta channel from the generated forms', async () => {
    const session = await openSession();
    const page = session.page;
    await signIn(page, server.adminEmail, server.adminPassword);
    await page.getByRole('link', { name: 'Canais' }).click();
    await page.getByRole('heading', { name: 'Canais', level: 2 }).waitFor();
    // The default sandbox channel is listed.
    await page.getByTestId('channel-row').filter({ hasText: sandboxChannel.name }).waitFor();
    const suffix = uniqueSuffix();

    // A sandbox channel: only optional settings, with their defaults as placeholders.
    await page.getByRole('button', { name: 'Novo canal' }).click();
    let dialog = page.getByRole('dialog', { name: 'Novo canal' });
    await dialog.getByRole('combobox', { name: 'Provedor' }).click();
    await page.getByRole('option', { name: 'Simulador' }).click();
    await dialog.getByRole('textbox', { name: 'Nome do canal' }).fill(`Testes ${suffix}`);
    expect(
      await dialog.getByRole('textbox', { name: 'Entregue após (ms)' }).getAttribute('placeholder'),
    ).toBe('300');
    await dialog.getByRole('textbox', { name: 'Lida após (ms)' }).fill('1,5');
    await dialog.getByRole('button', { name: 'Criar' }).click();
    await dialog.getByText('Informe um número inteiro.').waitFor();
    await dialog.getByRole('textbox', { name: 'Lida após (ms)' }).fill('0');
    await dialog.getByRole('textbox', { name: 'Mensagens por segundo' }).fill('5');
    await dialog.getByRole('button', { name: 'Criar' }).click();
    const sandboxRow = page.getByTestId('channel-row').filter({ hasText: `Testes ${suffix}` });
    await sandboxRow.waitFor();
    const sandboxText = await sandboxRow.textContent();
    expect(sandboxText).toContain('Simulador');
    expect(sandboxText).toContain('Ativo');
    expect(sandboxText).toContain('5 msg/s');
    expect(await sandboxRow.getByTestId('channel-webhook-url').textContent()).toBe('Não precisa');

    // A Meta channel: required fields and secrets; the webhook URL to paste into Meta's console.
    await page.getByRole('button', { name: 'Novo canal' }).click();
    dialog = page.getByRole('dialog', { name: 'Novo canal' });
    await dialog.getByRole('combobox', { name: 'Provedor' }).click();
    await page.getByRole('option', { name: 'Meta Cloud API' }).click();
    await dialog.getByRole('textbox', { name: 'Nome do canal' }).fill(`Atendimento ${suffix}`);
    await dialog.getByRole('button', { name: 'Criar' }).click();
    // Nothing is sent while required fields are empty.
    await dialog.getByRole('textbox', { name: 'ID do número de telefone' }).waitFor();
    expect(await dialog.getByText('Campo obrigatório.').count()).toBe(5);
    await dialog.getByRole('textbox', { name: 'ID do número de telefone' }).fill('106540352242922');
    await dialog
      .getByRole('textbox', { name: 'ID da conta do WhatsApp Business (WABA)' })
      .fill('102290129340398');
    await dialog.getByLabel('Token de acesso').fill('EAAG-test-token');
    await dialog.getByLabel('Chave secreta do app').fill('app-secret-value');
    await dialog.getByLabel('Token de verificação do webhook').fill('verify-me');
    await dialog.getByRole('button', { name: 'Criar' }).click();
    const metaRow = page.getByTestId('channel-row').filter({ hasText: `Atendimento ${suffix}` });
    await metaRow.waitFor();
    const webhookUrl = await metaRow.getByTestId('channel-webhook-url').textContent();
    expect(webhookUrl).toMatch(/^https?:\/\/.+\/webhooks\/meta-cloud\/[0-9a-f-]{36}/);
    await metaRow
      .getByRole('button', { name: `Copiar a URL do webhook de Atendimento ${suffix}` })
      .waitFor();

    // Editing keeps stored secrets when their fields stay empty.
    await metaRow.getByRole('button', { name: `Ações para Atendimento ${suffix}` }).click();
    await page.getByRole('menuitem', { name: 'Editar' }).click();
    dialog = page.getByRole('dialog', { name: `Editar Atendimento ${suffix}` });
    const token = dialog.getByLabel('Token de acesso');
    expect(await token.inputValue()).toBe('');
    expect(await token.getAttribute('placeholder')).toBe('•••••• (guardado)');
    expect(
      await dialog.getByRole('textbox', { name: 'ID do número de telefone' }).inputValue(),
    ).toBe('106540352242922');
    await dialog.getByRole('textbox', { name: 'Nome do canal' }).fill(`Atendimento SP ${suffix}`);
    await dialog.getByRole('button', { name: 'Salvar' }).click();
    await page
      .getByTestId('channel-row')
      .filter({ hasText: `Atendimento SP ${suffix}` })
      .waitFor();

    // Disabling asks first.
    const renamedRow = page
      .getByTestId('channel-row')
      .filter({ hasText: `Atendimento SP ${suffix}` });
    await renamedRow.getByRole('button', { name: `Ações para Atendimento SP ${suffix}` }).click();
    await page.getByRole('menuitem', { name: 'Desativar' }).click();
    await page
      .getByRole('dialog', { name: 'Desativar canal' })
      .getByRole('button', { name: 'Desativar' })
      .click();
    await renamedRow.getByText('Desativado').waitFor();
  });

  it('shows operators the channels without the admin actions', async () => {
    const suffix = uniqueSuffix();
    const admin = {
      name: 'Carla Nunes',
      email: `carla+${suffix}@example.com`,
      password: `tenant-admin-${suffix}-pass`,
    };
    await createTenantThroughApi(server.baseUrl, adminToken, {
      name: `Padaria ${suffix}`,
      slug: `padaria-${suffix}`,
      admin,
    });
    const tenantAdminToken = await signInThroughApi(server.baseUrl, admin.email, admin.password);
    const operator = {
      name: 'Otávio Operador',
      email: `otavio+${suffix}@example.com`,
      role: 'operator' as const,
      password: `operator-${suffix}-pass`,
    };
    await createUserThroughApi(server.baseUrl, tenantAdminToken, operator);

    const session = await openSession();
    const page = session.page;
    await signIn(page, operator.email, operator.password);
    await page.getByRole('link', { name: 'Canais' }).click();
    await page.getByText('Nenhum canal por aqui ainda.').waitFor();
    expect(await page.getByRole('button', { name: 'Novo canal' }).count()).toBe(0);

    // No sandbox channel in this tenant: the sandbox page says whom to ask.
    await page.getByRole('link', { name: 'Simulador' }).click();
    await page
      .getByText('Peça a um administrador para criar um canal com o provedor Simulador.')
      .waitFor();
  });
});
