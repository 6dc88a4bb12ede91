import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Input, MethodName } from '@shared/contract';
import { MAX_STAMP_AHEAD_MS, stampMs } from '@shared/sync/server-wire';
import { createInvite } from '../../src-server/sync/store';
import { ensureProjection } from '../../src-server/projection/catch-up';
import { projectionDigest } from '../../src-server/projection/digest';
import type { ServerDb } from '../../src-server/db/open';
import { Core } from '../../src-main/core/core';
import { FileSecretStore } from '../../src-main/core/file-secret-store';
import { silentLogger, type Clock } from '../../src-main/core/ports';
import type { BusinessDb } from '../../src-main/core/db/open';
import { syncedTables } from '../../src-main/core/sync/schema-info';
import type { FetchLike } from '../../src-main/core/sync-client/http';
import { call, connect, MIGRATIONS_DIR, OWNER_PASSWORD, signUp, tempDir, type TestConnection } from '../support/core';
import { startTestServer, storageKinds, type StorageKind, type TestServer } from './support';
import { rng, type Rng } from '../support/rng';

// The property test of sync through the real server (issue 12, "Done when"):
// three PCs (each a real Core with its own data folder, secret file, clock and
// network) and the real server; on PostgreSQL two server instances on one
// database, each request of each PC going to either at random. Random edits of
// what a user makes (customers with colliding emails, tags, notes, plans with
// colliding codes, subscriptions, cancels, payments, refunds, deletes, billing
// runs on the billing PC), syncs in random order, syncs cut after a random
// number of requests (the request lost before or after the server did it),
// clocks skewed and jumping (a day ahead, hours behind) between answers.
// At the end, after every PC has synced: equal digests and conflict lists on
// every PC, and no edit missing: every value the test wrote is the final value
// of its field, or listed by the conflicts as kept or overwritten, or was
// superseded by a later edit or delete made by a PC that had seen it.
//
// Fixed seed, seconds by default; SYNC_FUZZ_RUNS=n runs n seeds (SYNC_FUZZ_SEED=s starts at s),
// SYNC_FUZZ_STEPS=n makes each longer.

const HOUR = 3_600_000;
const dropped = () => new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });

/** A PC's network: each request to one of the servers at random; after `failAfter` requests, every request fails (before or after the server did it). */
class Network {
  requests = 0;
  failAfter: number | null = null;
  constructor(
    private readonly servers: TestServer[],
    private readonly r: Rng,
  ) {}

  readonly fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    url.host = new URL(this.r.pick(this.servers).url).host;
    this.requests += 1;
    if (this.failAfter !== null && this.requests > this.failAfter) {
      if (this.r.next() < 0.5) throw dropped();
      await (await fetch(url, init)).text(); // the server did it; the answer is lost
      throw dropped();
    }
    return fetch(url, init);
  };
}

interface Pc {
  name: string;
  core: Core;
  conn: TestConnection;
  net: Network;
  db: BusinessDb;
}

/** One value the test wrote into a field. */
interface Write {
  pc: string;
  table: string;
  rowId: string;
  field: string;
  value: string;
  superseded: boolean;
}

async function attempt<M extends MethodName>(pc: Pc, method: M, input: Input<M>) {
  try {
    return await call(pc.core, pc.conn, method, input);
  } catch {
    return null; // refused by the handler (a duplicate email on this PC, a customer with subscriptions...): fine
  }
}

const ids = (pc: Pc, sql: string, ...args: unknown[]) => pc.db.sqlite.prepare(sql).pluck().all(...args) as string[];

