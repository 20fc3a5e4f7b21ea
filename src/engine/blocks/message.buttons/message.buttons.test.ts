import { describe, expect, it } from 'vitest';
import type { MessageContent } from '../../../shared/messaging/message-content.js';
import { blockContext } from '../../testing/block-context.js';
import type { ResumeInput } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const options = {
  text: 'Olá, {{contact.name}}! Deseja confirmar a viagem para {{city}}?',
  header: 'Viagem {{city}}',
  footer: 'Recado',
  buttons: [
    { id: 'yes', title: 'Sim' },
    { id: 'no', title: 'Não', description: 'cancela a reserva de {{city}}' },
    { id: 'later', title: 'Decidir depois' },
  ],
  variable: 'answer',
};
const variables = { city: 'Recife' };
const offered = [
  { id: 'yes', title: 'Sim' },
  { id: 'no', title: 'Não' },
  { id: 'later', title: 'Decidir depois' },
];
const waiting = { for: 'input', attempts: 0, data: offered } as const;

function message(content: MessageContent): ResumeInput {
  return { kind: 'message', content };
}
const text = (value: string) => message({ type: 'text', text: value });

describe('message.buttons', () => {
  it('sends rendered buttons, descriptions in the body, and waits with what it offered', () => {
    const step = executor.enter(blockContext(definition, options, { variables }));
    expect(step).toEqual({
      send: [
        {
          type: 'buttons',
          body: 'Olá, Ana Souza! Deseja confirmar a viagem para Recife?\n\n*Não*: cancela a reserva de Recife',
          header: 'Viagem Recife',
          footer: 'Recado',
          buttons: offered,
        },
      ],
      next: { wait: 'input', data: offered },
    });
  });

  it.each([
    ['a title longer than 20 characters', 'Plano Família Premium Anual', 'Plano Família Premi…'],
    [
      'an emoji at the cut, kept whole or left out',
      'Confirmar agora 👨‍👩‍👧 já',
      'Confirmar agora…',
    ],
    ['a title whose variable is empty', '{{missing}}', 'Opção 1'],
  ])('renders %s safely', (_case, title, expected) => {
    const step = executor.enter(
      blockContext(definition, { text: 'Escolha', buttons: [{ id: 'a', title }] }),
    );
    const sent = step.send?.[0];
    expect(sent?.type === 'buttons' && sent.buttons[0]?.title).toBe(expected);
    expect(expected.length).toBeLessThanOrEqual(20);
  });

  it.each<[string, ResumeInput, string]>([
    [
      'a tap',
      message({ type: 'interactive-reply', kind: 'button', id: 'later', title: 'Decidir depois' }),
      'later',
    ],
    [
      'a tap on an older message with the same title',
      message({ type: 'interactive-reply', kind: 'button', id: 'old-no', title: 'Não' }),
      'no',
    ],
    ['the number', text('2'), 'no'],
    ['a keycap number', text('3️⃣'), 'later'],
    ['"opção 1"', text('opção 1'), 'yes'],
    ['the title without accents or case', text('NAO'), 'no'],
    ['the title with punctuation and formatting', text('*decidir depois!*'), 'later'],
  ])('takes %s', (_case, input, id) => {
    const step = executor.resume?.(
      blockContext(definition, options, { variables }),
      input,
      waiting,
    );
    expect(step?.set).toEqual({ answer: id });
    expect(step?.next).toEqual({ go: id });
    expect(step?.send).toBeUndefined();
  });

  it('matches the full title when the shown one was cut', () => {
    const long = { text: 'Escolha', buttons: [{ id: 'a', title: 'Plano Família Premium Anual' }] };
    const context = blockContext(definition, long);
    const step = executor.resume?.(context, text('plano familia premium anual'), {
      for: 'input',
      attempts: 0,
      data: [{ id: 'a', title: 'Plano Família Premi…' }],
    });
    expect(step?.next).toEqual({ go: 'a' });
  });

  it('stores nothing when there is no variable, and still leaves through the button', () => {
    const { variable: _unused, ...withoutVariable } = options;
    const step = executor.resume?.(
      blockContext(definition, withoutVariable, { variables }),
      text('1'),
      waiting,
    );
    expect(step?.set).toEqual({});
    expect(step?.next).toEqual({ go: 'yes' });
    expect(definition.writes?.(definition.optionsSchema.parse(withoutVariable))).toEqual([]);
  });

  it.each<[string, ResumeInput]>([
    ['free text', text('talvez')],
    ['a number out of range', text('4')],
    ['a photo', message({ type: 'image', mediaId: 'm1' })],
  ])('re-asks on %s, naming the buttons, and sends them again', (_case, input) => {
    const step = executor.resume?.(
      blockContext(definition, options, { variables }),
      input,
      waiting,
    );
    expect(step?.send).toEqual([
      {
        type: 'text',
        text: 'Não entendi sua escolha. Toque em um dos botões da mensagem abaixo ou responda com o número da opção.',
      },
      executor.enter(blockContext(definition, options, { variables })).send?.[0],
    ]);
    expect(step?.next).toEqual({ wait: 'input', attempts: 1, data: offered });
  });

  it.each([
    [
      'pt-PT',
      true,
      'Não percebi a sua escolha. Toque num dos botões da mensagem abaixo ou responda com o número da opção.',
    ],
    [
      'en',
      true,
      "I didn't catch your choice. Tap one of the buttons in the message below or reply with the option's number.",
    ],
    ['pt-BR', false, 'Não entendi sua escolha. Responda com o número de uma das opções abaixo.'],
    ['en', false, "I didn't catch your choice. Reply with the number of one of the options below."],
  ] as const)('explains in %s (buttons rendered: %s)', (locale, buttons, reason) => {
    const context = blockContext(definition, options, {
      variables,
      locale,
      env: { channel: { id: 'c', name: 'c', traits: { buttons, lists: buttons } } },
    });
    const step = executor.resume?.(context, text('hmm'), waiting);
    expect(step?.send?.[0]).toEqual({ type: 'text', text: reason });
  });

  it('takes the invalid port after the last wrong answer, only when it has an edge', () => {
    const last = { ...waiting, attempts: 2 };
    const connected = executor.resume?.(
      blockContext(definition, options, { variables, ports: ['invalid'] }),
      text('hmm'),
      last,
    );
    expect(connected?.next).toEqual({ go: 'invalid' });
    expect(connected?.send).toBeUndefined();
    const loose = executor.resume?.(
      blockContext(definition, options, { variables }),
      text('hmm'),
      last,
    );
    expect(loose?.next).toEqual({ wait: 'input', attempts: 3, data: offered });
  });

  it('keeps waiting when something other than a message comes', () => {
    const step = executor.resume?.(
      blockContext(definition, options, { variables }),
      { kind: 'wake', wakeId: 'w1' },
      { ...waiting, attempts: 1 },
    );
    expect(step).toEqual({ next: { wait: 'input', attempts: 1 } });
  });

  it('declares its ports, templates, variable and what the channel must render', () => {
    const parsed = definition.optionsSchema.parse(options);
    expect(definition.ports(parsed)).toEqual(['yes', 'no', 'later', 'invalid']);
    expect(definition.needs?.(parsed)).toEqual(['buttons']);
    expect(definition.writes?.(parsed)).toEqual([
      { path: ['variable'], name: 'answer', types: ['string'] },
    ]);
    expect(definition.templates?.(parsed).map((field) => field.path.join('.'))).toEqual([
      'text',
      'header',
      'footer',
      'buttons.0.title',
      'buttons.1.title',
      'buttons.1.description',
      'buttons.2.title',
    ]);
  });

  const button = (id: string, title = id) => ({ id, title });
  it.each([
    ['no buttons', { text: 'x', buttons: [] }, ['buttons']],
    [
      'four buttons',
      { text: 'x', buttons: [button('a'), button('b'), button('c'), button('d')] },
      ['buttons'],
    ],
    [
      'a repeated id',
      { text: 'x', buttons: [button('a', 'A'), button('a', 'B')] },
      ['buttons', 1, 'id'],
    ],
    [
      'a repeated title (case and accents aside)',
      { text: 'x', buttons: [button('a', 'Não'), button('b', 'nao')] },
      ['buttons', 1, 'title'],
    ],
    [
      'an id named like a port of every block',
      { text: 'x', buttons: [button('invalid')] },
      ['buttons', 0, 'id'],
    ],
    ['an id with spaces', { text: 'x', buttons: [button('sim agora')] }, ['buttons', 0, 'id']],
    ['an unknown option', { text: 'x', buttons: [button('a')], color: 'red' }, []],
  ])('refuses %s', (_case, bad, path) => {
    const parsed = definition.optionsSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});
