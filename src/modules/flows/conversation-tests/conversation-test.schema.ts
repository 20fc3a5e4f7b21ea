import { z } from 'zod';

/**
 * The conversation test format (`flows/<name>.test.yaml`, documented in flows/README.md): a
 * flow, the sandbox channel it runs on, and tests made of steps — what the user does (`user:`),
 * what the bot must answer (`bot:`) and time passing (`wait:`).
 */

const nonEmpty = z.string().min(1, 'must not be empty');

/** What the sandbox phone can render: buttons and lists, or plain text only. */
export const channelSettingsSchema = z.strictObject({
  /** false: buttons and lists arrive as numbered text, and the user answers with the number. */
  buttons: z.boolean().default(true),
});
export type ChannelSettings = z.infer<typeof channelSettingsSchema>;

export const contactSettingsSchema = z.strictObject({
  /** The WhatsApp profile name the simulated user has (`{{contact.name}}`). */
  name: z.string().trim().min(1).max(120),
});

const userActionSchema = z
  .strictObject({
    text: nonEmpty.max(4096).optional(),
    /** A tap on a button or list row the bot offered: its title (any case) or its id. */
    button: nonEmpty.max(256).optional(),
    /** A file beside the YAML file (e.g. `fixtures/photo.jpg`). */
    file: nonEmpty.max(1000).optional(),
    /** The file's caption. */
    caption: z.string().min(1).max(1024).optional(),
    location: z
      .strictObject({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        name: z.string().min(1).max(1000).optional(),
      })
      .optional(),
  })
  .superRefine((action, context) => {
    const given = (['text', 'button', 'file', 'location'] as const).filter(
      (key) => action[key] !== undefined,
    );
    if (given.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `the user does one thing: text, button, file or location (here: ${given.length === 0 ? 'none' : given.join(', ')})`,
      });
    }
    if (action.caption !== undefined && action.file === undefined) {
      context.addIssue({ code: 'custom', path: ['caption'], message: 'goes with a file' });
    }
  });

/** A string is short for `{ text: ... }`. */
export const userStepSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { text: value } : value),
  userActionSchema,
);
export type UserStep = z.infer<typeof userStepSchema>;

const mediaExpectation = z.union([
  z.literal(true),
  z.strictObject({
    mimeType: nonEmpty.max(255).optional(),
    filename: nonEmpty.max(255).optional(),
  }),
]);

/** Every key given must hold for the message (e.g. `contains` and `buttons` together). */
export const botExpectationSchema = z
  .strictObject({
    /** The whole text (a buttons or list message's body, a media caption). */
    exact: z.string().optional(),
    /** Parts of the text; all of them must appear. */
    contains: z.union([nonEmpty, z.array(nonEmpty).min(1)]).optional(),
    /** A regular expression the text matches: `"^Olá"` or `"/olá/i"`. */
    regex: nonEmpty.optional(),
    /** Reply buttons offered, by title, in order. */
    buttons: z.array(nonEmpty).min(1).max(3).optional(),
    /** List rows offered, by title, in order. */
    list: z.array(nonEmpty).min(1).max(10).optional(),
    image: mediaExpectation.optional(),
    document: mediaExpectation.optional(),
    /** Nothing more was said (until the next step). */
    none: z.literal(true).optional(),
  })
  .superRefine((expectation, context) => {
    const keys = Object.keys(expectation);
    if (keys.length === 0) {
      context.addIssue({
        code: 'custom',
        message:
          'say what the bot answers: exact, contains, regex, buttons, list, image, document or none',
      });
    }
    if (expectation.none && keys.length > 1) {
      context.addIssue({
        code: 'custom',
        path: ['none'],
        message: '"none" stands alone: it says the bot sent nothing',
      });
    }
    if (expectation.regex !== undefined && compileRegex(expectation.regex) instanceof Error) {
      context.addIssue({
        code: 'custom',
        path: ['regex'],
        message: `is not a valid regular expression (${(compileRegex(expectation.regex) as Error).message})`,
      });
    }
    if (expectation.buttons && expectation.list) {
      context.addIssue({
        code: 'custom',
        path: ['list'],
        message: 'a message offers buttons or a list, not both',
      });
    }
  });
