import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import type { ResumeInput } from '../../types.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const options = {
  text: 'Para onde vai, {{contact.name}}?',
  buttonText: 'Ver destinos',
  footer: 'Escolha um destino',
  sections: [
    {
      title: 'Nordeste',
      rows: [
        { id: 'recife', title: 'Recife', description: 'Voo às {{hour}}' },
        { id: 'salvador', title: 'Salvador' },
      ],
    },
    { title: 'Sul', rows: [{ id: 'poa', title: 'Porto Alegre' }] },
  ],
  variable: 'destination',
};
const variables = { hour: '10h' };
const offered = [
  { id: 'recife', title: 'Recife' },
  { id: 'salvador', title: 'Salvador' },
  { id: 'poa', title: 'Porto Alegre' },
];
const waiting = { for: 'input', attempts: 0, data: offered } as const;
const text = (value: string): ResumeInput => ({
  kind: 'message',
  content: { type: 'text', text: value },
});

describe('message.list', () => {
  it('sends the rendered list and waits with what it offered', () => {
    const step = executor.enter(blockContext(definition, options, { variables }));
    expect(step).toEqual({
      send: [
        {
          type: 'list',
          body: 'Para onde vai, Ana Souza?',
          footer: 'Escolha um destino',
          buttonText: 'Ver destinos',
          sections: [
            {
              title: 'Nordeste',
              rows: [
                { id: 'recife', title: 'Recife', description: 'Voo às 10h' },
                { id: 'salvador', title: 'Salvador' },
              ],
            },
            { title: 'Sul', rows: [{ id: 'poa', title: 'Porto Alegre' }] },
          ],
        },
      ],
      next: { wait: 'input', data: offered },
    });
  });

  it('cuts row titles to 24, descriptions to 72 and the button to 20 characters', () => {
    const long = {
      text: 'Escolha',
      buttonText: 'Abrir a lista completa de opções',
      sections: [{ rows: [{ id: 'a', title: 'T'.repeat(30), description: 'D'.repeat(80) }] }],
    };
    const sent = executor.enter(blockContext(definition, long)).send?.[0];
    if (sent?.type !== 'list') throw new Error('expected a list');
    expect(sent.buttonText).toBe('Abrir a lista compl…');
    expect(sent.buttonText.length).toBeLessThanOrEqual(20);
    expect(sent.sections[0]?.rows[0]).toEqual({
      id: 'a',
      title: `${'T'.repeat(23)}…`,
      description: `${'D'.repeat(71)}…`,
    });
  });

  it.each<[string, ResumeInput, string]>([
    [
      'a pick from the list',
      {
        kind: 'message',
        content: { type: 'interactive-reply', kind: 'list', id: 'poa', title: 'Porto Alegre' },
      },
      'poa',
    ],
    ['a number counted across sections', text('3'), 'poa'],
    ['a title without accents', text('porto alegre'), 'poa'],
    ['"opção 2"', text('opcao 2'), 'salvador'],
  ])('takes %s', (_case, input, id) => {
    const step = executor.resume?.(
      blockContext(definition, options, { variables }),
      input,
      waiting,
    );
    expect(step?.set).toEqual({ destination: id });
    expect(step?.next).toEqual({ go: id });
  });

  it.each([
    [
      'pt-BR',
      true,
      'Não entendi sua escolha. Toque em “Ver destinos” na mensagem abaixo e escolha uma das opções, ou responda com o número da opção.',
    ],
    [
      'pt-PT',
      true,
      'Não percebi a sua escolha. Toque em “Ver destinos” na mensagem abaixo e escolha uma das opções, ou responda com o número da opção.',
    ],
    [
      'en',
      true,
      "I didn't catch your choice. Tap “Ver destinos” in the message below and pick one of the options, or reply with the option's number.",
    ],
    ['pt-BR', false, 'Não entendi sua escolha. Responda com o número de uma das opções abaixo.'],
  ] as const)(
    're-asks in %s (lists rendered: %s) and sends the list again',
    (locale, lists, reason) => {
      const context = blockContext(definition, options, {
        variables,
        locale,
        env: { channel: { id: 'c', name: 'c', traits: { buttons: lists, lists } } },
      });
      const step = executor.resume?.(context, text('Curitiba'), waiting);
      expect(step?.send).toEqual([
        { type: 'text', text: reason },
        executor.enter(context).send?.[0],
      ]);
      expect(step?.next).toEqual({ wait: 'input', attempts: 1, data: offered });
    },
  );

  it('takes the invalid port after the last wrong answer', () => {
    const step = executor.resume?.(
      blockContext(definition, { ...options, maxAttempts: 2 }, { variables, ports: ['invalid'] }),
      text('Curitiba'),
      { ...waiting, attempts: 1 },
    );
    expect(step?.next).toEqual({ go: 'invalid' });
  });

  it('declares its ports (rows of every section), needs and variable', () => {
    const parsed = definition.optionsSchema.parse(options);
    expect(definition.ports(parsed)).toEqual(['recife', 'salvador', 'poa', 'invalid']);
    expect(definition.needs?.(parsed)).toEqual(['lists']);
    expect(definition.writes?.(parsed)).toEqual([
      { path: ['variable'], name: 'destination', types: ['string'] },
    ]);
    expect(definition.templates?.(parsed).map((field) => field.path.join('.'))).toContain(
      'sections.0.rows.0.description',
    );
  });

  const rows = (count: number, prefix = 'r') =>
    Array.from({ length: count }, (_, index) => ({
      id: `${prefix}${index}`,
      title: `${prefix} ${index}`,
    }));
  it.each([
    [
      'more than 10 rows across sections',
      {
        sections: [
          { title: 'A', rows: rows(6, 'a') },
          { title: 'B', rows: rows(5, 'b') },
        ],
      },
      ['sections'],
    ],
    ['an empty section', { sections: [{ rows: [] }] }, ['sections', 0, 'rows']],
    [
      'a section without title among several',
      { sections: [{ title: 'A', rows: rows(1, 'a') }, { rows: rows(1, 'b') }] },
      ['sections', 1, 'title'],
    ],
    [
      'an id repeated in another section',
      {
        sections: [
          { title: 'A', rows: [{ id: 'x', title: 'Um' }] },
          { title: 'B', rows: [{ id: 'x', title: 'Dois' }] },
        ],
      },
      ['sections', 1, 'rows', 0, 'id'],
    ],
    [
      'a repeated title',
      {
        sections: [
          {
            rows: [
              { id: 'x', title: 'Um' },
              { id: 'y', title: 'UM' },
            ],
          },
        ],
      },
      ['sections', 0, 'rows', 1, 'title'],
    ],
  ])('refuses %s', (_case, bad, path) => {
    const parsed = definition.optionsSchema.safeParse({ text: 'x', buttonText: 'Ver', ...bad });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});
