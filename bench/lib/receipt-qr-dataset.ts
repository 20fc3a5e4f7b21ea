import {
  buildNfceQrText,
  createRandom,
  type ReceiptPhotoSpec,
} from '../../src/modules/expenses/qr/testing/receipt-qr-photos.js';

/**
 * The receipt-QR benchmark's images, as specs (rendered by `composeReceiptPhoto`): for each
 * distortion kind five grades, mild to severe, `perGrade` photos each. Around the distortion
 * under test every photo is an ordinary one — a 1600×1200 frame (what WhatsApp delivers), the
 * QR at 3.5–5 px a module, a few degrees off, slightly soft, JPEG quality 85 — with its own
 * background, position and NFC-e URL. Deterministic: the same seed plans the same photos.
 */

export const distortionKinds = [
  'rotation',
  'blur',
  'scale',
  'jpeg',
  'perspective',
  'combined',
] as const;
export type DistortionKind = (typeof distortionKinds)[number];

export type DistortionCase = {
  id: string;
  kind: DistortionKind;
  /** 1 (mild) to 5 (severe). */
  grade: number;
  /** What the grade means, e.g. "blur σ 2.4 px". */
  label: string;
  text: string;
  spec: ReceiptPhotoSpec;
};

export const gradeCount = 5;

const rotationDegrees = [10, 20, 30, 45, 170];
const blurSigmas = [1.2, 1.8, 2.4, 3, 3.6];
/** Module sizes for the scale kind, in a 3000×2250 frame (a small code in a big photo). */
const smallModulePx = [2.4, 2, 1.75, 1.55, 1.35];
const jpegQualities = [40, 25, 15, 10, 6];
const tilts = [0.2, 0.35, 0.5, 0.6, 0.7];

function describeGrade(kind: DistortionKind, grade: number): string {
  const index = grade - 1;
  switch (kind) {
    case 'rotation':
      return `rotated ${rotationDegrees[index]}°`;
    case 'blur':
      return `blur σ ${blurSigmas[index]} px`;
    case 'scale':
      return `${smallModulePx[index]} px/module in 3000×2250`;
    case 'jpeg':
      return `JPEG quality ${jpegQualities[index]}`;
    case 'perspective':
      return `tilt ${tilts[index]}`;
    case 'combined':
      return `all mildly, level ${grade}`;
  }
}

function buildCase(kind: DistortionKind, grade: number, sample: number, seed: number) {
  const caseSeed =
    (seed * 7919 + distortionKinds.indexOf(kind) * 1009 + grade * 101 + sample) >>> 0;
  const random = createRandom(caseSeed);
  const between = (low: number, high: number) => low + random() * (high - low);
  const text = buildNfceQrText(random, random() < 0.5 ? 'online' : 'offline');
  const index = grade - 1;

  let width = 1600;
  let height = 1200;
  let modulePx = between(3.5, 5);
  let rotation = between(-6, 6);
  let tilt = between(0, 0.1);
  let blurSigma = 0.6;
  let jpegQuality = 85;
  let noise = 4;
  switch (kind) {
    case 'rotation':
      rotation = (rotationDegrees[index] ?? 0) * (random() < 0.5 ? -1 : 1);
      break;
    case 'blur':
      blurSigma = blurSigmas[index] ?? 0;
      break;
    case 'scale':
      width = 3000;
      height = 2250;
      modulePx = smallModulePx[index] ?? 1;
      break;
    case 'jpeg':
      jpegQuality = jpegQualities[index] ?? 85;
      break;
    case 'perspective':
      tilt = tilts[index] ?? 0;
      break;
    case 'combined':
      rotation = 8 * grade * (random() < 0.5 ? -1 : 1);
      blurSigma = 0.6 + 0.35 * grade;
      modulePx = 4.5 - 0.45 * grade;
      jpegQuality = 60 - 9 * grade;
      tilt = 0.1 * grade;
      noise = 3 + 2 * grade;
      break;
  }
  // The code's centre stays far enough from the edges for the whole code to be in the frame.
  const margin = 65 * modulePx * 0.75;
  const spec: ReceiptPhotoSpec = {
    width,
    height,
    seed: caseSeed,
    receipts: [
      {
        text,
        center: { x: between(margin, width - margin), y: between(margin, height - margin) },
        modulePx,
        rotationDegrees: rotation,
        tilt,
      },
    ],
    blurSigma,
    noise,
    jpegQuality,
    shading: between(0.05, 0.3),
    clutter: between(0, 0.6),
  };
  return {
    id: `${kind}-${grade}-${sample}`,
    kind,
    grade,
    label: describeGrade(kind, grade),
    text,
    spec,
  } satisfies DistortionCase;
}

/** Every case: kinds in order, grades 1–5, `perGrade` samples each. */
export function planDistortionCases(options: {
  perGrade: number;
  seed: number;
  kinds?: readonly DistortionKind[];
}): DistortionCase[] {
  const cases: DistortionCase[] = [];
  for (const kind of options.kinds ?? distortionKinds) {
    for (let grade = 1; grade <= gradeCount; grade += 1) {
      for (let sample = 0; sample < options.perGrade; sample += 1) {
        cases.push(buildCase(kind, grade, sample, options.seed));
      }
    }
  }
  return cases;
}
