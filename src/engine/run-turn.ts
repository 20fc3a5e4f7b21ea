import { defaultPort, type FlowBlock, type FlowDocument } from '../shared/flows/flow-document.js';
import type { MessageContent } from '../shared/messaging/message-content.js';
import { blockModules } from './blocks/index.js';
import { renderTemplate } from './template.js';
import type {
  BlockContext,
  BlockModule,
  Effect,
  EndReason,
  FlowValue,
  LogEntry,
  Outgoing,
  ResumeInput,
  SessionState,
  Step,
  TurnEnvironment,
  TurnInput,
  TurnResult,
  Variables,
} from './types.js';

/**
 * The engine: `(flow, state, input, environment) → { state, outgoing, effects, log }`. Pure and
 * deterministic — the same arguments give the same result, ids included — so a turn retried
 * after a crash produces the same messages and effects under the same once-only ids.
 *
 * A turn enters blocks one after another until one waits (for the person's answer, an
 * effect's result or a wake-up) or the flow ends. Ids of what a turn sends and asks for are
 * `<turn>.<n>`; the flows module prefixes them with the session id.
 */

export const defaultMaxStepsPerTurn = 100;

const defaultTimeZones: Record<FlowDocument['locale'], string> = {
  'pt-BR': 'America/Sao_Paulo',
  'pt-PT': 'Europe/Lisbon',
  en: 'UTC',
};

const apology: Record<FlowDocument['locale'], string> = {
  'pt-BR': 'Desculpe, algo deu errado do nosso lado. Envie "menu" para recomeçar.',
  'pt-PT': 'Pedimos desculpa, algo correu mal do nosso lado. Envie "menu" para recomeçar.',
  en: 'Sorry, something went wrong on our side. Send "menu" to start again.',
};

export function timeZoneOf(flow: FlowDocument): string {
  return flow.timeZone ?? defaultTimeZones[flow.locale];
}

/** A fresh session: the declared defaults, nothing run yet. */
export function initialState(flow: FlowDocument): SessionState {
  const variables: Variables = {};
  for (const [name, declaration] of Object.entries(flow.variables)) {
    if (declaration.default !== undefined) variables[name] = declaration.default as FlowValue;
  }
  return {
    status: 'active',
    blockId: null,
    waiting: null,
    variables,
    turn: 0,
    inactivity: null,
  };
}

/** Parsed options per block object: a published flow's blocks are parsed once, not per turn. */
const parsedOptions = new WeakMap<FlowBlock, unknown>();

function optionsOf(block: FlowBlock, module: BlockModule<unknown>): unknown {
  if (parsedOptions.has(block)) return parsedOptions.get(block);
  const options = module.definition.optionsSchema.parse(block.options);
  parsedOptions.set(block, options);
  return options;
}

type Blocks = ReadonlyMap<string, BlockModule<unknown>>;

/** Runs one turn. `state` is null for a session that does not exist yet (then input is `start`). */
export function runTurn(
  flow: FlowDocument,
  state: SessionState | null,
  input: TurnInput,
  env: TurnEnvironment,
  blocks: Blocks = blockModules,
): TurnResult {
  const previous = state ?? initialState(flow);
  const turn = new Turn(flow, structuredClone(previous), env, blocks);
  return turn.run(input, previous);
}

class Turn {
  private readonly outgoing: Outgoing[] = [];
  private readonly effects: Effect[] = [];
  private readonly log: LogEntry[] = [];
  private sequence = 0;
  private readonly timeZone: string;
  private readonly turnNumber: number;

  constructor(
    private readonly flow: FlowDocument,
    private readonly state: SessionState,
    private readonly env: TurnEnvironment,
    private readonly blocks: Blocks,
  ) {
    this.timeZone = timeZoneOf(flow);
    this.turnNumber = state.turn;
  }

