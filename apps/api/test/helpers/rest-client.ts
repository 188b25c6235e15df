import { validateJson, type JsonSchema } from '../../src/rest/json-schema.js';

type Content = Record<string, { schema: JsonSchema }>;

export interface OpenApiOperation {
  operationId: string;
  requestBody?: { required?: boolean; content: Content };
  responses: Record<string, { content?: Content }>;
}

export interface OpenApiDoc {
  openapi: string;
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

/** The documented path and method of an operation (throws when the document has no such operation). */
export function documentedOperation(doc: OpenApiDoc, operationId: string): { path: string; method: string; op: OpenApiOperation } {
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) if (op.operationId === operationId) return { path, method, op };
  }
  throw new Error(`${operationId} is not in the OpenAPI document`);
}

/** A schema with its `$ref` followed (one level, as the document's components are written). */
export function resolveSchema(doc: OpenApiDoc, schema: JsonSchema): JsonSchema {
  return schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]! : schema;
}

export interface RestResult<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
  operationId: string;
}

function match(template: string, path: string): boolean {
  const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
  return re.test(path);
}

/**
 * The answer's body (parsed when JSON), after checking that the operation documents its status,
 * that the content type is the documented one, and that the body matches that status's schema.
 */
export function documentedAnswer(doc: OpenApiDoc, op: OpenApiOperation, status: number, contentType: string | null, text: string): unknown {
  const documented = op.responses[String(status)];
  if (!documented) throw new Error(`${op.operationId} answered ${status}, which the document does not list: ${text.slice(0, 300)}`);
  const [type, content] = Object.entries(documented.content ?? {})[0] ?? [];
  if (!(contentType ?? '').startsWith(type ?? '')) throw new Error(`${op.operationId} answered ${contentType}, documented ${type}`);
  if (type !== 'application/json') return text;
  const body: unknown = JSON.parse(text);
  const problems = validateJson(body, content!.schema, doc.components.schemas);
  if (problems.length > 0) throw new Error(`${op.operationId} ${status} does not match its schema: ${JSON.stringify(problems)} in ${text.slice(0, 500)}`);
  return body;
}

/**
 * A REST client that checks every answer against the OpenAPI document the API serves: the path and
 * method must be documented, the status must be one the operation lists, and the body must match
 * that status's schema. It records which operations were exercised.
 */
export function restClient(baseUrl: string, doc: OpenApiDoc) {
  const exercised = new Set<string>();
  return {
    exercised,
    async call<T = any>(method: string, path: string, opts: { key?: string; body?: unknown; query?: Record<string, string> } = {}): Promise<RestResult<T>> {
      const template = Object.keys(doc.paths).find((t) => match(t, path) && doc.paths[t]![method.toLowerCase()]);
      if (!template) throw new Error(`${method} ${path} is not in the OpenAPI document`);
      const op = doc.paths[template]![method.toLowerCase()]!;
      const qs = opts.query ? '?' + new URLSearchParams(opts.query).toString() : '';
      const res = await fetch(`${baseUrl}${path}${qs}`, {
        method,
        headers: { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      });
      const text = await res.text();
      const body = documentedAnswer(doc, op, res.status, res.headers.get('content-type'), text);
      exercised.add(op.operationId);
      return { status: res.status, body: body as T, text, headers: res.headers, operationId: op.operationId };
    },
  };
}
