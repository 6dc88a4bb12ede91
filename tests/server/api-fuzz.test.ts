import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src-server/api/routes';
import type { ApiRoute } from '../../src-server/api/define';
import { PAST } from './pcs';
import { apiClient, businessState, keyedBusiness, type ApiClient, type ApiReply, type KeyedBusiness } from './api-support';
import { startTestServer, storageKinds, type TestServer } from './support';

// Bad input and tenancy on EVERY route of the REST API (spec/server.md "REST
// API", issue 13 "Bad input and security"), walked from the route registry
// (API_ROUTES), so a route added later is fuzzed without a line here: wrong
// types, missing and unknown fields, huge strings, wrong content types,
// malformed JSON and bodies over 1 MB get 400 naming `param` (or 413), and
// write nothing (the change log and the projection of both businesses are
// compared before and after); a read key gets 403 on every write; business
// A's key gets 404, never data, for every object of business B, and its lists
// never show B's rows. Every answer is checked against /v1/openapi.json.
// A request the generator cannot make valid is reported by name, so a new
// route's baseline is fixed here rather than skipped silently.

type Json = Record<string, unknown>;
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  format?: string;
  default?: unknown;
}

/** The non-null branch of a nullable or union schema. */
function main(schema: Schema): Schema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return main(branches.find((b) => b.type !== 'null') ?? branches[0]!);
  return schema;
}
const typeOf = (schema: Schema) => {
  const s = main(schema);
  if (s.enum || s.const !== undefined) return 'enum';
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
};

/** What the fuzz knows of the two businesses, to fill requests and to try one's objects with the other's key. */
interface World {
  a: KeyedBusiness & { ids: Record<string, string>; licenseKey: string };
  b: KeyedBusiness & { ids: Record<string, string>; licenseKey: string };
}

let emails = 0;

/** A plausible value for a field, from its name and schema (business A's objects for ids). */
function sample(name: string, schema: Schema, world: World['a']): unknown {
  const s = main(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const type = typeOf(s);
  if (type === 'integer' || type === 'number') return Math.max(1, s.minimum ?? 1, (s.exclusiveMinimum ?? 0) + 1);
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'object') return {};
  if (/email/i.test(name)) return `fuzz${++emails}-${Date.now()}@example.com`;
  if (/date$|_on$|On$|^as_of$/i.test(name)) return PAST;
  if (/^business/i.test(name)) return world.businessId;
  if (/^(key|licenseKey)$/.test(name)) return world.licenseKey;
  const idOf = /^(\w+?)_?[Ii]d$/.exec(name);
  if (idOf && world.ids[idOf[1]!.toLowerCase()]) return world.ids[idOf[1]!.toLowerCase()];
  return 'x'.repeat(Math.max(s.minLength ?? 1, 4));
}

/** Values of the route's operations the generator cannot guess (by operationId), over the generated ones. */
const OVERRIDES: Record<string, (w: World['a']) => Json> = {
  createSubscription: (w) => ({ planId: w.ids.plan }),
};

/** A value of the wrong JSON type for a field. */
function wrongType(schema: Schema): unknown {
  const type = typeOf(schema);
  if (type === 'integer' || type === 'number') return 'abc';
  if (type === 'boolean') return 'yes';
  if (type === 'array' || type === 'object') return 'x';
  return 12345;
}

/** A query value its schema refuses (a query value is always text). */
function badQueryValue(schema: Schema): string | undefined {
  const s = main(schema);
  const type = typeOf(s);
  if (type === 'enum') return 'zzz-not-a-value';
  if (type === 'integer' || type === 'number') return 'abc';
  if (type === 'string') return 'x'.repeat((s.maxLength ?? 4000) + 1);
  return undefined;
}

interface Op {
  route: ApiRoute;
  path: string;
  method: string;
  body?: Schema;
  query: Record<string, { schema: Schema; required: boolean }>;
  pathParams: string[];
}

const BIG = 200_000;