  run(input: TurnInput, previous: SessionState): TurnResult {
    const { state } = this;
    if (input.kind === 'start') {
      Object.assign(state, initialState(this.flow), { turn: previous.turn });
      this.note(null, 'session-started');
      this.walk(this.flow.start);
      return this.finish();
    }
    if (state.status === 'ended') return this.unchanged(previous, 'input-after-end', input);

    if (input.kind === 'wake' && state.inactivity?.wakeId === input.wakeId) {
      this.inactivityWake(state.inactivity.stage);
      return this.finish();
    }
    if (state.status === 'handoff') {
      if (input.kind !== 'resume') return this.unchanged(previous, 'input-during-handoff', input);
      state.status = 'active';
      this.note(state.blockId, 'handed-back');
      // Handed over by a command in the middle of a question: the bot asks it again. A
      // handoff block decides itself what comes next.
      const current = state.blockId ? this.flow.blocks[state.blockId] : undefined;
      if (state.blockId && current?.type !== 'action.handoff' && state.waiting?.for === 'input') {
        this.walk(state.blockId);
        return this.finish();
      }
      return this.resumeCurrent(input, previous);
    }
    if (input.kind === 'resume') return this.unchanged(previous, 'resume-without-handoff', input);

    const waiting = state.waiting;
    if (!waiting) return this.unchanged(previous, 'input-while-not-waiting', input);
    if (input.kind === 'message') {
      if (waiting.for === 'effect')
        return { ...this.unchanged(previous, 'deferred', input), deferred: true };
      return this.resumeCurrent(input, previous);
    }
    if (input.kind === 'effect-result') {
      if (waiting.for !== 'effect' || waiting.key !== input.effectId) {
        return this.unchanged(previous, 'stale-effect-result', input);
      }
      return this.resumeCurrent(input, previous);
    }
    if (waiting.for !== 'wake' || waiting.key !== input.wakeId) {
      return this.unchanged(previous, 'stale-wake', input);
    }
    return this.resumeCurrent(input, previous);
  }

  private resumeCurrent(input: ResumeInput, previous: SessionState): TurnResult {
    const { state } = this;
    const blockId = state.blockId;
    const block = blockId ? this.flow.blocks[blockId] : undefined;
    const module = block ? this.blocks.get(block.type) : undefined;
    if (!blockId || !block || !module) {
      return this.unchanged(previous, 'no-current-block', input);
    }
    const waiting = state.waiting ?? { for: 'input' as const, attempts: 0 };
    const step = this.attempt(blockId, () =>
      module.executor.resume
        ? module.executor.resume(this.context(blockId, block, module), input, waiting)
        : { next: { go: defaultPort } },
    );
    const next = step ? this.follow(blockId, block, step) : null;
    if (next !== null) this.walk(next);
    return this.finish();
  }

  /** Enters `blockId` and goes on until a block waits or the flow ends. */
  private walk(blockId: string) {
    let current: string | null = blockId;
    const limit = this.flow.settings.maxStepsPerTurn ?? defaultMaxStepsPerTurn;
    for (let steps = 0; current !== null; steps++) {
      if (steps >= limit) {
        this.note(current, 'step-limit', { limit });
        this.fail();
        return;
      }
      const block: FlowBlock | undefined = this.flow.blocks[current];
      const module = block ? this.blocks.get(block.type) : undefined;
      if (!block || !module) {
        this.note(current, 'unknown-block');
        this.fail();
        return;
      }
      const { state } = this;
      state.blockId = current;
      state.waiting = null;
      this.note(current, 'entered', { type: block.type });
      const entered: string = current;
      const step = this.attempt(entered, () =>
        module.executor.enter(this.context(entered, block, module)),
      );
      current = step ? this.follow(current, block, step) : null;
    }
  }

  /** Applies a step; returns the block to enter next, or null when the turn stops here. */
  private follow(blockId: string, block: FlowBlock, step: Step): string | null {
    const { state } = this;
    for (const content of step.send ?? []) this.send(content);
    let awaitedEffect: string | undefined;
    let awaitedWake: string | undefined;
    for (const request of step.effects ?? []) {
      const id = this.nextId();
      const effect = (
        request.kind === 'schedule-wake' ? { ...request, id, wakeId: id } : { ...request, id }
      ) as Effect;
      this.effects.push(effect);
      if (effect.kind === 'schedule-wake') awaitedWake = id;
      else if (effect.kind !== 'store-file' && effect.kind !== 'end') awaitedEffect = id;
    }
    if (step.set) Object.assign(state.variables, step.set);
    if (step.log) this.note(blockId, step.log.event, step.log.detail);
    if (step.effects?.some((effect) => effect.kind === 'handoff')) state.status = 'handoff';

    const next = step.next;
    if ('wait' in next) {
      const key =
        next.wait === 'effect' ? awaitedEffect : next.wait === 'wake' ? awaitedWake : undefined;
      if (next.wait !== 'input' && key === undefined && next.wait !== 'wake') {
        this.note(blockId, 'wait-without-effect');
        this.fail();
        return null;
      }
      state.waiting = {
        for: next.wait,
        attempts: next.attempts ?? 0,
        ...(key !== undefined
          ? { key }
          : next.wait === 'wake' && state.waiting?.key
            ? { key: state.waiting.key }
            : {}),
        ...(next.data !== undefined ? { data: next.data } : {}),
      };
      return null;
    }
    if ('end' in next) {
      this.end(next.end);
      return null;
    }
    if ('jump' in next) return next.jump;
    const port = next.go;
    const target = port === defaultPort ? block.next : (block.on?.[port] ?? block.next);
    if (port !== defaultPort && block.on?.[port] === undefined) {
      this.note(blockId, 'port-without-edge', { port });
    }
    if (!target) {
      this.end('completed');
      return null;
    }
    if (state.status === 'handoff') {
      // The bot pauses on the handoff block; it goes on from here when handed back.
      return null;
    }
    return target;
  }

