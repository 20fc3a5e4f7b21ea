import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import type { ResumeInput, WaitState } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const yesNo = {
  prompt: 'Posso confirmar, {{contact.name}}?',
  variable: 'confirm',
  choices: [
    { id: 'yes', title: 'Sim', synonyms: ['s', 'claro', 'pode ser'] },
    { id: 'no', title: 'Não', synonyms: ['n', 'agora não'] },
  ],
};
const categories = ['Alimentação', 'Transporte', 'Hospedagem', 'Combustível', 'Outros'];
const manyChoices = {
  prompt: 'Qual a categoria?',
  variable: 'category',
  choices: categories.map((title, index) => ({ id: `c${index + 1}`, title })),
};
const text = (value: string): ResumeInput => ({
  kind: 'message',
  content: { type: 'text', text: value },
});

describe('input.choice', () => {
  it('shows up to 3 choices as buttons', () => {
    const step = executor.enter(blockContext(definition, yesNo));
    const offered = [
      { id: 'yes', title: 'Sim' },
      { id: 'no', title: 'Não' },
    ];
    expect(step).toEqual({
      send: [{ type: 'buttons', body: 'Posso confirmar, Ana Souza?', buttons: offered }],
      next: { wait: 'input', data: offered },
    });
  });

  it('shows 4 to 10 choices as a list', () => {
    const sent = executor.enter(blockContext(definition, manyChoices)).send?.[0];
    expect(sent).toMatchObject({
      type: 'list',
      body: 'Qual a categoria?',
      buttonText: 'Ver opções',
      sections: [{ rows: [{ id: 'c1', title: 'Alimentação' }, { id: 'c2' }, {}, {}, {}] }],
    });
  });

  it.each([
    ['pt-BR', 'Responda com o número da opção.'],
    ['en', 'Reply with the number of your choice.'],
  ] as const)('shows numbered text when asked to (%s)', (locale, hint) => {
    const sent = executor.enter(
      blockContext(definition, { ...manyChoices, display: 'text' }, { locale }),
    ).send?.[0];
    expect(sent).toEqual({
      type: 'text',
      text: `Qual a categoria?\n\n1. Alimentação\n2. Transporte\n3. Hospedagem\n4. Combustível\n5. Outros\n\n_${hint}_`,
    });
  });

  it.each<[string, ResumeInput, string]>([
    [
      'a tap',
      {
        kind: 'message',
        content: { type: 'interactive-reply', kind: 'button', id: 'no', title: 'Não' },
      },
      'no',
    ],
    ['the number', text('1'), 'yes'],
    ['the title without accents', text('nao'), 'no'],
    ['a synonym', text('Claro!'), 'yes'],
    ['a synonym of several words, accents aside', text('Agora nao'), 'no'],
  ])('takes %s', (_case, input, id) => {
    const waiting: WaitState = {
      for: 'input',
      attempts: 0,
      data: [
        { id: 'yes', title: 'Sim' },
        { id: 'no', title: 'Não' },
      ],
    };
    const step = executor.resume?.(blockContext(definition, yesNo), input, waiting);
    expect(step?.set).toEqual({ confirm: id });
    expect(step?.next).toEqual({ go: id });
  });

  it('reads the number of a numbered-text question', () => {
    const context = blockContext(definition, { ...manyChoices, display: 'text' });
    const data = executor.enter(context).next;
    const step = executor.resume?.(context, text('4'), {
      for: 'input',
      attempts: 0,
      data: 'wait' in data ? data.data : undefined,
    });
    expect(step?.set).toEqual({ category: 'c4' });
    expect(step?.next).toEqual({ go: 'c4' });
  });

  it.each([
    [
      'buttons',
      yesNo,
      'Não entendi sua escolha. Toque em um dos botões da mensagem abaixo ou responda com o número da opção.',
    ],
    [
      'a list',
      manyChoices,
      'Não entendi sua escolha. Toque em “Ver opções” na mensagem abaixo e escolha uma das opções, ou responda com o número da opção.',
    ],
    [
      'numbered text',
      { ...manyChoices, display: 'text' },
      'Não entendi sua escolha. Responda com o número de uma das opções abaixo.',
    ],
  ])(
    're-asks a question shown as %s with the retry prompt and the reason',
    (_case, options, reason) => {
      const context = blockContext(definition, { ...options, retryPrompt: 'Hum…' });
      const step = executor.resume?.(context, text('talvez'), { for: 'input', attempts: 0 });
      expect(step?.send).toEqual([
        { type: 'text', text: `Hum…\n${reason}` },
        executor.enter(context).send?.[0],
      ]);
      expect(step?.next).toEqual({ wait: 'input', attempts: 1 });
    },
  );

  it.each([
    ['pt-PT', 'Não percebi a sua escolha. Toque num dos botões'],
    ['en', "I didn't catch your choice. Tap one of the buttons"],
  ] as const)('explains in %s', (locale, start) => {
    const step = executor.resume?.(blockContext(definition, yesNo, { locale }), text('?'), {
      for: 'input',
      attempts: 0,
    });
    expect(step?.send?.[0]).toMatchObject({ text: expect.stringMatching(new RegExp(`^${start}`)) });
  });

  it('takes the invalid port after the last wrong answer', () => {
    const step = executor.resume?.(
      blockContext(definition, yesNo, { ports: ['invalid'] }),
      text('talvez'),
      { for: 'input', attempts: 2 },
    );
    expect(step?.next).toEqual({ go: 'invalid' });
  });

  it.each([
    [yesNo, ['buttons']],
    [manyChoices, ['lists']],
    [{ ...manyChoices, display: 'text' }, []],
    [{ ...yesNo, display: 'list' }, ['lists']],
  ])('declares what the channel must render (%#)', (options, needs) => {
    expect(definition.needs?.(definition.optionsSchema.parse(options))).toEqual(needs);
  });

  it('declares its ports and variable', () => {
    const parsed = definition.optionsSchema.parse(yesNo);
    expect(definition.ports(parsed)).toEqual(['yes', 'no', 'invalid']);
    expect(definition.writes?.(parsed)).toEqual([
      { path: ['variable'], name: 'confirm', types: ['string'] },
    ]);
  });

  it.each([
    ['four choices as buttons', { ...manyChoices, display: 'buttons' }, ['display']],
    [
      'eleven choices as a list',
      {
        ...manyChoices,
        display: 'list',
        choices: Array.from({ length: 11 }, (_, i) => ({ id: `c${i}`, title: `C ${i}` })),
      },
      ['display'],
    ],
    [
      'a repeated id',
      {
        ...yesNo,
        choices: [
          { id: 'a', title: 'A' },
          { id: 'a', title: 'B' },
        ],
      },
      ['choices', 1, 'id'],
    ],
    [
      'a synonym naming another choice',
      {
        ...yesNo,
        choices: [
          { id: 'yes', title: 'Sim' },
          { id: 'no', title: 'Não', synonyms: ['sim'] },
        ],
      },
      ['choices', 1, 'synonyms', 0],
    ],
    ['no variable', { prompt: 'x', choices: yesNo.choices }, ['variable']],
  ])('refuses %s', (_case, bad, path) => {
    const parsed = definition.optionsSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});