/** The rows of a table that differ between two PCs (what a failing digest shows). */
function rowDiff(x: Pc, y: Pc, table: string) {
  const t = syncedTables(x.db.sqlite).get(table)!;
  const columns = t.columns.map((c) => `"${c}"`).join(', ');
  const rows = (pc: Pc) =>
    new Map((pc.db.sqlite.prepare(`SELECT ${columns} FROM "${table}"`).all() as Record<string, unknown>[]).map((row) => [JSON.stringify(t.key.map((k) => row[k])), row]));
  const [rx, ry] = [rows(x), rows(y)];
  const out: unknown[] = [];
  for (const [id, row] of rx) if (JSON.stringify(row) !== JSON.stringify(ry.get(id))) out.push({ id, [x.name]: row, [y.name]: ry.get(id) ?? null });
  for (const [id, row] of ry) if (!rx.has(id)) out.push({ id, [x.name]: null, [y.name]: row });
  const logOf = (pc: Pc, rowId: string) =>
    (pc.db.sqlite.prepare('SELECT seq, hlc, op, pushed, remote, fields FROM sync_changes WHERE tbl = ? AND row_id = ? ORDER BY seq').all(table, rowId) as Record<string, unknown>[]).map(
      (c) => `${String(c.seq)} ${String(c.hlc)} ${String(c.op)} p${String(c.pushed)} r${String(c.remote)} ${String(c.fields).slice(0, 160)}`,
    );
  return out.slice(0, 3).map((d) => {
    const rowId = (JSON.parse((d as { id: string }).id) as string[]).length === 1 ? (JSON.parse((d as { id: string }).id) as string[])[0]! : (d as { id: string }).id;
    return { ...(d as object), log: { [x.name]: logOf(x, rowId), [y.name]: logOf(y, rowId) } };
  });
}

