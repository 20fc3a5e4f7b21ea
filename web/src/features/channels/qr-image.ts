import { toString as renderQrCode } from 'qrcode';

/**
 * The session's QR code as the server gives it (`GET /channels/:id/session/qr`): the provider's
 * image, or only the QR's text, which is drawn here (as SVG, no canvas needed).
 */
export type QrAnswer =
  | { kind: 'image'; type: string; bytes: Uint8Array }
  | { kind: 'text'; value: unknown };

/** The longest text a QR code holds (version 40, low error correction, bytes). */
const maxQrTextLength = 2953;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/**
 * A `data:` URL to show in an `<img>` (the dashboard's CSP allows `data:` images). Rejects an
 * image that is not one, and text that is empty or too long for a QR code.
 */
export async function qrImageSource(answer: QrAnswer): Promise<string> {
  if (answer.kind === 'image') {
    if (!/^image\/(png|jpeg|gif|webp)$/i.test(answer.type.split(';')[0]?.trim() ?? '')) {
      throw new Error(`the QR code came as ${answer.type}, not as an image`);
    }
    if (answer.bytes.length === 0) throw new Error('the QR code image is empty');
    return `data:${answer.type.split(';')[0]?.trim().toLowerCase()};base64,${toBase64(answer.bytes)}`;
  }
  const { value } = answer;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error('the provider gave no QR code text');
  }
  if (value.length > maxQrTextLength) throw new Error('the QR code text is too long');
  const svg = await renderQrCode(value, { type: 'svg', margin: 2, errorCorrectionLevel: 'L' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
