/**
 * A provider's channel settings form, generated from the JSON Schema of its config object
 * (`GET /channel-providers`). Pure functions: schema → fields, values → problems, values → the
 * `config` the API expects.
 */

/** The JSON Schema subset providers describe their config with. */
export type JsonSchema = {
  type?: string | string[];
  format?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

export type ConfigFieldKind =
  | 'text'
  | 'url'
  | 'email'
  | 'secret'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'enum'
  | 'string-list'
  /** Anything else (objects, mixed arrays): edited as JSON text. */
  | 'json';

export type ConfigField = {
  key: string;
  kind: ConfigFieldKind;
  isRequired: boolean;
  description?: string;
  /** The schema's default, as the form shows it (placeholder or initial value). */
  defaultValue?: unknown;
  options?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** String lists: how many items, and what each item must be. */
  maxItems?: number;
  item?: { minLength?: number; maxLength?: number; pattern?: string };
};

/** What a field holds while the form is open. */
export type ConfigFormValue = string | boolean | string[];
export type ConfigFormValues = Record<string, ConfigFormValue>;

export type ConfigFieldProblem =
  | 'required'
  | 'url'
  | 'email'
  | 'number'
  | 'integer'
  | 'minimum'
  | 'maximum'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'json'
  | 'maxItems'
  | 'itemMinLength'
  | 'itemMaxLength'
  | 'itemPattern'
  /** Editing: a stored optional value without a default cannot be emptied (the API merges). */
  | 'cannotClear';

/**
 * `create`: every required field needs a value. `edit`: stored secrets may stay empty (they
 * are kept), and `storedKeys` are the settings the channel has (`channel.config`'s keys).
 */
export type ConfigFormMode =
  | { kind: 'create' }
  | { kind: 'edit'; storedSecrets: readonly string[]; storedKeys?: readonly string[] };

/** A schema that allows null as well (`anyOf: [X, {type: 'null'}]`) is read as X, optional. */
function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; isNullable: boolean } {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const nonNull = variants.filter((variant) => variant.type !== 'null');
    if (nonNull.length === 1 && nonNull[0]) {
      return {
        schema: { ...nonNull[0], description: schema.description ?? nonNull[0].description },
        isNullable: nonNull.length < variants.length,
      };
    }
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== 'null');
    if (types.length === 1) {
      return {
        schema: { ...schema, type: types[0] },
        isNullable: types.length < schema.type.length,
      };
    }
  }
  return { schema, isNullable: false };
}

function kindOf(schema: JsonSchema, isSecret: boolean): ConfigFieldKind {
  if (schema.enum?.every((value) => typeof value === 'string')) return 'enum';
  switch (schema.type) {
    case 'string':
      if (isSecret) return 'secret';
      if (schema.format === 'uri' || schema.format === 'url') return 'url';
      if (schema.format === 'email') return 'email';
      return 'text';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return schema.items?.type === 'string' && !schema.items.enum ? 'string-list' : 'json';
    default:
      return 'json';
  }
}

/** The fields of a provider's settings form, in the schema's order. */
export function configFieldsFromSchema(
  schema: JsonSchema,
  secretFields: readonly string[],
): ConfigField[] {
  const required = new Set(schema.required ?? []);
  const secrets = new Set(secretFields);
  return Object.entries(schema.properties ?? {}).map(([key, raw]) => {
    const { schema: property, isNullable } = unwrapNullable(raw);
    const kind = kindOf(property, secrets.has(key));
    const field: ConfigField = {
      key,
      kind,
      isRequired: required.has(key) && !isNullable && property.default === undefined,
    };
    if (property.description) field.description = property.description;
    if (property.default !== undefined) field.defaultValue = property.default;
    if (kind === 'enum') field.options = (property.enum ?? []).map(String);
    if (property.pattern) field.pattern = property.pattern;
    const minimum = property.minimum ?? property.exclusiveMinimum;
    const maximum = property.maximum ?? property.exclusiveMaximum;
    // zod writes ±MAX_SAFE_INTEGER for plain integers: not a limit worth showing.
    if (minimum !== undefined && Math.abs(minimum) < Number.MAX_SAFE_INTEGER) {
      field.minimum = minimum;
    }
    if (maximum !== undefined && Math.abs(maximum) < Number.MAX_SAFE_INTEGER) {
      field.maximum = maximum;
    }
    if (property.minLength !== undefined) field.minLength = property.minLength;
    if (property.maxLength !== undefined) field.maxLength = property.maxLength;
    if (kind === 'string-list') {
      if (property.maxItems !== undefined) field.maxItems = property.maxItems;
      const items = property.items ?? {};
      const item: NonNullable<ConfigField['item']> = {};
      if (items.minLength !== undefined) item.minLength = items.minLength;
      if (items.maxLength !== undefined) item.maxLength = items.maxLength;
      if (items.pattern) item.pattern = items.pattern;
      if (Object.keys(item).length > 0) field.item = item;
    }
    return field;
  });
}

function toFormValue(field: ConfigField, value: unknown): ConfigFormValue {
  switch (field.kind) {
    case 'boolean':
      return value === true;
    case 'string-list':
      return Array.isArray(value) ? value.map(String) : [];
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
    case 'secret':
      // Secrets never come back from the server.
      return '';
    default:
      return value === undefined || value === null ? '' : String(value);
  }
}

