import type { z } from 'zod';
import type { ServerContext } from '../context';
import { invalid } from '../errors';

// One REST route (spec/server.md, "REST API"): its zod schemas validate the
// request, document it (openapi.ts builds /v1/openapi.json from the same
// objects), and type the handler. Nothing else describes an endpoint.

export type Scope = 'read' | 'write';
/** Who may call a route: an API key of that scope, or anyone ('public': the license endpoints, whose license key is the credential). */
export type Access = Scope | 'public';

/** The API key a request carries, once checked (auth.ts). */
export interface ApiKeyIdentity {
  businessId: string;
  keyId: string;
  name: string;
  scope: Scope;
}

export interface ApiRequest<P, Q, B, A extends Access = Scope> {
  /** The checked API key; null on a public route. */
  key: A extends 'public' ? null : ApiKeyIdentity;
  params: P;
  query: Q;
  body: B;
  now: Date;
  /** The client's address (request.ip: the socket's, or X-Forwarded-For's under trustProxy). */
  ip: string;
  /**
   * Counts this request in a business's daily API usage (the /admin page). A
   * keyed route is counted by its key already; a public route (licenses) calls
   * it once it knows whose license the request named.
   */
  countUsage: (businessId: string) => void;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ApiRoute<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
  R extends Schema = Schema,
  A extends Access = Access,
> {
  method: 'GET' | 'POST' | 'PATCH';
  /** OpenAPI style: /customers/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** A read key may call only read routes; a write key both; 'public' routes take no key (and no Idempotency-Key). */
  scope: A;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: 200 | 201;
  /** Whether the handler runs inside one transaction (ctx.db is it); by default every method but GET. False: the handler opens its own. */
  transaction?: boolean;
  /** Public routes: what else the rate is counted by (the license key), besides the client's address. */
  rateKey?: (body: Out<B>) => string;
  /** Error statuses this route answers besides the usual ones, with what they mean here (the OpenAPI document lists them). */
  errors?: Record<string, string>;
  /** Writes run in one transaction (ctx.db is it), with the Idempotency-Key record. */
  handler(ctx: ServerContext, request: ApiRequest<Out<P>, Out<Q>, Out<B>, A>): Promise<z.input<R>>;
}

/** An answer already in JSON (a kept page, api/page-cache.ts): sent as it is, not serialized again. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The handler's answer as JSON text; typed as what the route answers, which the text is. */
export const jsonText = <T>(text: string): T => new JsonText(text) as unknown as T;

export function defineRoute<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, R extends Schema, A extends Access>(
  route: ApiRoute<P, Q, B, R, A>,
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
