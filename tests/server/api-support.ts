import Ajv2020 from 'ajv/dist/2020';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { ensureProjection } from '../../src-server/projection/catch-up';
import { createInvite } from '../../src-server/sync/store';
import { businessOnNewPc, customers, type Customer, type Pc } from './pcs';
import type { TestServer } from './support';

// The REST API tests' client (tests/server/api-*.test.ts): one HTTP call whose
// answer is checked against the served OpenAPI document with Ajv (as
// api.test.ts does), and a business on a real PC with a read and a write key.

export interface OpenApi {
  paths: Record<string, Record<string, { 'x-scope'?: string; responses: Record<string, { content: { 'application/json': { schema: unknown } } }> }>>;
  components: { schemas: Record<string, unknown> };
}

export interface ApiReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read reply bodies loosely and assert their shape
  body: any;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export interface ApiClient {
  openapi: OpenApi;
  /** One call; its answer must be one the OpenAPI document lists for that route and status, and match its schema. */
  api(method: string, route: string, options?: CallOptions): Promise<ApiReply>;
}

export async function apiClient(server: { url: string }): Promise<ApiClient> {
  const ajv = new Ajv2020({ strict: false });
  const openapi = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as OpenApi;
  const compiled = new Map<unknown, ReturnType<Ajv2020['compile']>>();
  async function api(method: string, route: string, options: CallOptions = {}): Promise<ApiReply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if ((options.body !== undefined || options.raw !== undefined) && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}${route}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
    const text = await response.text();
    const body = text ? (JSON.parse(text) as unknown) : null;
    const template = Object.keys(openapi.paths).find((p) => new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(route.split('?')[0]!));
    if (template) {
      const operation = openapi.paths[template]![method.toLowerCase()];
      const documented = operation?.responses[String(response.status)];
      expect(documented, `${method} ${route} answered ${response.status} (${text.slice(0, 300)}), which the OpenAPI document does not list`).toBeDefined();
      const schema = documented!.content['application/json'].schema;
      let validate = compiled.get(schema);
      if (!validate) compiled.set(schema, (validate = ajv.compile({ ...(schema as object), components: openapi.components })));
      expect(validate(body), `${method} ${route} ${response.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    return { status: response.status, body, text, headers: response.headers };
  }
  return { openapi, api };
}

export interface KeyedBusiness {
  pc: Pc;
  businessId: string;
  read: string;
  write: string;
  writeId: string;
  jane: Customer;
  john: Customer;
}

/** A business made on a new PC with two customers, connected to the server, with a read key "Website" and a write key "Zapier", synced. */
export async function keyedBusiness(server: TestServer, name: string, email: string): Promise<KeyedBusiness> {
  const { a, businessId, jane, john } = await businessOnNewPc(name);
  await a.ok(['customer', 'update', jane.id, '--email', email]);
  await a.ok(['sync', 'connect', '--server', server.url, '--invite', (await createInvite(server.storage.db, server.clock.now())).code]);
  const read = await a.ok<{ key: string }>(['api-key', 'create', '--name', 'Website', '--scope', 'read']);
  const write = await a.ok<{ key: string; id: string }>(['api-key', 'create', '--name', 'Zapier', '--scope', 'write']);
  await a.ok(['sync', 'now']);
  const all = await customers(a);
  return { pc: a, businessId, read: read.key, write: write.key, writeId: write.id, jane: all.find((c) => c.id === jane.id)!, john: all.find((c) => c.id === john.id)! };
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** How many changes the business's log holds. */
export async function changeCount(server: TestServer, businessId: string): Promise<number> {
  return Number(rowsOf<{ n: string }>(await server.storage.db.execute(sql`select count(*) as n from changes where business_id = ${businessId}`))[0]!.n);
}

/** Every row the server holds for a business: its change log and its projection, as one comparable text. */
export async function businessState(server: TestServer, businessId: string): Promise<string> {
  // Folded first, so a change the log gained shows in both, and a background fold never makes a difference.
  expect((await ensureProjection(server.storage.db, businessId, { maxWaitMs: 30_000 })).ready).toBe(true);
  const changes = rowsOf<{ seq: string; change_id: string }>(
    await server.storage.db.execute(sql`select seq, change_id from changes where business_id = ${businessId} order by seq`),
  );
  const synced = rowsOf<{ tbl: string; row_id: string; data: unknown }>(
    await server.storage.db.execute(sql`select tbl, row_id, data from synced_rows where business_id = ${businessId} order by tbl, row_id`),
  );
  return JSON.stringify({ changes, synced });
}
