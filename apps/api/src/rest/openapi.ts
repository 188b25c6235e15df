import type { JsonSchema } from './json-schema.js';
import { REST_OPERATIONS } from './rest-operations.js';
import { SCHEMAS } from './rest-schemas.js';

const ERROR_RESPONSES: Record<string, { description: string }> = {
  '400': { description: 'VALIDATION: the request is malformed or a value is invalid (extensions.field names it).' },
  '401': { description: 'UNAUTHENTICATED: no or an invalid API key / token.' },
  '403': { description: 'FORBIDDEN: the key or role may not call this.' },
  '404': { description: "NOT_FOUND: no such object, or it belongs to another tenant." },
  '409': { description: 'CONFLICT: e.g. the name or address is taken.' },
  '422': { description: "LIMIT_EXCEEDED: the plan's limit is reached (extensions: limit, max, current, requested)." },
};

/** The OpenAPI 3.1 document of the REST API, built from the same tables the controllers and validation use. */
export function openApiDocument(serverUrl = '/'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of REST_OPERATIONS) {
    const parameters: unknown[] = [];
    if (op.path.includes('{id}')) parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
    for (const q of op.query ?? []) {
      parameters.push({ name: q.name, in: 'query', required: q.required ?? false, description: q.description, schema: { type: q.type ?? 'string', ...(q.format ? { format: q.format } : {}) } });
    }
    const responses: Record<string, unknown> = {};
    for (const r of op.responses) {
      const type = r.contentType ?? 'application/json';
      responses[String(r.status)] = {
        description: r.description,
        content: { [type]: { schema: r.schema ? { $ref: `#/components/schemas/${r.schema}` } : { type: 'string' } } },
      };
    }
    for (const [status, { description }] of Object.entries(ERROR_RESPONSES)) {
      responses[status] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      tags: [op.tag],
      description: `Callable by: ${op.roles.map((r) => r.replace('_', ' ')).join(', ')} (platform API keys act as platform admins, tenant API keys as their tenant's admin).`,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${op.body}` } } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Darwin Mail control plane (REST)',
      version: '1.0.0',
      description:
        'Provisioning and billing API over the same services as GraphQL (/graphql). Authenticate with `Authorization: Bearer <API key>` (create one with the GraphQL mutation createApiKey). Errors carry the same codes as GraphQL in `errors[0].extensions.code`.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    tags: [{ name: 'Plans' }, { name: 'Tenants' }, { name: 'Domains' }, { name: 'Mailboxes' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (dmk_...) or an access token from login.' } },
      schemas: SCHEMAS as Record<string, JsonSchema>,
    },
  };
}
