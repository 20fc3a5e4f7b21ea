import { describe, expect, it } from 'vitest';
import { blockContext } from '../../testing/block-context.js';
import { definition } from './definition.js';
import { executor } from './execute.js';

const options = {
  prompt: 'Qual é o seu nome, {{contact.name}}?',
  variable: 'name',
  minLength: 2,
  maxLength: 20,
};

describe('input.text', () => {
  it('asks with the rendered prompt and waits', () => {
    const step = executor.enter(blockContext(definition, options));
    expect(step).toEqual({
      send: [{ type: 'text', text: 'Qual é o seu nome, Ana Souza?' }],
      next: { wait: 'input' },
    });
  });

  it.each([
    ['  Maria  ', { ok: 'Maria' }],
    ['M', { reason: 'Sua resposta está curta demais: envie pelo menos 2 caracteres.' }],
    ['x'.repeat(21), { reason: 'Sua resposta está longa demais: envie no máximo 20 caracteres.' }],
  ])('reads %j', (text, expected) => {
    const context = blockContext(definition, options, { ports: ['invalid'] });
    const step = executor.resume?.(
      context,
      { kind: 'message', content: { type: 'text', text } },
      { for: 'input', attempts: 0 },
    );
    if ('ok' in expected) {
      expect(step?.set).toEqual({ name: expected.ok });
      expect(step?.next).toEqual({ go: 'next' });
    } else {
      expect(step?.send?.[0]).toEqual({ type: 'text', text: expected.reason });
      expect(step?.send?.[1]).toEqual({ type: 'text', text: 'Qual é o seu nome, Ana Souza?' });
      expect(step?.next).toEqual({ wait: 'input', attempts: 1 });
    }
  });

  it('asks again for text when a photo without caption comes', () => {
    const step = executor.resume?.(
      blockContext(definition, options),
      { kind: 'message', content: { type: 'image', mediaId: 'm1' } as never },
      { for: 'input', attempts: 0 },
    );
    expect(step?.send?.[0]).toMatchObject({ text: expect.stringContaining('mensagem de texto') });
  });

  it('takes the invalid port after the last wrong answer, only when it has an edge', () => {
    const input = { kind: 'message', content: { type: 'text', text: 'M' } } as const;
    const waiting = { for: 'input', attempts: 2 } as const;
    const connected = executor.resume?.(
      blockContext(definition, options, { ports: ['invalid'] }),
      input,
      waiting,
    );
    expect(connected?.next).toEqual({ go: 'invalid' });
    expect(connected?.send).toBeUndefined();
    const loose = executor.resume?.(blockContext(definition, options), input, waiting);
    expect(loose?.next).toEqual({ wait: 'input', attempts: 3 });
  });

  it('refuses options where the minimum exceeds the maximum', () => {
    const parsed = definition.optionsSchema.safeParse({ ...options, minLength: 30 });
    expect(parsed.success).toBe(false);
  });
});
