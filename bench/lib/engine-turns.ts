import type {
  SessionState,
  TurnEnvironment,
  TurnInput,
  TurnResult,
} from '../../src/engine/index.js';
import { runTurn, validateFlow } from '../../src/engine/index.js';
import { type FlowDocument, flowDocumentSchema } from '../../src/shared/flows/flow-document.js';

/**
 * The pure engine turn, measured: a sign-up flow like the ones people write (a greeting, a
 * menu of buttons, input.email, input.validated CPF, a condition, variables set, a summary
 * with templates) and a conversation script that walks it — taps, wrong answers re-asked,
 * right answers, the menu again — looped over many conversations. Each `runTurn` is timed
 * alone; beside it, the same turn's unavoidable persistence cost (`structuredClone` of the
 * session state and `JSON.stringify` of the result, what the runtime does to store a turn).
 */

export const engineBenchFlowDocument = {
  schemaVersion: 1,
  name: 'Bench: cadastro',
  locale: 'pt-BR',
  variables: {
    choice: { type: 'string', description: 'What the person chose in the menu' },
    email: { type: 'string', description: 'The e-mail, normalized' },
    cpf: { type: 'string', description: 'The CPF, 11 digits' },
    segment: { type: 'string', description: 'corporativo or pessoal' },
    signups: { type: 'number', default: 0, description: 'Sign-ups in this session' },
  },
  start: 'welcome',
  blocks: {
    welcome: {
      type: 'message.text',
      options: { text: 'Olá, {{contact.name}}! 👋 Eu sou o assistente virtual da Recado.' },
      next: 'menu',
    },
    menu: {
      type: 'message.buttons',
      options: {
        text: 'Como posso ajudar?',
        buttons: [
          { id: 'signup', title: 'Fazer cadastro' },
          { id: 'status', title: 'Ver meu cadastro' },
        ],
        variable: 'choice',
      },
      on: { signup: 'ask-email', status: 'has-signup' },
    },
    'ask-email': {
      type: 'input.email',
      options: { prompt: 'Qual é o seu e-mail?', variable: 'email', maxAttempts: 3 },
      next: 'ask-cpf',
      on: { invalid: 'menu' },
    },
    'ask-cpf': {
      type: 'input.validated',
      options: {
        prompt: 'Obrigado! Agora, qual é o seu CPF? Pode enviar só os números.',
        variable: 'cpf',
        validator: 'cpf',
        maxAttempts: 3,
      },
      next: 'classify',
      on: { invalid: 'menu' },
    },
    classify: {
      type: 'logic.condition',
      options: {
        cases: [
          {
            id: 'corporate',
            when: {
              all: [
                { variable: 'email', op: 'matches', value: '@empresa\\.com\\.br$' },
                { variable: 'cpf', op: 'not-empty' },
              ],
            },
          },
        ],
      },
      on: { corporate: 'set-corporate' },
      next: 'set-personal',
    },
    'set-corporate': {
      type: 'logic.set',
      options: {
        assignments: [
          { variable: 'segment', value: 'corporativo' },
          { variable: 'signups', value: { op: 'add', value: 1 } },
        ],
      },
      next: 'confirm',
    },
    'set-personal': {
      type: 'logic.set',
      options: {
        assignments: [
          { variable: 'segment', value: 'pessoal' },
          { variable: 'signups', value: { op: 'add', value: 1 } },
        ],
      },
      next: 'confirm',
    },
    confirm: {
      type: 'message.text',
      options: {
        text: 'Prontinho, cadastro recebido! ✅\n\n• E-mail: {{email}}\n• CPF: {{cpf}}\n• Perfil: {{segment}}\n• Cadastros nesta conversa: {{signups}}',
      },
      next: 'menu',
    },
    'has-signup': {
      type: 'logic.condition',
      options: { cases: [{ id: 'none', when: { variable: 'email', op: 'empty' } }] },
      on: { none: 'no-signup' },
      next: 'status',
    },
    'no-signup': {
      type: 'message.text',
      options: { text: 'Ainda não encontrei um cadastro seu. Vamos fazer agora?' },
      next: 'menu',
    },
    status: {
      type: 'message.text',
      options: { text: 'Seu cadastro: {{email}}, CPF {{cpf}} ({{segment}}).' },
      next: 'menu',
    },
  },
};

/** The flow, validated as publishing would (throws with every issue otherwise). */
export function loadEngineBenchFlow(): FlowDocument {
  const validation = validateFlow(engineBenchFlowDocument);
  if (!validation.ok) {
    const lines = validation.issues.map((issue) => `${issue.pointer}: ${issue.message}`);
    throw new Error(`the engine benchmark's flow is invalid:\n${lines.join('\n')}`);
  }
  return flowDocumentSchema.parse(validation.flow);
}

