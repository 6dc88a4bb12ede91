import type { z } from 'zod';
import type { ServerContext } from '../context';
import { invalid } from '../errors';

// One REST route (spec/server.md, "REST API"): its zod schemas validate the
// request, document it (openapi.ts builds /v1/openapi.json from the same
// objects), and type the handler. Nothing else describes an endpoint.

export type Scope = 'read' | 'write';

/** The API key a request carries, once checked (auth.ts). */
export interface ApiKeyIdentity {
  businessId: string;
  keyId: string;
  name: string;
  scope: Scope;
}

/** The `key` of a request to an `auth: 'none'` route: no business, no key. */
export const NO_KEY: ApiKeyIdentity = Object.freeze({ businessId: '', keyId: '', name: '', scope: 'read' });

export interface ApiRequest<P, Q, B> {
  key: ApiKeyIdentity;
  params: P;
  query: Q;
  body: B;
  now: Date;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ApiRoute<P extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, B extends Schema | undefined = Schema | undefined, R extends Schema = Schema> {
  method: 'GET' | 'POST' | 'PATCH';
  /** OpenAPI style: /customers/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** A read key may call only read routes; a write key both. */
  scope: Scope;
  /**
   * How a caller is identified: an API key (the default), or nothing (`none`:
   * the license endpoints, whose body carries the license key; their handler
   * gets NO_KEY and finds the business itself). The fuzz tests read this.
   */
  auth?: 'apiKey' | 'none';
  /** Statuses it answers besides the common ones (400, 401, 403, 429, 503; 404 with path params; 409 and 413 for writes), for the OpenAPI document. */
  errors?: readonly number[];
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: 200 | 201;
  /** Writes run in one transaction (ctx.db is it), with the Idempotency-Key record. */
  handler(ctx: ServerContext, request: ApiRequest<Out<P>, Out<Q>, Out<B>>): Promise<z.input<R>>;
}

export function defineRoute<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, R extends Schema>(
  route: ApiRoute<P, Q, B, R>,
): ApiRoute {
  return route as unknown as ApiRoute;
}

/** The path of the first string (or key) holding a NUL, which PostgreSQL's text and jsonb cannot store; null when none does. */
function nulAt(value: unknown, path: string[], depth = 0): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return [...path, k.replaceAll('\u0000', '')];
    const found = nulAt(v, [...path, k], depth + 1);
    if (found) return found;
  }
  return null;
}

/** Parses with zod; the first issue becomes a 400 whose `param` names the field (or the unknown one). */
export function parseParam<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const nul = nulAt(value, []);
  if (nul) {
    const param = nul.join('.') || where;
    throw invalid(param, `${param}: contains a NUL character (\\u0000), which no field may hold.`);
  }
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const param = [...path, issue.keys[0] ?? ''].join('.');
    throw invalid(param, `${param}: not a field of this request${issue.keys.length > 1 ? ` (nor ${issue.keys.slice(1).join(', ')})` : ''}.`, 'unknown_field');
  }
  const param = path.join('.') || where;
  throw invalid(param, `${param}: ${issue.message}`);
}
