/**
 * The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that our REST schemas are written in,
 * and a validator for it. The same schema objects are the OpenAPI document's components, the
 * request validation, and (in tests) the check that every response is what the document says.
 */
export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: JsonType | readonly JsonType[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly format?: 'uuid' | 'date-time' | 'date' | 'email';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly oneOf?: readonly JsonSchema[];
  readonly example?: unknown;
}

export interface SchemaProblem {
  /** JSON pointer-ish path: `/name`, `/items/0/id`. */
  readonly path: string;
  readonly message: string;
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: /^[^\s@]+@[^\s@]+$/,
};

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsonType;
}

/** Every problem of `value` against `schema` (empty when valid). `$ref`s resolve in `components`. */
export function validateJson(value: unknown, schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>, path = ''): SchemaProblem[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = components[name];
    if (!target) return [{ path, message: `unknown schema ${schema.$ref}` }];
    return validateJson(value, target, components, path);
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((s) => validateJson(value, s, components, path).length === 0);
    return matching.length === 1 ? [] : [{ path, message: `must match exactly one of ${schema.oneOf.length} schemas (matched ${matching.length})` }];
  }
  const problems: SchemaProblem[] = [];
  const actual = typeOf(value);
  if (schema.type) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type as JsonType];
    const ok = allowed.includes(actual) || (actual === 'integer' && allowed.includes('number'));
    if (!ok) return [{ path, message: `must be ${allowed.join(' or ')}, not ${actual}` }];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push({ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push({ path, message: `must be at least ${schema.minLength} characters` });
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push({ path, message: `must be at most ${schema.maxLength} characters` });
    if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format]!.test(value)) problems.push({ path, message: `must be a ${schema.format}` });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push({ path, message: `must be at least ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) problems.push({ path, message: `must be at most ${schema.maximum}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push({ path, message: `must have at least ${schema.minItems} items` });
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push({ path, message: `must have at most ${schema.maxItems} items` });
    if (schema.items) value.forEach((item, i) => problems.push(...validateJson(item, schema.items!, components, `${path}/${i}`)));
  }
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) problems.push({ path: `${path}/${key}`, message: 'is required' });
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties?.[key];
      if (prop) problems.push(...validateJson(v, prop, components, `${path}/${key}`));
      else if (schema.additionalProperties === false) problems.push({ path: `${path}/${key}`, message: 'is not a known property' });
      else if (typeof schema.additionalProperties === 'object') problems.push(...validateJson(v, schema.additionalProperties, components, `${path}/${key}`));
    }
  }
  return problems;
}
