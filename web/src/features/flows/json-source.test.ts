import { describe, expect, it } from 'vitest';
import {
  type JsonSyntaxErrorCode,
  lineColumnAt,
  parseJsonSource,
  selectionForPath,
} from './json-source';

const flowText = `{
  "name": "Atendimento",
  "start": "ask-email",
  "blocks": {
    "ask-email": {
      "type": "input.email",
      "options": { "prompt": "", "variable": "email" },
      "next": "bye"
    },
    "bye": { "type": "message.text", "options": { "text": "Tchau" } }
  },
  "tags": [1, -2.5e3, true, null, "\\u00e9\\n"]
}`;

function parsed(text: string) {
  const result = parseJsonSource(text);
  if (!result.ok) throw new Error(`not JSON: ${JSON.stringify(result.error)}`);
  return result;
}

function selected(text: string, path: (string | number)[]): string | undefined {
  const range = selectionForPath(parsed(text).ranges, path);
  return range ? text.slice(range.start, range.end) : undefined;
}

describe('parseJsonSource', () => {
  it.each([
    ['a flow document', flowText],
    ['a bare string with escapes', '"a\\"b\\\\c\\/\\b\\f\\r\\t\\u0041"'],
    ['numbers', '[0, -0, 1.5, 2e10, 3E-2, -12.25e+3]'],
    ['empty containers', '{"a": {}, "b": [], "c": [[]]}'],
    ['surrounding whitespace', ' \n\t {"a":1} \r\n'],
  ])('reads %s as JSON.parse does', (_name, text) => {
    expect(parsed(text).value).toEqual(JSON.parse(text));
  });

  it('keeps "__proto__" as an own key, as JSON.parse does', () => {
    const value = parsed('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[string, string, JsonSyntaxErrorCode, number, number, string?]>([
    ['nothing', '   ', 'empty', 1, 4],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 'expected-comma-or-brace', 3, 3, '"'],
    ['a trailing comma', '{\n  "a": 1,\n}', 'expected-key', 3, 1, '}'],
    ['a missing colon', '{"a" 1}', 'expected-colon', 1, 6, '1'],
    ['a single-quoted string', "{'a': 1}", 'expected-key', 1, 2, "'"],
    ['a bare word', '{"a": yes}', 'expected-value', 1, 7, 'y'],
    ['an unterminated string', '{"a": "abc', 'unterminated-string', 1, 7],
    ['an unclosed object', '{"a": 1', 'unexpected-end', 1, 8],
    ['an unclosed array', '[1, 2', 'unexpected-end', 1, 6],
    ['a list without comma', '[1 2]', 'expected-comma-or-bracket', 1, 4, '2'],
    ['a bad escape', '"a\\x"', 'invalid-escape', 1, 3, '\\x'],
    ['a short unicode escape', '"\\u12"', 'invalid-escape', 1, 2],
    ['a line break in a string', '"a\nb"', 'control-character', 1, 3],
    ['a leading zero', '[01]', 'invalid-number', 1, 2],
    ['a lone minus', '[-]', 'invalid-number', 1, 2],
    ['a repeated key', '{"a": 1,\n "a": 2}', 'duplicate-key', 2, 2, 'a'],
    ['text after the value', '{} x', 'trailing-content', 1, 4, 'x'],
  ])('reports %s with its line and column', (_name, text, code, line, column, found) => {
    const result = parseJsonSource(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code, line, column });
    if (found !== undefined) expect(result.error.found).toBe(found);
  });

  it('counts columns in characters on the line of the mistake', () => {
    expect(lineColumnAt('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});

describe('selectionForPath (an issue becomes a selection in the editor)', () => {
  it.each<[string, (string | number)[], string]>([
    ['a plain value: the value itself', ['blocks', 'ask-email', 'options', 'prompt'], '""'],
    ['an edge', ['blocks', 'ask-email', 'next'], '"bye"'],
    ['a block: its id', ['blocks', 'bye'], '"bye"'],
    ['an options object: its key', ['blocks', 'bye', 'options'], '"options"'],
    ['a list item', ['tags', 1], '-2.5e3'],
    ['a missing option: the nearest written key', ['blocks', 'bye', 'options', 'x'], '"options"'],
    ['a missing port under a missing "on"', ['blocks', 'ask-email', 'on'], '"ask-email"'],
    ['a missing block: "blocks"', ['blocks', 'nope', 'type'], '"blocks"'],
    ['the whole document: its first brace', [], '{'],
  ])('selects %s', (_name, path, expected) => {
    expect(selected(flowText, path)).toBe(expected);
  });

  it('selects the same key for the same path however the text is indented', () => {
    const compact = JSON.stringify(JSON.parse(flowText));
    expect(selected(compact, ['blocks', 'ask-email', 'options', 'prompt'])).toBe('""');
    expect(selected(compact, ['blocks', 'bye'])).toBe('"bye"');
  });
});