/**
 * The form's starting values: the channel's stored settings when editing, else empty fields
 * (defaults show as placeholders, except booleans, lists and enums, which start on theirs).
 */
export function initialConfigValues(
  fields: readonly ConfigField[],
  stored?: Record<string, unknown>,
): ConfigFormValues {
  const values: ConfigFormValues = {};
  for (const field of fields) {
    const storedValue = stored?.[field.key];
    const startsOnDefault =
      field.kind === 'boolean' ||
      field.kind === 'string-list' ||
      field.kind === 'enum' ||
      field.kind === 'json';
    values[field.key] = toFormValue(
      field,
      storedValue !== undefined ? storedValue : startsOnDefault ? field.defaultValue : undefined,
    );
  }
  return values;
}

function isBlank(value: ConfigFormValue | undefined): boolean {
  if (value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function numberProblem(field: ConfigField, text: string): ConfigFieldProblem | null {
  const trimmed = text.trim();
  const value = Number(trimmed.replace(',', '.'));
  if (trimmed === '' || !Number.isFinite(value)) return 'number';
  if (field.kind === 'integer' && !Number.isInteger(value)) return 'integer';
  if (field.minimum !== undefined && value < field.minimum) return 'minimum';
  if (field.maximum !== undefined && value > field.maximum) return 'maximum';
  return null;
}

function matchesPattern(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    // A pattern this browser cannot compile: the server still checks it.
    return true;
  }
}

function listProblem(field: ConfigField, items: readonly string[]): ConfigFieldProblem | null {
  const filled = items.map((item) => item.trim()).filter(Boolean);
  if (field.maxItems !== undefined && filled.length > field.maxItems) return 'maxItems';
  const { item } = field;
  if (!item) return null;
  for (const text of filled) {
    if (item.minLength !== undefined && text.length < item.minLength) return 'itemMinLength';
    if (item.maxLength !== undefined && text.length > item.maxLength) return 'itemMaxLength';
    if (item.pattern && !matchesPattern(item.pattern, text)) return 'itemPattern';
  }
  return null;
}

/** What is wrong with one field's value, or null. */
export function checkConfigField(
  field: ConfigField,
  value: ConfigFormValue | undefined,
  mode: ConfigFormMode,
): ConfigFieldProblem | null {
  if (isBlank(value)) {
    if (field.kind === 'boolean') return null;
    if (field.kind === 'secret') {
      const isKept = mode.kind === 'edit' && mode.storedSecrets.includes(field.key);
      return field.isRequired && !isKept ? 'required' : null;
    }
    if (field.isRequired) return 'required';
    const isStored = mode.kind === 'edit' && (mode.storedKeys ?? []).includes(field.key);
    return isStored && field.defaultValue === undefined ? 'cannotClear' : null;
  }
  if (Array.isArray(value)) return listProblem(field, value);
  if (typeof value !== 'string') return null;
  const text = field.kind === 'secret' ? value : value.trim();
  switch (field.kind) {
    case 'number':
    case 'integer':
      return numberProblem(field, text);
    case 'json':
      try {
        JSON.parse(text);
        return null;
      } catch {
        return 'json';
      }
    case 'url':
      if (!isHttpUrl(text)) return 'url';
      break;
    case 'email':
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return 'email';
      break;
    default:
      break;
  }
  if (field.minLength !== undefined && text.length < field.minLength) return 'minLength';
  if (field.maxLength !== undefined && text.length > field.maxLength) return 'maxLength';
  if (field.pattern && !matchesPattern(field.pattern, text)) return 'pattern';
  return null;
}

/** Every field's problem, keyed by field; empty when the form may be sent. */
export function checkConfigValues(
  fields: readonly ConfigField[],
  values: ConfigFormValues,
  mode: ConfigFormMode,
): Record<string, ConfigFieldProblem> {
  const problems: Record<string, ConfigFieldProblem> = {};
  for (const field of fields) {
    const problem = checkConfigField(field, values[field.key], mode);
    if (problem) problems[field.key] = problem;
  }
  return problems;
}

/**
 * The `config` to send. Empty optional fields are left out (the provider's defaults apply),
 * and so are empty secrets when editing (the stored ones are kept). When editing, an emptied
 * field that has a default is sent as that default: the API merges the patch into the stored
 * settings, so leaving it out would keep the old value.
 */
export function buildConfigPayload(
  fields: readonly ConfigField[],
  values: ConfigFormValues,
  mode: ConfigFormMode = { kind: 'create' },
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.key];
    if (value === undefined) continue;
    if (field.kind === 'boolean') {
      config[field.key] = value === true;
      continue;
    }
    if (isBlank(value)) {
      if (mode.kind === 'edit' && field.kind !== 'secret' && field.defaultValue !== undefined) {
        config[field.key] = field.defaultValue;
      }
      continue;
    }
    if (Array.isArray(value)) {
      config[field.key] = value.map((item) => item.trim()).filter(Boolean);
      continue;
    }
    if (typeof value !== 'string') continue;
    switch (field.kind) {
      case 'number':
      case 'integer':
        config[field.key] = Number(value.trim().replace(',', '.'));
        break;
      case 'json':
        config[field.key] = JSON.parse(value) as unknown;
        break;
      case 'secret':
        config[field.key] = value;
        break;
      default:
        config[field.key] = value.trim();
    }
  }
  return config;
}

/** "phoneNumberId" → "Phone number id": a label for a field the catalogues do not name. */
export function humanizeFieldKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