describe.each(storageKinds)('every /v1 route under bad input, scopes and two businesses on %s', (kind) => {
  let server: TestServer;
  let client: ApiClient;
  let world: World;
  let ops: Op[];
  const api = (...args: Parameters<ApiClient['api']>) => client.api(...args);

  /** Plans, a coupon, a licensed subscription and invoices on a business's PC, synced; the ids of its objects as the API lists them. */
  async function seed(b: KeyedBusiness): Promise<World['a']> {
    const pc = b.pc;
    const plan = (await pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Monthly', '--price', '30.00', '--interval', 'month'])).plan;
    await pc.ok(['coupon', 'create', '--code', 'FUZZ', '--percent-off', '10', '--duration', 'forever']);
    const sub = (await pc.ok<{ subscription: { id: string; licenseKey: string } }>(['subscription', 'create', '--customer', b.john.id, '--plan', plan.id, '--start', PAST, '--license'])).subscription;
    await pc.ok(['billing', 'run', '--as-of', PAST]);
    await pc.ok(['sync', 'now']);
    const invoices = await pc.ok<{ id: string }[]>(['invoice', 'list']);
    expect(invoices.length).toBeGreaterThan(0);
    return { ...b, licenseKey: sub.licenseKey, ids: { customer: b.jane.id, plan: plan.id, subscription: sub.id, invoice: invoices[0]!.id, coupon: '' } };
  }

  /** The route's path with its parameters filled with this business's objects (`/customers/{id}` → a customer of it). */
  function pathFor(op: Op, w: World['a'], override?: string): string {
    const resource = op.route.path.split('/')[1]!.replace(/s$/, '');
    return `/v1${op.route.path.replace(/\{(\w+)\}/g, () => override ?? w.ids[resource] ?? 'unknown')}`;
  }

  function baseline(op: Op, w: World['a']): { query: Record<string, string>; body?: Json } {
    const query: Record<string, string> = {};
    for (const [name, q] of Object.entries(op.query)) if (q.required) query[name] = String(sample(name, q.schema, w));
    if (!op.body) return { query };
    const body: Json = {};
    for (const name of op.body.required ?? []) body[name] = sample(name, op.body.properties![name]!, w);
    return { query, body: { ...body, ...(OVERRIDES[op.route.operationId]?.(w) ?? {}) } };
  }

  const withQuery = (path: string, query: Record<string, string>) => (Object.keys(query).length ? `${path}?${new URLSearchParams(query).toString()}` : path);
  const keyOf = (op: Op, key: string) => (op.route.scope === 'public' ? undefined : key);

  beforeAll(async () => {
    server = await startTestServer(kind, { apiRatePerSecond: 100_000 });
    client = await apiClient(server);
    const a = await seed(await keyedBusiness(server, 'Sunrise Yoga', 'jane@sunrise.example'));
    const b = await seed(await keyedBusiness(server, 'Harbor Gym', 'jane@harbor.example'));
    world = { a, b };
    ops = API_ROUTES.map((route) => {
      const operation = client.openapi.paths[`/v1${route.path}`]![route.method.toLowerCase()] as unknown as {
        parameters: { name: string; in: string; required: boolean; schema: Schema }[];
        requestBody?: { content: { 'application/json': { schema: Schema } } };
      };
      const query = Object.fromEntries(operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, { schema: p.schema, required: p.required }]));
      return {
        route,
        path: route.path,
        method: route.method,
        query,
        pathParams: operation.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        ...(operation.requestBody ? { body: operation.requestBody.content['application/json'].schema } : {}),
      };
    });
    // Each key's first use of the day writes its last_used_on: done here, before any "nothing written" comparison.
    for (const key of [a.read, a.write, b.read, b.write]) expect((await api('GET', '/v1/plans', { key })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('knows every route, and a valid request to each succeeds (the baseline the bad ones are made from)', async () => {
    expect(ops.length).toBe(API_ROUTES.length);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['GET /customers', 'POST /customers', 'PATCH /customers/{id}', 'POST /subscriptions', 'GET /metrics']));
    const failed: string[] = [];
    // A machine is deactivated only after every other license call has used it (checkout needs it active).
    const inOrder = [...ops.filter((o) => o.route.operationId !== 'deactivateLicense'), ...ops.filter((o) => o.route.operationId === 'deactivateLicense')];
    for (const op of inOrder) {
      const { query, body } = baseline(op, world.a);
      const reply = await api(op.method, withQuery(pathFor(op, world.a), query), { key: keyOf(op, op.route.scope === 'write' ? world.a.write : world.a.read), ...(body ? { body } : {}) });
      if (reply.status >= 300) failed.push(`${op.method} ${op.path}: ${reply.status} ${reply.text.slice(0, 200)} (add to OVERRIDES)`);
    }
    // A validation writes its day's date (and a business's first signing key) back a moment after it answers.
    await server.app.settleLicenseWrites();
    expect(failed).toEqual([]);
  });

  it('answers wrong types, missing, unknown and huge fields, bad JSON, wrong content types and big bodies with 400 naming the param (or 413), writing nothing', async () => {
    const before = [await businessState(server, world.a.businessId), await businessState(server, world.b.businessId)];
    const wrong: string[] = [];
    let tried = 0;
    const expectRefused = (what: string, reply: ApiReply, param: string | RegExp | null, status = 400) => {
      tried++;
      const got = reply.body?.error?.param as string | undefined;
      const paramOk = param === null ? typeof got === 'string' && got.length > 0 : typeof param === 'string' ? got === param : param.test(got ?? '');
      if (reply.status !== status || (status === 400 && !paramOk) || (status === 400 && reply.body?.error?.type !== 'invalid_request')) {
        wrong.push(`${what}: wanted ${status} param ${String(param)}, got ${reply.status} ${reply.text.slice(0, 200)}`);
      }
    };
    for (const op of ops) {
      const key = keyOf(op, op.route.scope === 'write' ? world.a.write : world.a.read);
      const { query, body } = baseline(op, world.a);
      const path = pathFor(op, world.a);
      const name = `${op.method} ${op.path}`;
      const send = (q: Record<string, string>, options: { body?: unknown; raw?: string; headers?: Record<string, string> } = body ? { body } : {}) =>
        api(op.method, withQuery(path, q), { key, ...options });

      for (const [field, q] of Object.entries(op.query)) {
        const bad = badQueryValue(q.schema);
        if (bad !== undefined) expectRefused(`${name} ?${field}=bad`, await send({ ...query, [field]: bad }), field);
        if (typeOf(q.schema) === 'string') expectRefused(`${name} ?${field} with a NUL`, await send({ ...query, [field]: 'a\u0000b' }), field);
        if (q.required) expectRefused(`${name} without ?${field}`, await send(Object.fromEntries(Object.entries(query).filter(([k]) => k !== field))), field);
      }
      expectRefused(`${name} ?zz_unknown`, await send({ ...query, zz_unknown: '1' }), 'zz_unknown');
      for (const param of op.pathParams) {
        expectRefused(`${name} {${param}} too long`, await api(op.method, withQuery(pathFor(op, world.a, 'x'.repeat(300)), query), { key, ...(body ? { body } : {}) }), param);
        expectRefused(`${name} {${param}} far too long`, await api(op.method, withQuery(pathFor(op, world.a, 'x'.repeat(5000)), query), { key, ...(body ? { body } : {}) }), 'path');
        expectRefused(`${name} {${param}} badly encoded`, await api(op.method, withQuery(pathFor(op, world.a, '%E0%A4%A'), query), { key, ...(body ? { body } : {}) }), 'path');
        expectRefused(`${name} {${param}} with a NUL`, await api(op.method, withQuery(pathFor(op, world.a, 'abc%00def'), query), { key, ...(body ? { body } : {}) }), param);
      }

      if (!op.body) continue;
      for (const [field, schema] of Object.entries(op.body.properties ?? {})) {
        expectRefused(`${name} ${field} of the wrong type`, await send(query, { body: { ...body, [field]: wrongType(schema) } }), field);
        if (typeOf(schema) === 'string' || typeOf(schema) === 'enum') {
          expectRefused(`${name} ${field} huge`, await send(query, { body: { ...body, [field]: 'x'.repeat(BIG) } }), field);
          expectRefused(`${name} ${field} with a NUL`, await send(query, { body: { ...body, [field]: 'a\u0000b' } }), field);
        }
        if (typeOf(schema) === 'array' && typeOf(main(schema).items ?? {}) === 'string') {
          expectRefused(`${name} ${field} with a huge item`, await send(query, { body: { ...body, [field]: ['x'.repeat(BIG)] } }), new RegExp(`^${field}(\\.\\d+)?$`));
          expectRefused(`${name} ${field} with 100,000 items`, await send(query, { body: { ...body, [field]: Array.from({ length: 100_000 }, (_, i) => `t${i}`) } }), field);
        }
      }
      for (const field of op.body.required ?? []) {
        const { [field]: _gone, ...rest } = body!;
        expectRefused(`${name} without ${field}`, await send(query, { body: rest }), field);
      }
      expectRefused(`${name} with an unknown field`, await send(query, { body: { ...body, zzUnknown: 1 } }), 'zzUnknown');
      const poisoned = `{"__proto__":{"admin":true}${Object.keys(body!).length ? `,${JSON.stringify(body).slice(1)}` : '}'}`;
      expectRefused(`${name} with __proto__`, await send(query, { raw: poisoned }), null);
      for (const raw of ['[]', '"text"', '42', 'true']) expectRefused(`${name} body ${raw}`, await send(query, { raw }), 'body');
      for (const raw of ['{"a":', '{a:1}', "{'a':1}", '\u0000', '{"a":1}}']) expectRefused(`${name} malformed ${JSON.stringify(raw)}`, await send(query, { raw }), 'body');
      expectRefused(`${name} empty JSON body`, await send(query, { raw: '' }), 'body');
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
        expectRefused(`${name} as ${type}`, await send(query, { raw: JSON.stringify(body), headers: { 'content-type': type } }), 'Content-Type');
      }
      expectRefused(`${name} over 1 MB`, await send(query, { raw: JSON.stringify({ ...body, pad: 'x'.repeat(1024 * 1024) }) }), null, 413);
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(150);
    expect([await businessState(server, world.a.businessId), await businessState(server, world.b.businessId)]).toEqual(before);
  });

  it('gives a read key 403 on every write, and writes nothing', async () => {
    const before = await businessState(server, world.a.businessId);
    const writes = ops.filter((o) => o.route.scope === 'write');
    expect(writes.length).toBeGreaterThanOrEqual(3);
    for (const op of writes) {
      const { query, body } = baseline(op, world.a);
      const reply = await api(op.method, withQuery(pathFor(op, world.a), query), { key: world.a.read, ...(body ? { body } : {}) });
      expect({ route: `${op.method} ${op.path}`, status: reply.status, code: reply.body.error?.code }).toEqual({ route: `${op.method} ${op.path}`, status: 403, code: 'insufficient_scope' });
    }
    expect(await businessState(server, world.a.businessId)).toBe(before);
  });

  it("never shows or touches business B's objects with business A's keys", async () => {
    const before = await businessState(server, world.b.businessId);
    const leaks: string[] = [];
    // B's ids as B's own keys list them.
    const ofB = new Set<string>();
    for (const op of ops.filter((o) => o.method === 'GET' && o.pathParams.length === 0 && o.route.scope !== 'public')) {
      const { query } = baseline(op, world.b);
      const q = 'limit' in op.query ? { ...query, limit: '100' } : query;
      const mine = await api('GET', withQuery(`/v1${op.path}`, q), { key: world.b.read });
      expect(mine.status).toBe(200);
      for (const item of (mine.body.data ?? []) as { id?: string }[]) if (item.id) ofB.add(item.id);
    }
    expect(ofB.size).toBeGreaterThanOrEqual(5);
    for (const op of ops.filter((o) => o.route.scope !== 'public')) {
      const key = op.route.scope === 'write' ? world.a.write : world.a.read;
      const name = `${op.method} ${op.path}`;
      // A's key on B's objects: 404, never data.
      if (op.pathParams.length > 0) {
        const { query, body } = baseline(op, world.a);
        const reply = await api(op.method, withQuery(pathFor(op, world.b), query), { key, ...(body ? { body } : {}) });
        if (reply.status !== 404) leaks.push(`${name} on B's object: ${reply.status} ${reply.text.slice(0, 200)}`);
      }
      // A's key, naming B's objects in the query or the body: no data of B (404, 400 naming the field, or an empty list).
      const { query, body } = baseline(op, world.a);
      for (const [field] of Object.entries(op.query).filter(([f]) => /_id$/.test(f))) {
        const target = world.b.ids[field.replace(/_id$/, '')] ?? world.b.ids.customer!;
        const reply = await api(op.method, withQuery(pathFor(op, world.a), { ...query, [field]: target }), { key, ...(body ? { body } : {}) });
        if (!(reply.status === 404 || (reply.status === 200 && Array.isArray(reply.body.data) && reply.body.data.length === 0))) leaks.push(`${name} ?${field}=B's: ${reply.status} ${reply.text.slice(0, 200)}`);
      }
      for (const field of Object.keys(op.body?.properties ?? {}).filter((f) => /Id$/.test(f))) {
        const target = world.b.ids[field.replace(/Id$/, '')];
        if (!target) continue;
        const reply = await api(op.method, withQuery(pathFor(op, world.a), query), { key, body: { ...body, [field]: target } });
        if (!([404, 400].includes(reply.status) && reply.body.error?.param === field)) leaks.push(`${name} ${field}=B's: ${reply.status} ${reply.text.slice(0, 200)}`);
      }
      // Lists never carry B's rows.
      if (op.method === 'GET' && op.pathParams.length === 0) {
        const q = 'limit' in op.query ? { ...query, limit: '100' } : query;
        const reply = await api('GET', withQuery(`/v1${op.path}`, q), { key });
        const shown = JSON.stringify(reply.body);
        for (const id of ofB) if (shown.includes(id)) leaks.push(`${name} lists B's ${id}`);
        for (const text of ['jane@harbor.example', 'Harbor Gym', world.b.licenseKey]) if (shown.includes(text)) leaks.push(`${name} shows B's ${text}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(await businessState(server, world.b.businessId)).toBe(before);
  });
});
