import { z } from 'zod';
import type { BlockDefinition, TemplateField } from '../../types.js';
import { optionIdSchema, reportRepeatedOptions } from '../choice-common.js';
import { invalidPort } from '../input-common.js';

export const optionsSchema = z
  .strictObject({
    /** The message's body; a template (WhatsApp shows up to 1,024 characters). */
    text: z.string().min(1).max(1024),
    /** A bold line above the body; a template, cut to 60 characters. */
    header: z.string().min(1).max(200).optional(),
    /** A grey line below the body; a template, cut to 60 characters. */
    footer: z.string().min(1).max(200).optional(),
    buttons: z
      .array(
        z.strictObject({
          /** Comes back in the tap; the port it leaves through and the value stored. */
          id: optionIdSchema,
          /** A template, cut to WhatsApp's 20 characters after rendering. */
          title: z.string().min(1).max(100),
          /**
           * What the button means when 20 characters are not enough: added to the body as
           * "*Title*: description" (reply buttons themselves carry only a title).
           */
          description: z.string().min(1).max(200).optional(),
        }),
      )
      .min(1, 'offer at least one button')
      .max(3, 'WhatsApp shows at most 3 reply buttons; use message.list for more'),
    /** Stores the chosen button's id. */
    variable: z.string().min(1).max(64).optional(),
    /** Answers that match no button before the `invalid` port. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
  })
  .superRefine((options, context) => {
    reportRepeatedOptions(options.buttons, ['buttons'], context);
  });
export type MessageButtonsOptions = z.infer<typeof optionsSchema>;

export const definition: BlockDefinition<MessageButtonsOptions> = {
  type: 'message.buttons',
  category: 'message',
  title: { 'pt-BR': 'Mensagem com botões', en: 'Message with buttons' },
  optionsSchema,
  ports: (options) => [...options.buttons.map((button) => button.id), invalidPort],
  templates: (options) => {
    const fields: TemplateField[] = [{ path: ['text'], template: options.text }];
    if (options.header) fields.push({ path: ['header'], template: options.header });
    if (options.footer) fields.push({ path: ['footer'], template: options.footer });
    options.buttons.forEach((button, index) => {
      fields.push({ path: ['buttons', index, 'title'], template: button.title });
      if (button.description) {
        fields.push({ path: ['buttons', index, 'description'], template: button.description });
      }
    });
    return fields;
  },
  writes: (options) =>
    options.variable ? [{ path: ['variable'], name: options.variable, types: ['string'] }] : [],
  needs: () => ['buttons'],
};
