/**
 * What WhatsApp accepts as media, as plain values: the server enforces them when storing and
 * the dashboard can check a file before uploading it (no imports, so the web bundle stays free
 * of zod). Sizes are binary megabytes, as in Meta's documentation; every limit is further capped
 * by MEDIA_MAX_BYTES. https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
 */

export const mediaKinds = ['image', 'audio', 'video', 'document', 'sticker'] as const;
export type MediaKind = (typeof mediaKinds)[number];

const kib = 1024;
const mib = 1024 * 1024;

export const mediaKindMaxBytes: Readonly<Record<MediaKind, number>> = {
  image: 5 * mib,
  audio: 16 * mib,
  video: 16 * mib,
  sticker: 500 * kib,
  document: 100 * mib,
};

/**
 * Types (without parameters) each kind may hold. Documents also take JPEG and PNG: photos sent
 * "as a file" arrive as documents.
 */
export const mediaKindMimeTypes: Readonly<Record<MediaKind, readonly string[]>> = {
  image: ['image/jpeg', 'image/png'],
  audio: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/x-m4a', 'audio/ogg'],
  video: ['video/mp4', 'video/3gpp'],
  sticker: ['image/webp'],
  document: [
    'application/pdf',
    'text/plain',
    'text/csv',
    'application/msword',
    'application/vnd.ms-excel',
    'application/vnd.ms-powerpoint',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'image/jpeg',
    'image/png',
  ],
};

/**
 * Text formats have no magic bytes to sniff: the sender's declared type is believed only for
 * these, and only when the bytes look like text. Never HTML, SVG or anything a browser runs.
 */
export const safeTextMimeTypes: readonly string[] = ['text/plain', 'text/csv'];

/** The byte limit for `kind`: WhatsApp's, capped by the server's MEDIA_MAX_BYTES. */
export function getMediaKindLimit(kind: MediaKind, serverMaxBytes: number): number {
  return Math.min(mediaKindMaxBytes[kind], serverMaxBytes);
}

/** `image/jpeg; charset=x` → `image/jpeg` (lower case, no parameters). */
export function getBaseMimeType(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/** 5242880 → "5 MB", 512000 → "500 KB", 900 → "900 bytes" (binary units, as WhatsApp's). */
export function formatBytes(bytes: number): string {
  const format = (value: number) => String(Math.round(value * 10) / 10);
  if (bytes >= mib) return `${format(bytes / mib)} MB`;
  if (bytes >= kib) return `${format(bytes / kib)} KB`;
  return `${bytes} bytes`;
}
