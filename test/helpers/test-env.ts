/**
 * Where the services live during `npm run test:services`. Tests never read process.env
 * elsewhere; the defaults are this machine's (and CI's) local services.
 */
export const isServicesRun = process.env.RECADO_TEST_SERVICES === '1';
export const testPostgresAdminUrl =
  process.env.RECADO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testRedisUrl = process.env.RECADO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function postgresUrlFor(database: string): string {
  const url = new URL(testPostgresAdminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
