import { describe, expect, it } from 'vitest';
import {
  findTemplateVariableProblems,
  listTemplateVariables,
  listTextVariables,
  renderTemplateMessage,
  type TemplateComponents,
} from './template-components.js';

const body = (text: string): TemplateComponents => ({ body: { text } });

describe('template variables', () => {
  it.each([
    ['no variables', [], 'Olá!'],
    ['numbered, repeated, out of order', ['2', '1'], '{{2}} e {{1}} e {{2}}'],
    ['named', ['first_name', 'pedido'], 'Oi {{first_name}}, pedido {{pedido}}'],
    ['spaces inside the braces', ['1'], 'Oi {{ 1 }}'],
  ])('%s', (_name, expected, text) => {
    expect(listTextVariables(text)).toEqual(expected);
  });

  it('sorts numbered variables by number, keeps named ones in order', () => {
    expect(
      listTemplateVariables(body('{{2}} {{10}} {{1}} {{3}} {{4}} {{5}} {{6}} {{7}} {{8}} {{9}}'))
        .body,
    ).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(listTemplateVariables(body('{{b}} {{a}}')).body).toEqual(['b', 'a']);
    expect(
      listTemplateVariables({ header: { format: 'image' }, body: { text: 'x' } }).header,
    ).toEqual([]);
  });

  it.each([
    ['{{1}} {{2}}', []],
    ['{{nome}} {{sobrenome_2}}', []],
    ['{{1}} {{1}}', []],
    ['{{2}}', [/without gaps/]],
    ['{{1}} {{3}}', [/without gaps/]],
    ['{{1}} {{nome}}', [/mixes numbered/]],
    ['{{Nome}}', [/not a variable/]],
    ['{{0}}', [/not a variable/]],
    ['{{}}', [/not a variable/]],
  ])('%s', (text, messages) => {
    const problems = findTemplateVariableProblems(body(text));
    expect(problems.map((problem) => problem.message)).toEqual(
      messages.map((message) => expect.stringMatching(message)),
    );
  });

  it('refuses a numbered header with a named body', () => {
    const problems = findTemplateVariableProblems({
      header: { format: 'text', text: 'Pedido {{1}}' },
      body: { text: 'Oi {{nome}}' },
    });
    expect(problems).toEqual([{ path: 'components', message: expect.stringMatching(/one kind/) }]);
  });
});

describe('renderTemplateMessage', () => {
  const template = { type: 'template' as const, name: 't', language: 'pt_BR' };

  it('fills numbered variables, in number order, with every parameter kind', () => {
    const result = renderTemplateMessage(body('{{2}}, {{1}}: {{3}} em {{2}}'), {
      ...template,
      body: [
        { type: 'text', text: 'Ana' },
        { type: 'currency', fallback: 'R$ 10,00', code: 'BRL', amount1000: 10_000 },
        { type: 'date_time', fallback: 'amanhã' },
      ],
    });
    expect(result).toEqual({ ok: true, renderedText: 'R$ 10,00, Ana: amanhã em R$ 10,00' });
  });

  it('fills named variables by name, whatever the order', () => {
    const result = renderTemplateMessage(body('{{a}} e {{b}}'), {
      ...template,
      body: [
        { type: 'text', name: 'b', text: 'B' },
        { type: 'text', name: 'a', text: 'A' },
      ],
    });
    expect(result).toEqual({ ok: true, renderedText: 'A e B' });
  });

  it('reports too many, too few, unnamed and unknown names', () => {
    const two = renderTemplateMessage(body('{{1}} {{2}}'), {
      ...template,
      body: [{ type: 'text', text: 'x' }],
    });
    expect(two).toEqual({
      ok: false,
      problems: [
        { path: 'body.content.body', message: expect.stringMatching(/expected 2.*got 1/) },
      ],
    });
    const none = renderTemplateMessage(body('Olá'), {
      ...template,
      body: [{ type: 'text', text: 'x' }],
    });
    expect(none.ok ? [] : none.problems[0]?.message).toMatch(/no variables.*got 1/);
    const named = renderTemplateMessage(body('{{a}} {{b}}'), {
      ...template,
      body: [
        { type: 'text', name: 'a', text: 'x' },
        { type: 'text', name: 'c', text: 'y' },
      ],
    });
    expect(named.ok ? [] : named.problems.map((problem) => problem.path)).toEqual([
      'body.content.body.1.name',
    ]);
    const repeated = renderTemplateMessage(body('{{a}} {{b}}'), {
      ...template,
      body: [
        { type: 'text', name: 'a', text: 'x' },
        { type: 'text', name: 'a', text: 'y' },
      ],
    });
    expect(repeated.ok ? '' : repeated.problems[0]?.message).toMatch(/no parameter for \{\{b\}\}/);
  });

  it('a media header takes one parameter of its kind; a location header is not checked', () => {
    const image = { header: { format: 'image' as const }, body: { text: 'Oi' } };
    expect(
      renderTemplateMessage(image, {
        ...template,
        header: [{ type: 'image', url: 'https://x.test/a.png' }],
      }).ok,
    ).toBe(true);
    expect(renderTemplateMessage(image, template)).toMatchObject({
      ok: false,
      problems: [{ path: 'body.content.header' }],
    });
    const location = { header: { format: 'location' as const }, body: { text: 'Oi' } };
    expect(renderTemplateMessage(location, template).ok).toBe(true);
  });
});
