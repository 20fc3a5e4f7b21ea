import { z } from 'zod';
import type { VariableType } from '../../shared/flows/flow-document.js';
import type { MessageContent } from '../../shared/messaging/message-content.js';
import type {
  BlockContext,
  EffectRequest,
  FlowValue,
  ResumeInput,
  Step,
  TemplateField,
  VariableUse,
  WaitState,
} from '../types.js';

/**
 * What every `input.*` block shares: ask (a template), wait for the answer, read it, store
 * the value in a variable, and on a wrong answer re-ask with the reason — up to `maxAttempts`
 * wrong answers, then the `invalid` port (or it keeps asking while that port has no edge).
 */

export const invalidPort = 'invalid';

export const inputBaseOptions = {
  /** The question; a template. */
  prompt: z.string().min(1).max(4096),
  /** The variable that receives the value. */
  variable: z.string().min(1).max(64),
  /** Wrong answers before the `invalid` port. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** Said before the reason on a wrong answer; a template. Defaults to the reason alone. */
  retryPrompt: z.string().max(1024).optional(),
};

export type InputBaseOptions = {
  prompt: string;
  variable: string;
  maxAttempts: number;
  retryPrompt?: string | undefined;
};

export function inputTemplates(options: InputBaseOptions): TemplateField[] {
  const fields: TemplateField[] = [{ path: ['prompt'], template: options.prompt }];
  if (options.retryPrompt) fields.push({ path: ['retryPrompt'], template: options.retryPrompt });
  return fields;
}

export function inputWrites(
  options: InputBaseOptions,
  types: readonly VariableType[],
): VariableUse[] {
  return [{ path: ['variable'], name: options.variable, types }];
}

/** Asks: the prompt (or a richer message the block builds), then waits. */
export function ask(
  context: BlockContext<InputBaseOptions>,
  message?: MessageContent,
  data?: FlowValue,
): Step {
  return {
    send: [message ?? { type: 'text', text: context.render(context.options.prompt) }],
    next: data === undefined ? { wait: 'input' } : { wait: 'input', data },
  };
}

/**
 * What `receive` needs. Blocks where storing the answer is optional (`message.buttons`) leave
 * `variable` out; blocks that ask with a richer message pass `reask` and use `prompt` only as
 * the fallback text.
 */
export type ReceiveOptions = Omit<InputBaseOptions, 'variable'> & { variable?: string | undefined };

export type Reading =
  | {
      ok: true;
      value: FlowValue;
      set?: Record<string, FlowValue>;
      /** The port to go through (a choice's id); `next` by default. */
      go?: string;
      /** Effects that come with the answer (`store-file`). */
      effects?: EffectRequest[];
    }
  | { ok: false; reason: string; code: string };

/**
 * Takes an answer: stores it and goes on, or re-asks with the reason, or — after the last
 * allowed wrong answer — takes `invalid`. `reask` builds the repeated question (defaults to
 * the prompt as text).
 */
export function receive(
  context: BlockContext<ReceiveOptions>,
  input: ResumeInput,
  waiting: WaitState,
  read: (input: Extract<ResumeInput, { kind: 'message' }>) => Reading,
  reask?: () => MessageContent,
): Step {
  if (input.kind !== 'message') return { next: { wait: 'input', attempts: waiting.attempts } };
  const reading = read(input);
  const { options } = context;
  if (reading.ok) {
    const { variable } = options;
    return {
      set: variable ? { ...reading.set, [variable]: reading.value } : { ...reading.set },
      ...(reading.effects ? { effects: reading.effects } : {}),
      next: { go: reading.go ?? 'next' },
      log: {
        event: 'input-accepted',
        detail: {
          ...(variable ? { variable } : {}),
          ...(reading.go ? { port: reading.go } : {}),
        },
      },
    };
  }
  const attempts = waiting.attempts + 1;
  const log = {
    event: 'input-rejected',
    detail: { reason: reading.code, attempts },
  };
  if (attempts >= options.maxAttempts && context.hasPort(invalidPort)) {
    return { next: { go: invalidPort }, log };
  }
  const lead = options.retryPrompt ? `${context.render(options.retryPrompt)}\n` : '';
  const question = reask?.() ?? { type: 'text', text: context.render(options.prompt) };
  const send: MessageContent[] = [{ type: 'text', text: `${lead}${reading.reason}` }, question];
  return {
    send,
    next:
      waiting.data === undefined
        ? { wait: 'input', attempts }
        : { wait: 'input', attempts, data: waiting.data },
    log,
  };
}

/** The text of a message, or undefined for content without text (a photo without caption). */
export function textOf(content: MessageContent): string | undefined {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'interactive-reply':
      return content.title;
    case 'image':
    case 'video':
    case 'document':
      return content.caption;
    default:
      return undefined;
  }
}

/** The person sent something that is not text where text was asked. */
export const notTextReason: Record<'pt-BR' | 'pt-PT' | 'en', string> = {
  'pt-BR': 'Não consegui ler sua resposta. Responda com uma mensagem de texto, por favor.',
  'pt-PT': 'Não consegui ler a sua resposta. Responda com uma mensagem de texto, por favor.',
  en: 'I could not read your answer. Please reply with a text message.',
};
