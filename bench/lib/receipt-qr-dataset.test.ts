import { describe, expect, it } from 'vitest';
import { distortionKinds, gradeCount, planDistortionCases } from './receipt-qr-dataset.js';

describe('planDistortionCases', () => {
  it('plans kinds × grades × samples distinct photos, the same for the same seed', () => {
    const cases = planDistortionCases({ perGrade: 8, seed: 1 });
    expect(cases).toHaveLength(distortionKinds.length * gradeCount * 8);
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((testCase) => testCase.id)).size).toBe(cases.length);
    expect(new Set(cases.map((testCase) => testCase.text)).size).toBe(cases.length);
    expect(planDistortionCases({ perGrade: 8, seed: 1 })).toEqual(cases);
    expect(planDistortionCases({ perGrade: 8, seed: 2 })[0]?.text).not.toBe(cases[0]?.text);
  });

  it('grades each kind from mild to severe on its own axis', () => {
    const cases = planDistortionCases({ perGrade: 1, seed: 3 });
    const axis = (kind: string, read: (spec: (typeof cases)[number]['spec']) => number) =>
      cases.filter((testCase) => testCase.kind === kind).map((testCase) => read(testCase.spec));
    expect(axis('blur', (spec) => spec.blurSigma ?? 0)).toEqual([1.2, 1.8, 2.4, 3, 3.6]);
    expect(axis('jpeg', (spec) => spec.jpegQuality ?? 0)).toEqual([40, 25, 15, 10, 6]);
    expect(axis('perspective', (spec) => spec.receipts[0]?.tilt ?? 0)).toEqual([
      0.2, 0.35, 0.5, 0.6, 0.7,
    ]);
    expect(axis('scale', (spec) => spec.receipts[0]?.modulePx ?? 0)).toEqual([
      2.4, 2, 1.75, 1.55, 1.35,
    ]);
    expect(axis('rotation', (spec) => Math.abs(spec.receipts[0]?.rotationDegrees ?? 0))).toEqual([
      10, 20, 30, 45, 170,
    ]);
    const combined = axis('combined', (spec) => spec.jpegQuality ?? 0);
    expect(combined).toEqual([...combined].sort((a, b) => b - a));
  });

  it('keeps every code inside its frame', () => {
    for (const testCase of planDistortionCases({ perGrade: 3, seed: 4 })) {
      const { width, height, receipts } = testCase.spec;
      const receipt = receipts[0];
      const halfCode = ((57 + 8) * (receipt?.modulePx ?? 0)) / 2;
      expect(receipt?.center.x).toBeGreaterThan(halfCode);
      expect(receipt?.center.x).toBeLessThan(width - halfCode);
      expect(receipt?.center.y).toBeGreaterThan(halfCode);
      expect(receipt?.center.y).toBeLessThan(height - halfCode);
    }
  });

  it('plans only the kinds asked for', () => {
    const cases = planDistortionCases({ perGrade: 2, seed: 1, kinds: ['jpeg'] });
    expect(cases.map((testCase) => testCase.id)).toEqual([
      'jpeg-1-0',
      'jpeg-1-1',
      'jpeg-2-0',
      'jpeg-2-1',
      'jpeg-3-0',
      'jpeg-3-1',
      'jpeg-4-0',
      'jpeg-4-1',
      'jpeg-5-0',
      'jpeg-5-1',
    ]);
  });
});
