import { z } from 'zod';
import type { BlockDefinition, TemplateField } from '../../types.js';
import { findRepeatedOptions, optionIdSchema } from '../choice-common.js';
import { invalidPort } from '../input-common.js';

/** WhatsApp shows at most 10 rows in a list message, across all its sections. */
export const maxListRows = 10;

export const optionsSchema = z
  .strictObject({
    /** The message's body; a template. */
    text: z.string().min(1).max(4096),
    /** A bold line above the body; a template, cut to 60 characters. */
    header: z.string().min(1).max(200).optional(),
    /** A grey line below the body; a template, cut to 60 characters. */
    footer: z.string().min(1).max(200).optional(),
    /** The button that opens the list ("Ver opções"); a template, cut to 20 characters. */
    buttonText: z.string().min(1).max(100),
    sections: z
      .array(
        z.strictObject({
          /** Required when there is more than one section; a template, cut to 24 characters. */
          title: z.string().min(1).max(100).optional(),
          rows: z
            .array(
              z.strictObject({
                /** Comes back in the reply; the port it leaves through and the value stored. */
                id: optionIdSchema,
                /** A template, cut to 24 characters after rendering. */
                title: z.string().min(1).max(100),
                /** A template, cut to 72 characters after rendering. */
                description: z.string().min(1).max(300).optional(),
              }),
            )
            .min(1, 'a section needs at least one row'),
        }),
      )
      .min(1, 'offer at least one section')
      .max(maxListRows),
    /** Stores the chosen row's id. */
    variable: z.string().min(1).max(64).optional(),
    /** Answers that match no row before the `invalid` port. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
  })
  .superRefine((options, context) => {
    const rows = options.sections.flatMap((section) => section.rows);
    if (rows.length > maxListRows) {
      context.addIssue({
        code: 'custom',
        path: ['sections'],
        message: `WhatsApp shows at most ${maxListRows} rows in a list; these sections have ${rows.length}`,
      });
    }
    if (options.sections.length > 1) {
      options.sections.forEach((section, index) => {
        if (!section.title) {
          context.addIssue({
            code: 'custom',
            path: ['sections', index, 'title'],
            message: 'a list with more than one section needs a title on each section',
          });
        }
      });
    }
    // Ids and titles must be unique across sections: each repeat is reported where it is.
    const located = options.sections.flatMap((section, sectionIndex) =>
      section.rows.map((row, rowIndex) => ({
        ...row,
        path: ['sections', sectionIndex, 'rows', rowIndex],
      })),
    );
    for (const issue of findRepeatedOptions(located)) {
      context.addIssue({
        code: 'custom',
        path: [...(located[issue.index]?.path ?? ['sections']), issue.field],
        message: issue.message,
      });
    }
  });
export type MessageListOptions = z.infer<typeof optionsSchema>;

export const definition: BlockDefinition<MessageListOptions> = {
  type: 'message.list',
  category: 'message',
  title: { 'pt-BR': 'Mensagem com lista', en: 'List message' },
  optionsSchema,
  ports: (options) => [
    ...options.sections.flatMap((section) => section.rows.map((row) => row.id)),
    invalidPort,
  ],
  templates: (options) => {
    const fields: TemplateField[] = [
      { path: ['text'], template: options.text },
      { path: ['buttonText'], template: options.buttonText },
    ];
    if (options.header) fields.push({ path: ['header'], template: options.header });
    if (options.footer) fields.push({ path: ['footer'], template: options.footer });
    options.sections.forEach((section, sectionIndex) => {
      if (section.title) {
        fields.push({ path: ['sections', sectionIndex, 'title'], template: section.title });
      }
      section.rows.forEach((row, rowIndex) => {
        const path = ['sections', sectionIndex, 'rows', rowIndex];
        fields.push({ path: [...path, 'title'], template: row.title });
        if (row.description) {
          fields.push({ path: [...path, 'description'], template: row.description });
        }
      });
    });
    return fields;
  },
  writes: (options) =>
    options.variable ? [{ path: ['variable'], name: options.variable, types: ['string'] }] : [],
  needs: () => ['lists'],
};