/** The rows of a table that differ between a PC and the server's projection. */
async function projectionDiff(pc: Pc, db: ServerDb, businessId: string, table: string) {
  const t = syncedTables(pc.db.sqlite).get(table)!;
  const columns = [...t.columns].sort();
  const canon = (row: Record<string, unknown>) => JSON.stringify(columns.map((c) => row[c] ?? null));
  const keyOf = (row: Record<string, unknown>) => JSON.stringify(t.key.map((k) => row[k]));
  const local = new Map((pc.db.sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((r) => [keyOf(r), canon(r)]));
  const result = (await db.execute(sql`select data from synced_rows where business_id = ${businessId} and tbl = ${table} and data is not null`)) as unknown as { rows: { data: Record<string, unknown> }[] };
  const server = new Map(result.rows.map((r) => [keyOf(r.data), canon(r.data)]));
  const out: unknown[] = [];
  for (const [id, row] of local) if (server.get(id) !== row) out.push({ id, [pc.name]: row, server: server.get(id) ?? null });
  for (const [id, row] of server) if (!local.has(id)) out.push({ id, [pc.name]: null, server: row });
  return out.slice(0, 3);
}

async function scenario(servers: TestServer[], seed: number, steps: number) {
  const r = rng(seed);
  const cores: Core[] = [];
  const newPc = (name: string, skewMs: number): Omit<Pc, 'db'> & { db?: BusinessDb } => {
    const dataDir = tempDir('recurra-fuzz-');
    const net = new Network(servers, r);
    // The Clock port (created_at, updated_at, audit times, lastSyncAt) is skewed per PC; the HLC reads the OS
    // clock, whose jumps the test makes by moving sync_clock.offset_ms (see `jump` below).
    const clock: Clock = { now: () => new Date(Date.now() + skewMs) };
    const core = new Core({
      paths: { dataDir, migrationsDir: MIGRATIONS_DIR },
      clock,
      logger: silentLogger,
      secrets: new FileSecretStore(dataDir, () => {}),
      fetch: net.fetch,
      syncPullPageSize: r.pick([5, 37, 1000]),
    });
    cores.push(core);
    return { name, core, conn: connect(), net };
  };

  try {
    // A: the first PC (the billing PC), with a few plans and customers, connects; B and C join.
    const first = newPc('A', 0);
    const made = await signUp(first.core, { timezone: 'UTC' });
    const businessId = made.businessId;
    const a: Pc = { ...first, conn: made.conn as TestConnection, db: first.core.businesses.get(businessId) };
    for (const [name, price] of [['Basic', 1500], ['Pro', 4900]] as const) await call(a.core, a.conn, 'plans.create', { name, price, interval: 'month' } as Input<'plans.create'>);
    for (let i = 0; i < 3; i++) await call(a.core, a.conn, 'customers.create', { name: `Seed ${i}`, email: `seed${i}@example.com`, paymentMethod: 'manual' } as Input<'customers.create'>);
    const invite = await createInvite(servers[0]!.storage.db, new Date());
    await call(a.core, a.conn, 'sync.connect', { server: servers[0]!.url, inviteCode: invite.code, deviceName: 'A' });
    const pcs: Pc[] = [a];
    for (const [name, skew] of [['B', -2 * HOUR], ['C', 3 * HOUR]] as const) {
      const p = newPc(name, skew);
      const code = (await call(a.core, a.conn, 'sync.pair', {})).code;
      await call(p.core, p.conn, 'sync.join', { server: servers[0]!.url, code, deviceName: name });
      await call(p.core, p.conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
      pcs.push({ ...p, db: p.core.businesses.get(businessId) });
    }

    const writes: Write[] = [];
    const created = { customers: new Set<string>(), plans: new Set<string>(), subscriptions: new Set<string>(), payments: new Map<string, number>(), refunds: new Set<string>() };
    const deleted = new Set<string>();
    let syncs = 0;
    let cut = 0;
    let jumps = 0;

    /** Whether pc's log holds a change that set field of the row to value (pc wrote it or applied it). */
    const hasSeen = (pc: Pc, w: Write) =>
      pc.db.sqlite
        .prepare(`SELECT 1 FROM sync_changes WHERE tbl = ? AND row_id = ? AND op = 'upsert' AND json_extract(fields, '$."' || ? || '"') = ? LIMIT 1`)
        .get(w.table, w.rowId, w.field, w.value) !== undefined;
    /** pc is about to overwrite (fields) or delete (null) a row: the values it has seen there are legitimately gone. */
    const supersede = (pc: Pc, table: string, rowId: string, fields: string[] | null) => {
      for (const w of writes) {
        if (!w.superseded && w.table === table && w.rowId === rowId && (fields === null || fields.includes(w.field)) && hasSeen(pc, w)) w.superseded = true;
      }
    };
    const current = (pc: Pc, table: string, rowId: string, field: string) =>
      pc.db.sqlite.prepare(`SELECT "${field}" FROM ${table} WHERE id = ?`).pluck().get(rowId) as string | undefined;

    /** pc edits one field of a row; the value it stores, if the edit changed it, is a write that must survive or be listed. */
    const editField = async (pc: Pc, table: 'customers' | 'plans', rowId: string, field: string, edit: () => Promise<unknown>) => {
      supersede(pc, table, rowId, [field]);
      const before = current(pc, table, rowId, field);
      if (!(await edit())) return;
      const stored = current(pc, table, rowId, field)!;
      if (stored !== before) writes.push({ pc: pc.name, table, rowId, field, value: stored, superseded: false });
    };

    const customerFields = ['name', 'phone', 'notes', 'company', 'segment'] as const;
    let asOfMonth = 3;

    for (let step = 0; step < steps; step++) {
      const pc = r.pick(pcs);
      const customers = ids(pc, 'SELECT id FROM customers ORDER BY id');
      const plans = ids(pc, 'SELECT id FROM plans ORDER BY id');
      const op = r.int(20);
      if (op <= 1) {
        // A new customer; often with an email another PC may take offline too.
        const email = r.next() < 0.6 ? `shared${r.int(4)}@example.com` : `c${seed}-${step}@example.com`;
        const c = await attempt(pc, 'customers.create', { name: `${pc.name} ${step}`, email, paymentMethod: 'manual' } as Input<'customers.create'>);
        if (c) {
          created.customers.add(c.id);
          writes.push({ pc: pc.name, table: 'customers', rowId: c.id, field: 'email', value: c.email, superseded: false });
          writes.push({ pc: pc.name, table: 'customers', rowId: c.id, field: 'name', value: c.name, superseded: false });
        }
      } else if (op <= 5) {
        if (customers.length === 0) continue;
        const id = r.pick(customers);
        const field = r.pick(customerFields);
        const value = field === 'phone' ? `555 ${step} ${pc.name.charCodeAt(0)}` : `${field} ${pc.name} ${step}`;
        await editField(pc, 'customers', id, field, () => attempt(pc, 'customers.update', { id, [field]: value } as Input<'customers.update'>));
      } else if (op === 6) {
        if (customers.length) await attempt(pc, 'customers.update', { id: r.pick(customers), tags: ['vip', 'new', 'late'].filter(() => r.next() < 0.5) } as Input<'customers.update'>);
      } else if (op === 7) {
        if (customers.length) await attempt(pc, 'customers.logActivity', { customerId: r.pick(customers), kind: 'note', body: `note ${pc.name} ${step}` } as Input<'customers.logActivity'>);
      } else if (op === 8) {
        // Delete a customer (refused on this PC while it has subscriptions or invoices).
        const plain = ids(pc, 'SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.id) ORDER BY id');
        if (plain.length === 0) continue;
        const id = r.pick(plain);
        supersede(pc, 'customers', id, null);
        if (await attempt(pc, 'customers.delete', { id })) deleted.add(id);
      } else if (op === 9) {
        const code = r.next() < 0.5 ? `SHARED${r.int(3)}` : `P${seed}X${step}`;
        const p = await attempt(pc, 'plans.create', { name: `Plan ${pc.name} ${step}`, code, price: 1000 + 100 * r.int(50), interval: r.pick(['month', 'year'] as const) } as Input<'plans.create'>);
        if (p) {
          created.plans.add(p.id);
          writes.push({ pc: pc.name, table: 'plans', rowId: p.id, field: 'code', value: p.code, superseded: false });
        }
      } else if (op === 10) {
        if (plans.length === 0) continue;
        const id = r.pick(plans);
        const field = r.pick(['name', 'description'] as const);
        const value = `${field} ${pc.name} ${step}`;
        await editField(pc, 'plans', id, field, () => attempt(pc, 'plans.update', { id, [field]: value } as Input<'plans.update'>));
      } else if (op === 11) {
        if (customers.length === 0 || plans.length === 0) continue;
        const s = await attempt(pc, 'subscriptions.create', { customerId: r.pick(customers), planId: r.pick(plans), startDate: '2026-03-01', quantity: 1 + r.int(3), withLicenseKey: false });
        if (s) created.subscriptions.add(s.id);
      } else if (op === 12) {
        const subs = ids(pc, "SELECT id FROM subscriptions WHERE status != 'canceled' ORDER BY id");
        if (subs.length) await attempt(pc, 'subscriptions.cancel', { id: r.pick(subs), on: '2026-04-15', atPeriodEnd: r.next() < 0.5, prorate: false });
      } else if (op === 13) {
        const open = pc.db.sqlite.prepare("SELECT id, amount_due FROM invoices WHERE status = 'open' AND amount_due > 1 ORDER BY id").all() as { id: string; amount_due: number }[];
        if (open.length === 0) continue;
        const inv = r.pick(open);
        const paid = await attempt(pc, 'invoices.pay', { id: inv.id, amount: 1 + r.int(inv.amount_due), method: 'cash', on: '2026-03-02', reference: '' });
        if (paid) created.payments.set(paid.payment.id, paid.payment.amount);
      } else if (op === 14) {
        const paid = pc.db.sqlite.prepare("SELECT id, amount - amount_refunded AS left FROM payments WHERE status = 'succeeded' AND amount - amount_refunded > 1 ORDER BY id").all() as {
          id: string;
          left: number;
        }[];
        if (paid.length === 0) continue;
        const p = r.pick(paid);
        const refunded = await attempt(pc, 'payments.refund', { id: p.id, amount: 1 + r.int(Math.floor(p.left / 2)), on: '2026-03-03', reason: '' });
        if (refunded) created.refunds.add(refunded.refund.id);
      } else if (op === 15) {
        // Billing on the billing PC only (guarantee 4); the others are refused.
        asOfMonth = Math.min(9, asOfMonth + r.int(2));
        await attempt(pc, 'billing.run', { asOf: `2026-0${asOfMonth}-01` });
      } else if (op === 16) {
        // The OS clock jumps (the stored correction stays until the server's next answer): a day ahead, minutes, hours behind.
        const jump = r.pick([24 * HOUR, 10 * 60_000, -3 * HOUR]);
        pc.db.sqlite.prepare('UPDATE sync_clock SET offset_ms = offset_ms + ?').run(jump);
        jumps++;
      } else {
        // A sync, sometimes cut after a few requests (the PC killed, the network gone).
        if (r.next() < 0.35) {
          pc.net.failAfter = pc.net.requests + r.int(6);
          cut++;
        }
        try {
          await call(pc.core, pc.conn, 'sync.now', {});
        } catch (error) {
          if (pc.net.failAfter === null) throw error;
          expect(String(error)).toContain('Cannot reach the sync server');
        } finally {
          pc.net.failAfter = null;
        }
        syncs++;
      }
    }

    // Every PC syncs until a whole round moves nothing (conflict rows written by a pull are changes to push).
    for (let round = 0; ; round++) {
      let moved = 0;
      for (const pc of pcs) {
        const result = await call(pc.core, pc.conn, 'sync.now', {});
        moved += result.pushed + result.pulled;
      }
      if (moved === 0) break;
      if (round === 6) throw new Error('sync did not settle in 6 rounds');
    }

    const digests = pcs.map((pc) => call(pc.core, pc.conn, 'sync.digest', {}));
    const conflicts = await Promise.all(pcs.map((pc) => call(pc.core, pc.conn, 'sync.conflicts', {})));
    const [digestA, digestB, digestC] = await Promise.all(digests);
    for (const [other, d] of [[pcs[1]!, digestB!], [pcs[2]!, digestC!]] as const) {
      const differ = Object.keys(digestA!.tables).filter((t) => digestA!.tables[t] !== d.tables[t]);
      expect(differ.map((t) => ({ table: t, rows: rowDiff(a, other, t) })), `seed ${seed}: ${other.name}'s digest`).toEqual([]);
    }
    expect(conflicts[1]).toEqual(conflicts[0]);
    expect(conflicts[2]).toEqual(conflicts[0]);

    // The server's projection (what the REST API reads) holds exactly what every PC holds.
    const db = servers[0]!.storage.db;
    const ensured = await ensureProjection(db, businessId, { maxWaitMs: 300_000, maxBacklog: Number.POSITIVE_INFINITY });
    expect(ensured.ready).toBe(true);
    const projected = await projectionDigest(db, businessId);
    expect(Object.keys(projected.tables).sort()).toEqual(Object.keys(digestA!.tables).sort());
    const apart = Object.keys(digestA!.tables).filter((t) => digestA!.tables[t] !== projected.tables[t]);
    expect(await Promise.all(apart.map(async (t) => ({ table: t, rows: await projectionDiff(a, db, businessId, t) }))), `seed ${seed}: the server's projection`).toEqual([]);

    // No edit missing: final value, or in the conflicts, or superseded by a PC that had seen it.
    const listed = conflicts[0]!;
    const missing = writes.filter((w) => {
      if (w.superseded) return false;
      if (current(a, w.table, w.rowId, w.field) === w.value) return false;
      return !listed.some((c) => c.entity === w.table && c.id === w.rowId && c.field === w.field && (c.kept === w.value || c.overwritten === w.value));
    });
    const explain = (w: Write) => ({
      ...w,
      final: current(a, w.table, w.rowId, w.field) ?? null,
      conflicts: listed.filter((c) => c.id === w.rowId),
      log: Object.fromEntries(
        pcs.map((pc) => [
          pc.name,
          (pc.db.sqlite.prepare('SELECT hlc, op, remote, fields FROM sync_changes WHERE tbl = ? AND row_id = ? ORDER BY seq').all(w.table, w.rowId) as Record<string, unknown>[]).map(
            (c) => `${String(c.hlc)} ${String(c.op)} r${String(c.remote)} ${String(c.fields).slice(0, 200)}`,
          ),
        ]),
      ),
    });
    expect(missing.map(explain), `seed ${seed}: written values neither final nor listed as conflicts`).toEqual([]);

    // What was created is there (a deleted customer may come back: another PC gave it a subscription), money included.
    for (const id of created.customers) if (!deleted.has(id)) expect(a.db.sqlite.prepare('SELECT 1 FROM customers WHERE id = ?').get(id), `customer ${id}`).toBeDefined();
    for (const id of created.subscriptions) expect(a.db.sqlite.prepare('SELECT 1 FROM subscriptions WHERE id = ?').get(id), `subscription ${id}`).toBeDefined();
    for (const id of created.plans) expect(a.db.sqlite.prepare('SELECT 1 FROM plans WHERE id = ?').get(id), `plan ${id}`).toBeDefined();
    for (const [id, amount] of created.payments) expect(a.db.sqlite.prepare('SELECT amount FROM payments WHERE id = ?').pluck().get(id), `payment ${id}`).toBe(amount);
    for (const id of created.refunds) expect(a.db.sqlite.prepare('SELECT 1 FROM refunds WHERE id = ?').get(id), `refund ${id}`).toBeDefined();
    // Money derived after the merge: an invoice's amount paid is the sum of its succeeded payments.
    const drift = a.db.sqlite
      .prepare(
        `SELECT i.id FROM invoices i WHERE i.status IN ('open', 'paid') AND i.amount_paid != coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'succeeded'), 0)`,
      )
      .pluck()
      .all();
    expect(drift, 'invoices whose amount paid is not the sum of their payments').toEqual([]);
    // No period invoiced twice.
    const twice = a.db.sqlite.prepare("SELECT subscription_id, period_key FROM invoices WHERE period_key IS NOT NULL AND status != 'void' GROUP BY 1, 2 HAVING count(*) > 1").all();
    expect(twice).toEqual([]);
    // No stamp in the server's future, whatever the clocks did.
    for (const pc of pcs) {
      const newest = pc.db.sqlite.prepare('SELECT max(hlc) FROM sync_changes').pluck().get() as string;
      expect(stampMs(newest), `${pc.name}'s newest stamp`).toBeLessThanOrEqual(Date.now() + MAX_STAMP_AHEAD_MS);
    }
    const count = (t: string) => a.db.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    return { syncs, cut, jumps, conflicts: listed.length, writes: writes.length, changes: count('sync_changes'), invoices: count('invoices'), payments: count('payments'), deleted: deleted.size };
  } finally {
    for (const core of cores) core.close();
  }
}

const runs = Number(process.env.SYNC_FUZZ_RUNS ?? 1);
const firstSeed = Number(process.env.SYNC_FUZZ_SEED ?? 1);
const steps = Number(process.env.SYNC_FUZZ_STEPS ?? 90);

describe.each(storageKinds)('three PCs through the real server (%s)', (kind: StorageKind) => {
  const servers: TestServer[] = [];
  beforeAll(async () => {
    const one = await startTestServer(kind);
    servers.push(one);
    // On PostgreSQL, a second server on the same database: the PCs alternate between them at random.
    if (kind === 'postgres') servers.push(await startTestServer('postgres', { databaseUrl: one.databaseUrl }));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it(`random edits, syncs cut midway, clocks skewed and jumping${kind === 'postgres' ? ', two servers' : ''}: equal digests, no edit missing (${runs} seed${runs > 1 ? 's' : ''})`, async () => {
    const totals = { syncs: 0, cut: 0, jumps: 0, conflicts: 0, writes: 0 };
    for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
      const out = await scenario(servers, seed, steps);
      if (process.env.SYNC_DEBUG) console.log(kind, seed, out);
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += out[k];
    }
    // The run exercised what it claims to.
    expect(totals.syncs).toBeGreaterThan(3);
    expect(totals.cut).toBeGreaterThan(0);
    expect(totals.jumps).toBeGreaterThan(0);
    expect(totals.writes).toBeGreaterThan(10);
  }, 600_000);
});
