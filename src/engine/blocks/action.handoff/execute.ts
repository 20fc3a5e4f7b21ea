import type { BlockExecutor, Step } from '../../types.js';
import type { ActionHandoffOptions } from './definition.js';

const handingOff = {
  'pt-BR': 'Vou te transferir para um atendente. Aguarde um momento, por favor.',
  'pt-PT': 'Vou transferir a sua conversa para um assistente. Aguarde um momento, por favor.',
  en: 'I am transferring you to an agent. Please wait a moment.',
};

export const executor: BlockExecutor<ActionHandoffOptions> = {
  enter: (context) => {
    const { team, note, message } = context.options;
    const text = message === undefined ? context.text(handingOff) : context.render(message);
    const rendered = note === undefined ? undefined : context.render(note).trim();
    return {
      ...(text.trim() === '' ? {} : { send: [{ type: 'text', text }] }),
      effects: [
        {
          kind: 'handoff',
          ...(team === undefined ? {} : { team }),
          ...(rendered ? { note: rendered } : {}),
        },
      ],
      next: { wait: 'input' },
      log: { event: 'handed-off', detail: { team: team ?? null } },
    };
  },
  resume: (_context, input, waiting): Step =>
    input.kind === 'resume'
      ? { next: { go: 'next' } }
      : { next: { wait: 'input', attempts: waiting.attempts } },
};
