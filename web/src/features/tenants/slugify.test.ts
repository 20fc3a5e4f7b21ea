import { describe, expect, it } from 'vitest';
import { maxTenantSlugLength, tenantSlugPattern } from '../../api/api-types';
import { slugify } from './slugify';

describe('slugify', () => {
  it.each([
    ['Transportes Lisboa, Lda.', 'transportes-lisboa-lda'],
    ['Padaria São João', 'padaria-sao-joao'],
    ['  Cobranças & Cia  ', 'cobrancas-cia'],
    ['ÁGUA 100%', 'agua-100'],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(tenantSlugPattern.test(slug)).toBe(true);
  });

  it('never exceeds the length the server accepts, nor ends on a hyphen', () => {
    const slug = slugify(`${'a'.repeat(maxTenantSlugLength - 1)} bcd`);
    expect(slug.length).toBeLessThanOrEqual(maxTenantSlugLength);
    expect(slug.endsWith('-')).toBe(false);
  });
});
