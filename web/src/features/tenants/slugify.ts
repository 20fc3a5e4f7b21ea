import { maxTenantSlugLength } from '../../api/api-types';

/** "Transportes Lisboa, Lda." → "transportes-lisboa-lda": a slug suggestion from a name. */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxTenantSlugLength)
    .replace(/-+$/, '');
}