export type BotExpectation = z.infer<typeof botExpectationSchema>;

export const waitStepSchema = z
  .strictObject({
    days: z.number().min(0).max(30).optional(),
    hours: z.number().min(0).max(720).optional(),
    minutes: z.number().min(0).max(43_200).optional(),
    seconds: z.number().min(0).max(2_592_000).optional(),
  })
  .refine((wait) => durationMs(wait) > 0, 'say how long: days, hours, minutes or seconds');
export type WaitStep = z.infer<typeof waitStepSchema>;

export const stepSchema = z
  .strictObject({
    user: userStepSchema.optional(),
    /** A string is short for `{ exact: ... }`. */
    bot: z
      .preprocess(
        (value) => (typeof value === 'string' ? { exact: value } : value),
        botExpectationSchema,
      )
      .optional(),
    wait: waitStepSchema.optional(),
  })
  .superRefine((step, context) => {
    const kinds = Object.keys(step);
    if (kinds.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `a step is one of user:, bot: or wait: (this one has ${kinds.length === 0 ? 'none' : kinds.join(', ')})`,
      });
    }
  });
export type Step = z.infer<typeof stepSchema>;

export const conversationTestSchema = z.strictObject({
  name: nonEmpty.max(200),
  /** Overrides the file's channel for this test. */
  channel: channelSettingsSchema.optional(),
  contact: contactSettingsSchema.optional(),
  steps: z.array(stepSchema).min(1, 'a test has at least one step'),
});
export type ConversationTest = z.infer<typeof conversationTestSchema>;

export const conversationTestFileSchema = z
  .strictObject({
    /** The flow's JSON document, relative to the YAML file. */
    flow: nonEmpty.max(1000),
    channel: channelSettingsSchema.default({ buttons: true }),
    contact: contactSettingsSchema.optional(),
    /**
     * Pages of a local stand-in for the tax authorities' NFC-e consultation portals: a request
     * whose path and query start with `path` gets `file` (relative to the YAML file). The runner
     * points NFCE_PORTAL_OVERRIDE of the Recado it boots at that server.
     */
    portal: z
      .array(
        z.strictObject({
          path: nonEmpty.max(2000).regex(/^\//, 'starts with "/" (the URL path and query)'),
          file: nonEmpty.max(1000),
          status: z.number().int().min(200).max(599).default(200),
        }),
      )
      .max(500)
      .optional(),
    tests: z.array(conversationTestSchema).min(1, 'list at least one test'),
  })
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.tests.forEach((test, index) => {
      if (seen.has(test.name)) {
        context.addIssue({
          code: 'custom',
          path: ['tests', index, 'name'],
          message: `another test is already named "${test.name}"`,
        });
      }
      seen.add(test.name);
    });
  });
export type ConversationTestFile = z.infer<typeof conversationTestFileSchema>;

export function durationMs(wait: {
  days?: number | undefined;
  hours?: number | undefined;
  minutes?: number | undefined;
  seconds?: number | undefined;
}): number {
  const seconds = (wait.days ?? 0) * 86_400 + (wait.hours ?? 0) * 3_600 + (wait.minutes ?? 0) * 60;
  return Math.round((seconds + (wait.seconds ?? 0)) * 1000);
}

/** `"^Olá"` (case-sensitive) or `"/olá/i"` (with flags); an Error when it does not compile. */
export function compileRegex(source: string): RegExp | Error {
  const literal = /^\/(.+)\/([dgimsuvy]*)$/s.exec(source);
  try {
    if (literal?.[1] !== undefined) {
      // Stateless matching: no `g` or `y` (they make `test` remember where it stopped).
      const flags = (literal[2] ?? '').replace(/[gy]/g, '');
      return new RegExp(
        literal[1],
        flags.includes('u') || flags.includes('v') ? flags : `${flags}u`,
      );
    }
    return new RegExp(source, 'u');
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
