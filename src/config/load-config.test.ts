import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolvePublicUrl } from './load-config.js';

describe('loadConfig', () => {
  it('gives safe embedded defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      RECADO_ROLE: 'all',
      DATABASE_MIGRATE_ON_START: true,
      CORS_ORIGINS: [],
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('parses numbers, booleans and lists from strings', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_MIGRATE_ON_START: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      DATABASE_URL: 'postgres://u@db:5432/recado',
    });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_MIGRATE_ON_START).toBe(false);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('lists every problem at once, by variable', () => {
    let caught: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        RECADO_ROLE: 'boss',
        DATABASE_URL: 'mysql://nope',
        JWT_SECRET: 'short',
        REDIS_URL: 'not a url',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'RECADO_ROLE', 'DATABASE_URL', 'JWT_SECRET', 'REDIS_URL']) {
      expect(problems).toContain(`${name}:`);
    }
    expect((caught as ConfigError).problems).toHaveLength(5);
  });

  it('derives the public URL from host and port when PUBLIC_URL is unset', () => {
    expect(resolvePublicUrl(loadConfig({ PORT: '4000', HOST: '0.0.0.0' }))).toBe(
      'http://localhost:4000',
    );
    expect(resolvePublicUrl(loadConfig({ PUBLIC_URL: 'https://recado.example.com/' }))).toBe(
      'https://recado.example.com',
    );
  });
});
