import { z } from 'zod';
import { configSchema } from './config.schema.js';

/**
 * Renders `.env.example` and `docs/configuration.md` from the config schema, so the docs can
 * never drift from what the code reads (a test compares them).
 */

type JsonProperty = {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  format?: string;
};

function listVariables() {
  const json = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, JsonProperty>;
  };
  return Object.entries(json.properties).map(([name, property]) => ({
    name,
    description: property.description ?? '',
    type: describeType(property),
    defaultValue: property.default === undefined ? undefined : String(property.default),
  }));
}

function describeType(property: JsonProperty): string {
  if (property.enum) return property.enum.map((value) => `\`${String(value)}\``).join(' \\| ');
  if (property.type === 'integer') {
    const range =
      property.minimum !== undefined && property.maximum !== undefined
        ? ` (${property.minimum}–${property.maximum})`
        : property.minimum !== undefined
          ? ` (≥ ${property.minimum})`
          : '';
    return `integer${range}`;
  }
  if (property.format === 'email') return 'e-mail';
  return property.type ?? 'string';
}

export function renderEnvExample(): string {
  const lines = [
    '# Recado configuration. Generated from src/config/config.schema.ts by `npm run config:docs`;',
    '# do not edit by hand. Every variable is optional in embedded mode.',
    '',
  ];
  for (const variable of listVariables()) {
    lines.push(`# ${variable.description}`);
    lines.push(`# ${variable.name}=${variable.defaultValue ?? ''}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function renderConfigurationDoc(): string {
  const escapePipes = (text: string) => text.replaceAll('|', '\\|');
  const rows = listVariables().map(
    (variable) =>
      `| \`${variable.name}\` | ${variable.type} | ${variable.defaultValue === undefined ? '—' : `\`${escapePipes(variable.defaultValue) || ' '}\``} | ${escapePipes(variable.description)} |`,
  );
  return [
    '# Configuration',
    '',
    'Recado reads its configuration from environment variables only, validated by one schema',
    '(`src/config/config.schema.ts`) when the process starts. An invalid value stops the process',
    'with exit code 1 and a list of every problem. This page is generated from that schema by',
    '`npm run config:docs`; a test fails when it drifts.',
    '',
    'Embedded mode needs none of them. Scaled mode sets `DATABASE_URL`, `REDIS_URL`, `JWT_SECRET`',
    'and `RECADO_ROLE` (see `deploy/`).',
    '',
    '| Variable | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