/** One turn of the script and what it must lead to (so the run measures what it says). */
export type ScriptStep = {
  input: TurnInput;
  /** The block the session waits on afterwards. */
  waitsOn: string;
  /** Messages the turn sends. */
  sends: number;
};

const text = (value: string): TurnInput => ({
  kind: 'message',
  content: { type: 'text', text: value },
});
const tap = (id: string, title: string): TurnInput => ({
  kind: 'message',
  content: { type: 'interactive-reply', kind: 'button', id, title },
});

/** One conversation, from the greeting to two sign-ups and a look at the result. */
export const signupConversation: readonly ScriptStep[] = [
  { input: { kind: 'start' }, waitsOn: 'menu', sends: 2 },
  { input: tap('status', 'Ver meu cadastro'), waitsOn: 'menu', sends: 2 },
  { input: tap('signup', 'Fazer cadastro'), waitsOn: 'ask-email', sends: 1 },
  { input: text('ana.souza@'), waitsOn: 'ask-email', sends: 2 },
  { input: text('Ana.Souza@Empresa.com.br'), waitsOn: 'ask-cpf', sends: 1 },
  { input: text('123.456.789-00'), waitsOn: 'ask-cpf', sends: 2 },
  { input: text('meu cpf é 529.982.247-25'), waitsOn: 'menu', sends: 2 },
  { input: text('fazer cadastro'), waitsOn: 'ask-email', sends: 1 },
  { input: text('joao.pereira@gmail.com'), waitsOn: 'ask-cpf', sends: 1 },
  { input: text('390.533.447-05'), waitsOn: 'menu', sends: 2 },
  { input: text('2'), waitsOn: 'menu', sends: 2 },
];

export const engineBenchEnvironment: TurnEnvironment = {
  now: new Date('2026-11-23T15:00:00Z'),
  contact: { id: 'contact-bench', name: 'Ana Souza', phone: '+5511987654321' },
  channel: { id: 'channel-bench', name: 'Sandbox', traits: { buttons: true, lists: true } },
};

export type EngineTurnsOptions = {
  turns: number;
  warmupTurns: number;
  now?: () => number;
};

export type EngineTurnsResult = {
  turns: number;
  conversations: number;
  /** Each measured runTurn, µs, ascending. */
  turnMicros: number[];
  /** Each measured turn's structuredClone(state) + JSON.stringify(result), µs, ascending. */
  persistMicros: number[];
  /** Turns that did not end where the script says (the run is then not valid). */
  mismatches: number;
  firstMismatch?: string;
};

function describeMismatch(index: number, step: ScriptStep, result: TurnResult): string | undefined {
  const { state, outgoing } = result;
  if (state.blockId === step.waitsOn && outgoing.length === step.sends) return undefined;
  return `step ${index}: waits on ${state.blockId ?? 'nothing'} (expected ${step.waitsOn}), sent ${outgoing.length} (expected ${step.sends})`;
}

/** Runs `warmupTurns` unmeasured, then `turns` measured, conversation after conversation. */
export function runEngineTurns(
  flow: FlowDocument,
  options: EngineTurnsOptions,
  script: readonly ScriptStep[] = signupConversation,
  env: TurnEnvironment = engineBenchEnvironment,
): EngineTurnsResult {
  const now = options.now ?? (() => performance.now());
  const turnMicros: number[] = [];
  const persistMicros: number[] = [];
  let mismatches = 0;
  let firstMismatch: string | undefined;
  let conversations = 0;
  let state: SessionState | null = null;
  let position = 0;
  // Kept alive so the engine's work cannot be optimized away.
  let sink = 0;
  const total = options.warmupTurns + options.turns;
  for (let index = 0; index < total; index += 1) {
    const step = script[position] as ScriptStep;
    const isMeasured = index >= options.warmupTurns;
    if (position === 0) {
      state = null;
      if (isMeasured) conversations += 1;
    }
    const startedAt = now();
    const result = runTurn(flow, state, step.input, env);
    const ranAt = now();
    const cloned = structuredClone(result.state);
    const stored = JSON.stringify(result);
    const persistedAt = now();
    sink += stored.length + cloned.turn;
    if (isMeasured) {
      turnMicros.push((ranAt - startedAt) * 1000);
      persistMicros.push((persistedAt - ranAt) * 1000);
      const mismatch = describeMismatch(position, step, result);
      if (mismatch) {
        mismatches += 1;
        firstMismatch ??= mismatch;
      }
    }
    state = result.state;
    position = (position + 1) % script.length;
  }
  if (sink < 0) throw new Error('unreachable');
  turnMicros.sort((a, b) => a - b);
  persistMicros.sort((a, b) => a - b);
  return {
    turns: options.turns,
    conversations,
    turnMicros,
    persistMicros,
    mismatches,
    firstMismatch,
  };
}
