import { z } from 'zod';
import type { MessageContent } from './message-content.js';

/**
 * The parts of a message template in a provider-neutral shape (what Meta calls components):
 * an optional header (text or media), a body with variables, an optional footer and buttons.
 * Variables are positional (`{{1}}`, `{{2}}`…) or named (`{{first_name}}`), never both in one
 * template. Pure: shared by the server (validation, sending) and the web (previews).
 */

export const templateHeaderFormats = ['text', 'image', 'video', 'document', 'location'] as const;
export const templateButtonTypes = ['quick_reply', 'url', 'phone_number', 'copy_code'] as const;

export const templateButtonSchema = z.object({
  type: z.enum(templateButtonTypes),
  text: z.string(),
  /** `url` buttons: the address, possibly ending in a `{{1}}` filled when sending. */
  url: z.string().optional(),
  /** `phone_number` buttons: the number called. */
  phoneNumber: z.string().optional(),
});

/** The shape as stored and shown (synced templates may exceed the limits of the input schema). */
export const templateComponentsSchema = z.object({
  header: z
    .object({ format: z.enum(templateHeaderFormats), text: z.string().optional() })
    .optional(),
  body: z.object({ text: z.string() }),
  footer: z.object({ text: z.string() }).optional(),
  buttons: z.array(templateButtonSchema).optional(),
});
export type TemplateComponents = z.infer<typeof templateComponentsSchema>;
export type TemplateButton = z.infer<typeof templateButtonSchema>;

/** WhatsApp's own limits, for templates written in Recado. */
export const templateLimits = {
  headerText: 60,
  bodyText: 1024,
  footerText: 60,
  buttonText: 25,
  buttons: 10,
  url: 2000,
} as const;

/** Components of a template written in Recado: WhatsApp's limits and required fields. */
export const templateComponentsInputSchema = z
  .object({
    header: z
      .object({
        format: z.enum(templateHeaderFormats),
        text: z.string().trim().min(1).max(templateLimits.headerText).optional(),
      })
      .optional(),
    body: z.object({ text: z.string().trim().min(1).max(templateLimits.bodyText) }),
    footer: z.object({ text: z.string().trim().min(1).max(templateLimits.footerText) }).optional(),
    buttons: z
      .array(
        z.object({
          type: z.enum(templateButtonTypes),
          text: z.string().trim().min(1).max(templateLimits.buttonText),
          url: z.url().max(templateLimits.url).optional(),
          phoneNumber: z
            .string()
            .regex(/^\+?[\d\s().-]{5,25}$/, 'must be a phone number')
            .optional(),
        }),
      )
      .max(templateLimits.buttons)
      .optional(),
  })
  .superRefine((components, context) => {
    const { header } = components;
    if (header?.format === 'text' && header.text === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['header', 'text'],
        message: 'a text header needs its text',
      });
    }
    if (header && header.format !== 'text' && header.text !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['header', 'text'],
        message: `a ${header.format} header has no text (the media or location is sent with the message)`,
      });
    }
    components.buttons?.forEach((button, index) => {
      if (button.type === 'url' && button.url === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['buttons', index, 'url'],
          message: 'a url button needs its url',
        });
      }
      if (button.type === 'phone_number' && button.phoneNumber === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['buttons', index, 'phoneNumber'],
          message: 'a phone_number button needs its phoneNumber',
        });
      }
    });
  });

export type TemplateProblem = { path: string; message: string };

const placeholderPattern = /\{\{([^{}]*)\}\}/g;
const positionalName = /^[1-9]\d*$/;
const namedName = /^[a-z_][a-z0-9_]*$/;

