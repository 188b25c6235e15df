import { validateJson, type JsonSchema } from '../../src/rest/json-schema.js';

export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>>;
  components: { schemas: Record<string, JsonSchema> };
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
      const documented = op.responses[String(res.status)];
      if (!documented) throw new Error(`${op.operationId} answered ${res.status}, which the document does not list: ${text.slice(0, 300)}`);
      const [type, content] = Object.entries(documented.content ?? {})[0] ?? [];
      if (!(res.headers.get('content-type') ?? '').startsWith(type ?? '')) throw new Error(`${op.operationId} answered ${res.headers.get('content-type')}, documented ${type}`);
      let body: unknown = text;
      if (type === 'application/json') {
        body = JSON.parse(text);
        const problems = validateJson(body, content!.schema, doc.components.schemas);
        if (problems.length > 0) throw new Error(`${op.operationId} ${res.status} does not match its schema: ${JSON.stringify(problems)} in ${text.slice(0, 500)}`);
      }
      exercised.add(op.operationId);
      return { status: res.status, body: body as T, text, headers: res.headers, operationId: op.operationId };
    },
  };
}
