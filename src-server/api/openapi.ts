import { z } from 'zod';
import type { ApiRoute } from './define';

// OpenAPI 3.1 from the routes' own zod schemas (zod's JSON Schema output is
// the 2020-12 dialect OpenAPI 3.1 uses), so the document cannot drift from
// what the server validates. Served at /v1/openapi.json; /docs renders it.

const errorSchema = z.object({
  error: z.object({
    type: z.enum(['invalid_request', 'authentication', 'permission', 'not_found', 'conflict', 'rate_limit', 'server']),
    code: z.string(),
    message: z.string(),
    param: z.string().optional(),
  }),
});

/** zod's `.int()` says "a safe integer" as ±2^53 bounds, which a reader (and Swagger UI's examples) take for real limits. */
function withoutSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(withoutSafeIntegerBounds);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.minimum === Number.MIN_SAFE_INTEGER) delete o.minimum;
    if (o.maximum === Number.MAX_SAFE_INTEGER) delete o.maximum;
    Object.values(o).forEach(withoutSafeIntegerBounds);
  }
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  withoutSafeIntegerBounds(out);
  return out;
};

const ERRORS: Record<string, string> = {
  '400': 'Bad request: `param` names the field.',
  '401': 'No API key, or an unknown or revoked one.',
  '403': 'The key may not do this (a read key writing), or the business is suspended.',
  '404': 'No such object in this business.',
  '409': 'A conflict: a unique value taken, or an Idempotency-Key reused with another request.',
  '413': 'The body is over 1 MB.',
  '429': 'Over the rate limit: wait the Retry-After seconds.',
  '503': 'The server is still taking in this business\'s latest sync: retry after Retry-After seconds.',
};

function parameters(route: ApiRoute): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property;
      out.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  return out;
}

export function openApiDocument(routes: readonly ApiRoute[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {
      [String(route.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
    };
    // Public routes (the license endpoints) take no API key: no 401, and no 403 for a key's scope.
    const usual = route.scope === 'public' ? ['400', '429', '503', ...(route.method !== 'GET' ? ['413'] : [])] : ['400', '401', '403', '429', '503', ...(route.params ? ['404'] : []), ...(route.method !== 'GET' ? ['409', '413'] : [])];
    const codes = [...new Set([...usual, ...Object.keys(route.errors ?? {})])];
    for (const code of codes.sort()) {
      responses[code] = { description: route.errors?.[code] ?? ERRORS[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    const headerParams =
      route.method === 'GET' || route.scope === 'public'
        ? []
        : [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'Replays the first answer for 24 hours; the same key with another body is 409.', schema: { type: 'string', maxLength: 255 } }];
    (paths[`/v1${route.path}`] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      security: route.scope === 'public' ? [] : [{ apiKey: [] }],
      'x-scope': route.scope,
      parameters: [...parameters(route), ...headerParams],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Recurra REST API',
      version: info.version,
      description:
        'The data a business\'s PCs synced to this server, for its website, scripts and accounting tools. Writes become changes the PCs pull on their next sync. Amounts are integers in minor units (cents). Lists are `{data, hasMore}`; pass the last id as `starting_after` for the next page.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, rk_…, from Settings > API keys or `recurra api-key create`.' } },
      schemas: { Error: jsonSchema(errorSchema, 'output') },
    },
    paths,
  };
}