/** The variables of a text, distinct, in order of first appearance (`['1', '2']`, `['name']`). */
export function listTextVariables(text: string | undefined): string[] {
  if (!text) return [];
  const names: string[] = [];
  for (const match of text.matchAll(placeholderPattern)) {
    const name = (match[1] ?? '').trim();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The variables of each part that has them; positional ones sorted by number. */
export function listTemplateVariables(components: TemplateComponents): {
  header: string[];
  body: string[];
} {
  const sorted = (names: string[]) =>
    names.every((name) => positionalName.test(name))
      ? [...names].sort((a, b) => Number(a) - Number(b))
      : names;
  const headerText = components.header?.format === 'text' ? components.header.text : undefined;
  return {
    header: sorted(listTextVariables(headerText)),
    body: sorted(listTextVariables(components.body.text)),
  };
}

/**
 * What is wrong with the variables of a template: placeholders that are neither `{{1}}` nor
 * `{{lowercase_name}}`, positional numbers with gaps or not starting at 1, positional mixed
 * with named. Paths are relative to the template (`components.body.text`). Empty when fine.
 */
export function findTemplateVariableProblems(components: TemplateComponents): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const parts = [
    {
      path: 'components.header.text',
      text: components.header?.format === 'text' ? components.header.text : undefined,
    },
    { path: 'components.body.text', text: components.body.text },
  ];
  const kinds = new Set<'positional' | 'named'>();
  for (const part of parts) {
    const names = listTextVariables(part.text);
    const invalid = names.filter((name) => !positionalName.test(name) && !namedName.test(name));
    for (const name of invalid) {
      problems.push({
        path: part.path,
        message: `{{${name}}} is not a variable: use {{1}}, {{2}}… or a lowercase name like {{first_name}}`,
      });
    }
    const positional = names.filter((name) => positionalName.test(name)).map(Number);
    const named = names.filter((name) => namedName.test(name));
    if (positional.length > 0) kinds.add('positional');
    if (named.length > 0) kinds.add('named');
    const expected = positional.map((_, index) => index + 1);
    const actual = [...positional].sort((a, b) => a - b);
    if (actual.some((number, index) => number !== expected[index])) {
      problems.push({
        path: part.path,
        message: `positional variables must be numbered from {{1}} without gaps: found ${actual
          .map((number) => `{{${number}}}`)
          .join(', ')}, expected ${expected.map((number) => `{{${number}}}`).join(', ')}`,
      });
    }
    if (positional.length > 0 && named.length > 0) {
      problems.push({
        path: part.path,
        message: `mixes numbered variables ({{${positional[0]}}}) with named ones ({{${named[0]}}}): use one kind in the whole template`,
      });
    }
  }
  if (kinds.size > 1 && !problems.some((problem) => problem.message.startsWith('mixes'))) {
    problems.push({
      path: 'components',
      message:
        'the header and the body use different kinds of variables (numbered and named): use one kind in the whole template',
    });
  }
  return problems;
}

type TemplateContent = Extract<MessageContent, { type: 'template' }>;
type TemplateParameter = NonNullable<TemplateContent['body']>[number];

/** The text a parameter shows as in a rendered template. */
function parameterText(parameter: TemplateParameter): string {
  switch (parameter.type) {
    case 'text':
      return parameter.text;
    case 'currency':
    case 'date_time':
      return parameter.fallback;
    case 'image':
    case 'video':
    case 'document':
      return parameter.url;
  }
}

function describeVariables(names: string[]): string {
  return names.map((name) => `{{${name}}}`).join(', ');
}

/** Checks one part's parameters against its variables; fills `values` (variable → text). */
function checkTextParameters(
  part: 'header' | 'body',
  names: string[],
  parameters: TemplateParameter[],
  values: Map<string, string>,
): TemplateProblem[] {
  const path = `body.content.${part}`;
  if (parameters.length !== names.length) {
    const expected =
      names.length === 0
        ? `the template's ${part} has no variables: expected no parameters`
        : `the template's ${part} has ${names.length} variable${names.length === 1 ? '' : 's'} (${describeVariables(names)}): expected ${names.length} parameter${names.length === 1 ? '' : 's'}`;
    return [{ path, message: `${expected}, got ${parameters.length}` }];
  }
  const isNamed = names.some((name) => !positionalName.test(name));
  const problems: TemplateProblem[] = [];
  parameters.forEach((parameter, index) => {
    if (!isNamed) {
      values.set(names[index] ?? String(index + 1), parameterText(parameter));
      return;
    }
    const name = parameter.type === 'text' ? parameter.name : undefined;
    if (name === undefined || !names.includes(name)) {
      problems.push({
        path: `${path}.${index}.name`,
        message: `the template uses named variables: give each parameter the name of one of ${describeVariables(names)}`,
      });
      return;
    }
    values.set(name, parameterText(parameter));
  });
  const missing = names.filter((name) => !values.has(name));
  if (problems.length === 0 && missing.length > 0) {
    problems.push({ path, message: `no parameter for ${describeVariables(missing)}` });
  }
  return problems;
}

/**
 * Checks a template message against its template: as many header and body parameters as the
 * template has variables (media headers take one parameter of their kind), named parameters
 * matching named variables. Answers the problems (paths as in a send request) or the body text
 * with its variables filled in.
 */
export function renderTemplateMessage(
  components: TemplateComponents,
  content: TemplateContent,
): { ok: true; renderedText: string } | { ok: false; problems: TemplateProblem[] } {
  const variables = listTemplateVariables(components);
  const problems: TemplateProblem[] = [];
  const header = content.header ?? [];
  const format = components.header?.format;
  if (format === 'image' || format === 'video' || format === 'document') {
    if (header.length !== 1 || header[0]?.type !== format) {
      problems.push({
        path: 'body.content.header',
        message: `the template's header is a ${format}: expected 1 parameter of type ${format}, got ${
          header.length === 1 ? `one of type ${header[0]?.type}` : header.length
        }`,
      });
    }
  } else if (format !== 'location') {
    problems.push(...checkTextParameters('header', variables.header, header, new Map()));
  }
  const values = new Map<string, string>();
  problems.push(...checkTextParameters('body', variables.body, content.body ?? [], values));
  if (problems.length > 0) return { ok: false, problems };
  const renderedText = components.body.text.replace(
    placeholderPattern,
    (placeholder, name: string) => values.get(name.trim()) ?? placeholder,
  );
  return { ok: true, renderedText };
}
