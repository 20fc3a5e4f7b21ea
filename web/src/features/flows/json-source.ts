/**
 * A JSON reader for the flow editor: the value, where each value (and its key) sits in the
 * text, and, for text that is not JSON, the first mistake with its line and column. With the
 * positions an issue's path (`['blocks', 'ask-email', 'options', 'prompt']`) becomes a
 * selection in the editor. Pure: no DOM.
 */

export type JsonPath = readonly (string | number)[];

/** Character offsets in the text, `end` exclusive. */
export type TextRange = { start: number; end: number };

export type JsonNodeKind = 'object' | 'array' | 'value';

/** Where one value of the document is written: itself, and its key inside an object. */
export type JsonNodeRange = { kind: JsonNodeKind; value: TextRange; key?: TextRange };

export type JsonSyntaxErrorCode =
  | 'empty'
  | 'unexpected-end'
  | 'expected-value'
  | 'expected-key'
  | 'expected-colon'
  | 'expected-comma-or-brace'
  | 'expected-comma-or-bracket'
  | 'unterminated-string'
  | 'invalid-escape'
  | 'control-character'
  | 'invalid-number'
  | 'duplicate-key'
  | 'trailing-content';

export type JsonSyntaxError = {
  code: JsonSyntaxErrorCode;
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** The character found where something else was expected, or the repeated key. */
  found?: string;
};

export type JsonSourceMap = ReadonlyMap<string, JsonNodeRange>;

export type ParsedJsonSource =
  | { ok: true; value: unknown; ranges: JsonSourceMap }
  | { ok: false; error: JsonSyntaxError };

/** The map key of a path (paths are compared by value). */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** Line and column (1-based) of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = text.indexOf('\n'); index !== -1 && index < end; ) {
    line++;
    lineStart = index + 1;
    index = text.indexOf('\n', lineStart);
  }
  return { line, column: end - lineStart + 1 };
}

class SyntaxFailure {
  constructor(
    readonly code: JsonSyntaxErrorCode,
    readonly offset: number,
    readonly found?: string,
  ) {}
}

const escapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses `text` as strict JSON (RFC 8259; a key repeated in one object is a mistake too). */
export function parseJsonSource(text: string): ParsedJsonSource {
  const ranges = new Map<string, JsonNodeRange>();
  let position = 0;

  const fail = (code: JsonSyntaxErrorCode, offset = position, found?: string): never => {
    throw new SyntaxFailure(code, offset, found);
  };
  const skipWhitespace = () => {
    for (;;) {
      const char = text.charCodeAt(position);
      // space, \t, \n, \r
      if (char === 32 || char === 9 || char === 10 || char === 13) position++;
      else return;
    }
  };
  const describeFound = (offset: number) => {
    const codePoint = text.codePointAt(offset);
    return codePoint === undefined ? undefined : String.fromCodePoint(codePoint);
  };

  const readString = (): string => {
    const start = position;
    position++; // the opening quote
    let result = '';
    let chunkStart = position;
    for (;;) {
      if (position >= text.length) fail('unterminated-string', start);
      const char = text.charCodeAt(position);
      if (char === 34) {
        result += text.slice(chunkStart, position);
        position++;
        return result;
      }
      if (char < 32) fail('control-character', position);
      if (char === 92) {
        result += text.slice(chunkStart, position);
        const escaped = text[position + 1];
        if (escaped === undefined) fail('unterminated-string', start);
        else if (escaped === 'u') {
          const hex = text.slice(position + 2, position + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid-escape', position);
          result += String.fromCharCode(Number.parseInt(hex, 16));
          position += 6;
        } else {
          const decoded = escapes[escaped];
          if (decoded === undefined) fail('invalid-escape', position, `\\${escaped}`);
          result += decoded;
          position += 2;
        }
        chunkStart = position;
      } else {
        position++;
      }
    }
  };

  const readValue = (path: (string | number)[], key?: TextRange): unknown => {
    skipWhitespace();
    const start = position;
    const char = text[position];
    if (char === undefined) return fail('unexpected-end');
    if (char === '{') return readObject(path, key);
    if (char === '[') return readArray(path, key);
    let value: unknown;
    if (char === '"') value = readString();
    else if (char === '-' || (char >= '0' && char <= '9')) {
      numberPattern.lastIndex = position;
      const match = numberPattern.exec(text);
      if (!match) return fail('invalid-number', position);
      position += match[0].length;
      // "01" or "1." are not numbers: the next character would otherwise be misreported.
      if (/[0-9.eE]/.test(text[position] ?? '')) return fail('invalid-number', start);
      value = Number(match[0]);
    } else if (text.startsWith('true', position)) {
      value = true;
      position += 4;
    } else if (text.startsWith('false', position)) {
      value = false;
      position += 5;
    } else if (text.startsWith('null', position)) {
      value = null;
      position += 4;
    } else {
      return fail('expected-value', position, describeFound(position));
    }
    ranges.set(pathKey(path), { kind: 'value', value: { start, end: position }, ...keyPart(key) });
    return value;
  };

  const readObject = (path: (string | number)[], key?: TextRange): Record<string, unknown> => {
    const start = position;
    position++; // {
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    skipWhitespace();
    if (text[position] === '}') {
      position++;
    } else {
      for (;;) {
        skipWhitespace();
        if (text[position] === undefined) fail('unexpected-end');
        if (text[position] !== '"') fail('expected-key', position, describeFound(position));
        const keyStart = position;
        const name = readString();
        const keyRange = { start: keyStart, end: position };
        if (seen.has(name)) fail('duplicate-key', keyStart, name);
        seen.add(name);
        skipWhitespace();
        if (text[position] === undefined) fail('unexpected-end');
        if (text[position] !== ':') fail('expected-colon', position, describeFound(position));
        position++;
        const value = readValue([...path, name], keyRange);
        // Own property even for "__proto__", as JSON.parse does.
        Object.defineProperty(result, name, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skipWhitespace();
        const next = text[position];
        if (next === ',') {
          position++;
          continue;
        }
        if (next === '}') {
          position++;
          break;
        }
        if (next === undefined) fail('unexpected-end');
        fail('expected-comma-or-brace', position, describeFound(position));
      }
    }
    ranges.set(pathKey(path), { kind: 'object', value: { start, end: position }, ...keyPart(key) });
    return result;
  };

  const readArray = (path: (string | number)[], key?: TextRange): unknown[] => {
    const start = position;
    position++; // [
    const result: unknown[] = [];
    skipWhitespace();
    if (text[position] === ']') {
      position++;
    } else {
      for (;;) {
        result.push(readValue([...path, result.length]));
        skipWhitespace();
        const next = text[position];
        if (next === ',') {
          position++;
          continue;
        }
        if (next === ']') {
          position++;
          break;
        }
        if (next === undefined) fail('unexpected-end');
        fail('expected-comma-or-bracket', position, describeFound(position));
      }
    }
    ranges.set(pathKey(path), { kind: 'array', value: { start, end: position }, ...keyPart(key) });
    return result;
  };

  try {
    skipWhitespace();
    if (position >= text.length) fail('empty');
    const value = readValue([]);
    skipWhitespace();
    if (position < text.length) fail('trailing-content', position, describeFound(position));
    return { ok: true, value, ranges };
  } catch (failure) {
    if (!(failure instanceof SyntaxFailure)) throw failure;
    return {
      ok: false,
      error: {
        code: failure.code,
        offset: failure.offset,
        ...lineColumnAt(text, failure.offset),
        ...(failure.found === undefined ? {} : { found: failure.found }),
      },
    };
  }
}

function keyPart(key: TextRange | undefined): { key?: TextRange } {
  return key ? { key } : {};
}

/**
 * What to select in the editor for an issue at `path`: a plain value itself (the text to
 * fix), an object or list by its key (selecting a whole block helps no one), and for a path
 * that is not written (a missing option) the key of the nearest part that is.
 */
export function selectionForPath(ranges: JsonSourceMap, path: JsonPath): TextRange | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = ranges.get(pathKey(path.slice(0, length)));
    if (!node) continue;
    if (length === path.length && node.kind === 'value') return node.value;
    if (node.key) return node.key;
    return { start: node.value.start, end: node.value.start + 1 };
  }
  return undefined;
}
