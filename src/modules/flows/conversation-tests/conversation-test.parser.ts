import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  type ConversationTestFile,
  conversationTestFileSchema,
  type UserStep,
} from './conversation-test.schema.js';

/** Something wrong in a conversation test file, where it is (1-based line and column). */
export type ConversationTestProblem = {
  line: number;
  column: number;
  /** `tests[0].steps[3].bot`; empty for the file as a whole. */
  path: string;
  message: string;
};

/** A conversation test file that cannot be run, with every problem found and its line. */
export class ConversationTestFormatError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConversationTestProblem[],
  ) {
    super(
      [
        `${file} is not a valid conversation test:`,
        ...problems.map(
          (problem) =>
            `  ${file}:${problem.line}:${problem.column} ${problem.path ? `${problem.path}: ` : ''}${problem.message}`,
        ),
      ].join('\n'),
    );
    this.name = 'ConversationTestFormatError';
  }
}

/** A conversation test file read and checked, with what it refers to. */
export type LoadedConversationTests = {
  /** As given (for messages). */
  file: string;
  /** The YAML file's folder: `flow` and fixtures are relative to it. */
  directory: string;
  spec: ConversationTestFile;
  /** The flow's JSON document, as written (the flows API validates it when publishing). */
  flow: Record<string, unknown>;
};

type Position = { line: number; column: number };

/**
 * Parses the YAML text of a conversation test and checks it against the format. Throws a
 * `ConversationTestFormatError` listing every problem with its line. `locate` gives the line of
 * any path in the file (for checks made later, e.g. a fixture that does not exist).
 */
export function parseConversationTests(
  text: string,
  file: string,
): { spec: ConversationTestFile; locate(path: (string | number)[]): Position } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positionAt = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (document.errors.length > 0) {
    throw new ConversationTestFormatError(
      file,
      document.errors.map((error) => ({
        ...positionAt(error.pos[0]),
        path: '',
        message: `YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const locate = (at: (string | number)[]) => positionAt(offsetOf(document, at));
  const parsed = conversationTestFileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    // A misspelt key also leaves its object short of what it needs: the unknown key says it.
    const misspelt = new Set(
      parsed.error.issues
        .filter((issue) => issue.code === 'unrecognized_keys')
        .map((issue) => JSON.stringify(issue.path)),
    );
    const issues = parsed.error.issues.filter(
      (issue) => issue.code !== 'custom' || !misspelt.has(JSON.stringify(issue.path)),
    );
    throw new ConversationTestFormatError(
      file,
      issues.map((issue) => describeIssue(document, issue, positionAt)),
    );
  }
  return { spec: parsed.data, locate };
}

/** Reads a `.test.yaml` file, its flow document and checks that its fixtures exist. */
export async function loadConversationTests(file: string): Promise<LoadedConversationTests> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConversationTestFormatError(file, [
      { line: 1, column: 1, path: '', message: `cannot be read (${reasonOf(error)})` },
    ]);
  }
  const { spec, locate } = parseConversationTests(text, file);
  const directory = path.dirname(path.resolve(file));
  const problems: ConversationTestProblem[] = [];
  const flowPath = path.resolve(directory, spec.flow);
  let flow: Record<string, unknown> = {};
  try {
    const document: unknown = JSON.parse(await readFile(flowPath, 'utf8'));
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw new Error('it holds no JSON object');
    }
    flow = document as Record<string, unknown>;
  } catch (error) {
    problems.push({
      ...locate(['flow']),
      path: 'flow',
      message: `${spec.flow} cannot be read as a flow document (${reasonOf(error)})`,
    });
  }
  for (const [testIndex, test] of spec.tests.entries()) {
    for (const [stepIndex, step] of test.steps.entries()) {
      const fixture = (step.user as UserStep | undefined)?.file;
      if (fixture === undefined) continue;
      const at = ['tests', testIndex, 'steps', stepIndex, 'user', 'file'];
      try {
        await access(path.resolve(directory, fixture));
      } catch {
        problems.push({
          ...locate(at),
          path: pathText(at),
          message: `the file ${fixture} does not exist (paths are relative to the YAML file)`,
        });
      }
    }
  }
  for (const [index, page] of (spec.portal ?? []).entries()) {
    const at = ['portal', index, 'file'];
    try {
      await access(path.resolve(directory, page.file));
    } catch {
      problems.push({
        ...locate(at),
        path: pathText(at),
        message: `the file ${page.file} does not exist (paths are relative to the YAML file)`,
      });
    }
  }
  if (problems.length > 0) throw new ConversationTestFormatError(file, problems);
  return { file, directory, spec, flow };
}

function describeIssue(
  document: Document,
  issue: z.core.$ZodIssue,
  positionAt: (offset: number) => Position,
): ConversationTestProblem {
  const at = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    // Point at the first unknown key itself, not at the map that holds it.
    const map = document.getIn(at, true);
    const key = isMap(map)
      ? map.items.find((pair) => isScalar(pair.key) && issue.keys.includes(String(pair.key.value)))
          ?.key
      : undefined;
    const offset = isNode(key) && key.range ? key.range[0] : offsetOf(document, at);
    const names = issue.keys.map((name) => `"${name}"`).join(', ');
    return {
      ...positionAt(offset),
      path: pathText(at),
      message: `unknown key ${names}${hintFor(issue.keys)}`,
    };
  }
  return { ...positionAt(offsetOf(document, at)), path: pathText(at), message: issue.message };
}

/** Keys people are likely to mistype, and what they meant. */
const knownKeys = [
  'flow',
  'channel',
  'contact',
  'tests',
  'name',
  'steps',
  'user',
  'bot',
  'wait',
  'text',
  'button',
  'file',
  'caption',
  'location',
  'exact',
  'contains',
  'regex',
  'buttons',
  'list',
  'image',
  'document',
  'none',
  'minutes',
  'hours',
  'seconds',
  'days',
];

function hintFor(keys: string[]): string {
  const [key] = keys;
  if (key === undefined) return '';
  let close: string | undefined;
  let closest = 3;
  for (const known of knownKeys) {
    const distance = editDistance(known, key);
    if (distance > 0 && distance < closest) {
      close = known;
      closest = distance;
    }
  }
  return close ? ` (did you mean "${close}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      previous[j] = Math.min(
        above + 1,
        (previous[j - 1] ?? 0) + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/** Where a path starts in the text: the deepest node of the path that exists. */
function offsetOf(document: Document, at: (string | number)[]): number {
  for (let length = at.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(at.slice(0, length), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** `tests[0].steps[3].bot` */
export function pathText(at: readonly (string | number)[]): string {
  return at
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`,
    )
    .join('');
}

function reasonOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && error.code === 'ENOENT') {
    return 'no such file';
  }
  return error instanceof Error ? error.message : String(error);
}
