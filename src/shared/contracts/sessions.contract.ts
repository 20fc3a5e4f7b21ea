import { z } from 'zod';
import { channelStatusSchema } from './channels.contract.js';

/** HTTP contract of QR-paired sessions (WAHA, WPPConnect), shared by the server and the web. */

export const sessionStatusSchema = z.enum(['stopped', 'starting', 'qr', 'connected', 'failed']);

export const channelSessionSchema = z.object({
  channelId: z.uuid(),
  /** As the provider reports it now. */
  status: sessionStatusSchema,
  /** The channel's status, which follows the session. */
  channelStatus: channelStatusSchema,
  /** The paired number (E.164) and profile name, once connected. */
  phone: z.string().nullable(),
  name: z.string().nullable(),
  /** The provider's own words, for operators. */
  detail: z.string().nullable(),
  /** An admin started it and has not stopped it: the monitor restarts it when it fails. */
  wanted: z.boolean(),
  restarts: z.number().int(),
});
export type ChannelSession = z.infer<typeof channelSessionSchema>;

export const pairingCodeRequestSchema = z.object({
  /** The phone that will be paired, any common format (E.164 preferred). */
  phone: z.string().trim().min(3).max(40),
});

export const pairingCodeResponseSchema = z.object({ code: z.string() });

/** When the provider gives the QR's text instead of an image. */
export const qrValueResponseSchema = z.object({ value: z.string() });