  private attempt(blockId: string, run: () => Step): Step | null {
    try {
      return run();
    } catch (error) {
      this.note(blockId, 'block-failed', {
        message: error instanceof Error ? error.message : String(error),
      });
      this.send({ type: 'text', text: apology[this.flow.locale] });
      this.fail();
      return null;
    }
  }

  private inactivityWake(stage: 'reminder' | 'close') {
    const settings = this.flow.settings.inactivity;
    const { state } = this;
    if (!settings) {
      state.inactivity = null;
      return;
    }
    if (stage === 'reminder') {
      this.send({ type: 'text', text: this.render(settings.reminder) });
      const wakeId = this.nextId();
      state.inactivity = { stage: 'close', wakeId };
      this.effects.push({
        id: wakeId,
        kind: 'schedule-wake',
        wakeId,
        at: this.minutesFromNow(settings.closeAfterMinutes),
        reason: 'inactivity-close',
      });
      this.note(state.blockId, 'inactivity-reminder');
      return;
    }
    if (settings.closeMessage)
      this.send({ type: 'text', text: this.render(settings.closeMessage) });
    this.note(state.blockId, 'inactivity-close');
    this.end('inactive');
  }

  private finish(): TurnResult {
    const { state } = this;
    state.turn = this.turnNumber + 1;
    const settings = this.flow.settings.inactivity;
    const waitsForPerson = state.status === 'active' && state.waiting?.for === 'input';
    const rescheduled = this.effects.some(
      (effect) => effect.kind === 'schedule-wake' && effect.reason === 'inactivity-close',
    );
    if (settings && waitsForPerson && !rescheduled) {
      const wakeId = this.nextId();
      state.inactivity = { stage: 'reminder', wakeId };
      this.effects.push({
        id: wakeId,
        kind: 'schedule-wake',
        wakeId,
        at: this.minutesFromNow(settings.reminderAfterMinutes),
        reason: 'inactivity-reminder',
      });
    } else if (!waitsForPerson) {
      state.inactivity = null;
    }
    return { state, outgoing: this.outgoing, effects: this.effects, log: this.log };
  }

  private unchanged(previous: SessionState, event: string, input: TurnInput): TurnResult {
    return {
      state: previous,
      outgoing: [],
      effects: [],
      log: [{ blockId: previous.blockId, event, detail: { input: input.kind } }],
    };
  }

  private end(reason: EndReason) {
    const { state } = this;
    state.status = 'ended';
    state.endReason = reason;
    state.waiting = null;
    state.inactivity = null;
    this.effects.push({ id: this.nextId(), kind: 'end', reason });
    this.note(state.blockId, 'ended', { reason });
    state.blockId = null;
  }

  private fail() {
    this.end('error');
  }

  private send(content: MessageContent) {
    this.outgoing.push({ id: this.nextId(), content });
  }

  private nextId(): string {
    return `${this.turnNumber}.${this.sequence++}`;
  }

  private note(blockId: string | null, event: string, detail?: Record<string, FlowValue>) {
    this.log.push(detail ? { blockId, event, detail } : { blockId, event });
  }

  private minutesFromNow(minutes: number): string {
    return new Date(this.env.now.getTime() + minutes * 60_000).toISOString();
  }

  private render(template: string): string {
    return renderTemplate(template, {
      variables: this.state.variables,
      env: this.env,
      locale: this.flow.locale,
      timeZone: this.timeZone,
    });
  }

  private context(
    blockId: string,
    block: FlowBlock,
    module: BlockModule<unknown>,
  ): BlockContext<unknown> {
    const options = optionsOf(block, module);
    const { flow, env, timeZone } = this;
    const variables = this.state.variables;
    return {
      blockId,
      options,
      variables,
      env,
      locale: flow.locale,
      timeZone,
      turn: this.turnNumber,
      render: (template) =>
        renderTemplate(template, { variables, env, locale: flow.locale, timeZone }),
      text: (texts) => texts[flow.locale],
      hasPort: (port) => block.on?.[port] !== undefined,
    };
  }
}
