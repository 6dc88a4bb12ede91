import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Input } from '@shared/contract';
import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import pg from 'pg';
import { catchUpChunk, ensureProjection, projectionLag, Scheduler } from '../../src-server/projection/catch-up';
import { projectionDigest } from '../../src-server/projection/digest';
import { appendServerChanges, SERVER_DEVICE_ID } from '../../src-server/projection/writer';
import { createInvite } from '../../src-server/sync/store';
import { Core } from '../../src-main/core/core';
import { openBusinessDb } from '../../src-main/core/db/open';
import { FileSecretStore } from '../../src-main/core/file-secret-store';
import { silentLogger } from '../../src-main/core/ports';
import { applyRemote, digest, enableSync } from '../../src-main/core/sync';
import { call as callCore, MIGRATIONS_DIR, signUp, tempDir, type TestConnection } from '../support/core';
import { call, connectNewBusiness, startTestServer, storageKinds, type StorageKind, type TestServer } from './support';

// The fold of the server's projection, one rule at a time, with hand-built
// changes: each case pushes its changes through the real server, folds them
// (in one go, and in chunks of 2), and checks the rule's outcome and that the
// projection's digest equals that of a PC file that applied the same changes
// (src-main/core/sync/apply.ts), so the server cannot drift from the PC.

type Row = Record<string, unknown>;
interface Change {
  hlc: string;
  table: string;
  rowId: string;
  op: 'upsert' | 'delete';
  fields: Row;
}

const DEVICES = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc'] as const;
let counter = 0;
/** A stamp n seconds into the test's time on a device; the counter keeps every change's id (its stamp) apart. */
const stamp = (n: number, dev = 0) => `${String(1_760_000_000_000 + n * 1000).padStart(13, '0')}-${String(++counter).padStart(9, '0')}-${DEVICES[dev]}`;

/** Every synced column of a migrated file with a plausible value (its default, else 0 or '') so a PC's NOT NULLs hold. */
const defaults = (() => {
  const dir = tempDir('recurra-proj-');
  const db = openBusinessDb('x', path.join(dir, 'x.sqlite'), { migrationsDir: MIGRATIONS_DIR, create: true });
  const out: Record<string, Row> = {};
  for (const table of Object.keys(SYNC_TABLE_MAP)) {
    const row: Row = {};
    for (const c of db.sqlite.pragma(`table_info("${table}")`) as { name: string; type: string; notnull: number; dflt_value: string | null }[]) {
      if (!SYNC_TABLE_MAP[table]!.columns.includes(c.name)) continue;
      const d = c.dflt_value;
      row[c.name] =
        d === null ? (c.notnull ? (c.type === 'INTEGER' ? 0 : '') : null) : d === 'false' ? 0 : d === 'true' ? 1 : /^'.*'$/.test(d) ? d.slice(1, -1) : Number.isFinite(Number(d)) ? Number(d) : null;
    }
    out[table] = row;
  }
  db.sqlite.close();
  return out;
})();

const insert = (n: number, dev: number, table: string, id: string, values: Row = {}): Change => ({
  hlc: stamp(n, dev),
  table,
  rowId: id,
  op: 'upsert',
  fields: { ...defaults[table], id, created_at: '2026-01-01T00:00:00.000Z', ...values },
});
const edit = (n: number, dev: number, table: string, id: string, values: Row, base: Row): Change => ({ hlc: stamp(n, dev), table, rowId: id, op: 'upsert', fields: { ...values, '@base': base } });
const remove = (n: number, dev: number, table: string, id: string, base: Row): Change => ({ hlc: stamp(n, dev), table, rowId: id, op: 'delete', fields: { '@base': base } });

const customer = (n: number, dev: number, id: string, email: string, values: Row = {}) =>
  insert(n, dev, 'customers', id, { name: `Customer ${id}`, email, email_normalized: email.toLowerCase(), status: 'active', payment_method: 'manual', updated_at: 'x', ...values });
const plan = (n: number, dev: number, id: string, code: string) => insert(n, dev, 'plans', id, { code, name: `Plan ${code}`, currency: 'USD', unit_amount: 1000, interval: 'month', updated_at: 'x' });
const subscription = (n: number, dev: number, id: string, customerId: string, planId: string, values: Row = {}) =>
  insert(n, dev, 'subscriptions', id, { customer_id: customerId, plan_id: planId, status: 'active', start_date: '2026-01-01', anchor_date: '2026-01-01', updated_at: 'x', ...values });
const invoice = (n: number, dev: number, id: string, customerId: string, total: number) =>
  insert(n, dev, 'invoices', id, {
    number: `INV-${id}`,
    customer_id: customerId,
    kind: 'one_off',
    status: 'open',
    issue_date: '2026-01-01',
    due_date: '2026-01-15',
    currency: 'USD',
    subtotal: total,
    total,
    amount_due: total,
    updated_at: 'x',
  });
const payment = (n: number, dev: number, id: string, invoiceId: string, customerId: string, amount: number) =>
  insert(n, dev, 'payments', id, { invoice_id: invoiceId, customer_id: customerId, amount, currency: 'USD', method: 'cash', status: 'succeeded', paid_on: `2026-01-0${dev + 2}` });

describe.each(storageKinds)('the projection folds changes as a PC applies them (%s)', (kind: StorageKind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Pushes the changes in order, folds them (whole, or in chunks), and compares with a PC that applied them. */
  async function fold(changes: Change[], options: { chunk?: number } = {}) {
    const biz = await connectNewBusiness(server);
    const reply = await call(server, 'POST', '/sync/v1/push', { token: biz.token, body: { changes: changes.map((c) => ({ ...c, id: c.hlc })) } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const db = server.storage.db;
    if (options.chunk) {
      for (let i = 0; i < 1000; i++) {
        const r = await catchUpChunk(db, biz.businessId, options.chunk);
        if (r.state === 'done') break;
      }
    } else expect((await ensureProjection(db, biz.businessId, { maxWaitMs: 60_000 })).ready).toBe(true);

    const pcDir = tempDir('recurra-proj-pc-');
    const pc = openBusinessDb(biz.businessId, path.join(pcDir, 'pc.sqlite'), { migrationsDir: MIGRATIONS_DIR, create: true });
    enableSync(pc, 'dddddddddddddddd');
    applyRemote(
      pc,
      changes.map((c, i) => ({ ...c, id: c.hlc, seq: i + 1, deviceId: c.hlc.slice(-16) })),
    );
    const pcDigest = digest(pc);
    const rows = async (table: string) => {
      const result = (await db.execute(sql`select row_id, data from synced_rows where business_id = ${biz.businessId} and tbl = ${table} and data is not null order by row_id`)) as unknown as {
        rows: { row_id: string; data: Row }[];
      };
      return new Map(result.rows.map((r) => [r.row_id, r.data]));
    };
    const projected = await projectionDigest(db, biz.businessId);
    // The conflicts the PC met it writes with capture on: they reach the server as changes of their own
    // (the fuzz covers them); here nothing pushes them back, so they are left out.
    const differ = Object.keys(pcDigest.tables).filter((t) => t !== 'sync_conflicts' && t !== 'audit_log' && pcDigest.tables[t] !== projected.tables[t]);
    const pcRows = (table: string) => pc.sqlite.prepare(`SELECT * FROM "${table}"`).all();
    const detail = await Promise.all(differ.map(async (t) => ({ table: t, pc: pcRows(t), server: [...(await rows(t)).values()] })));
    pc.sqlite.close();
    return { rows, differ, detail, businessId: biz.businessId };
  }

  const both = async (changes: Change[]) => {
    const whole = await fold(changes);
    expect(whole.detail, 'the projection against a PC').toEqual([]);
    const chunked = await fold(changes, { chunk: 2 });
    expect(chunked.detail, 'folded in chunks of 2').toEqual([]);
    return whole;
  };

  it('per field, the later stamp wins, whatever order the changes arrive in', async () => {
    const base = { name: 'Customer c1' };
    const out = await both([
      customer(1, 0, 'c1', 'a@example.com'),
      edit(5, 1, 'customers', 'c1', { name: 'From B', updated_at: 'b' }, base),
      edit(3, 2, 'customers', 'c1', { name: 'From C', phone: '555', updated_at: 'c' }, { ...base, phone: null }),
    ]);
    expect((await out.rows('customers')).get('c1')).toMatchObject({ name: 'From B', phone: '555', updated_at: 'b' });
  });

  it('deletes: an edit of a deleted row stays away, an insert stamped before the delete stays deleted, a later insert brings it back', async () => {
    const out = await both([
      customer(1, 0, 'c1', 'a@example.com'),
      remove(4, 0, 'customers', 'c1', { id: 'c1' }),
      edit(3, 1, 'customers', 'c1', { name: 'Edited' }, { name: 'Customer c1' }),
      remove(6, 0, 'customers', 'c2', { id: 'c2' }),
      customer(5, 1, 'c2', 'b@example.com'),
      insert(2, 0, 'customer_tags', '["c3","vip"]', { customer_id: 'c3', tag: 'vip' }),
      customer(1, 0, 'c3', 'c@example.com'),
      remove(3, 0, 'customer_tags', '["c3","vip"]', { customer_id: 'c3', tag: 'vip' }),
      insert(4, 1, 'customer_tags', '["c3","vip"]', { customer_id: 'c3', tag: 'vip' }),
    ]);
    const customers = await out.rows('customers');
    expect([...customers.keys()]).toEqual(['c3']);
    expect([...(await out.rows('customer_tags')).keys()]).toEqual(['["c3","vip"]']);
  });

  it('unique keys: the later-created row is suffixed; a holder deleted before the loser was created gives the value back', async () => {
    const out = await both([
      customer(1, 0, 'c1', 'same@example.com'),
      customer(2, 1, 'c2', 'same@example.com'),
      customer(4, 0, 'c3', 'other@example.com'),
      // c3 was created before c4, but deleted (by the stamps) before c4 was created: c4 keeps it once the delete arrives.
      customer(6, 1, 'c4', 'other@example.com'),
      remove(5, 0, 'customers', 'c3', { id: 'c3', email_normalized: 'other@example.com' }),
      plan(1, 0, 'p1', 'BASIC'),
      plan(2, 1, 'p2', 'basic'),
    ]);
    const customers = await out.rows('customers');
    expect(customers.get('c1')!.email_normalized).toBe('same@example.com');
    expect(customers.get('c2')!.email_normalized).toBe('same@example.com~c2');
    expect(customers.get('c4')!.email_normalized).toBe('other@example.com');
    expect((await out.rows('plans')).get('p2')!.code).toBe('basic~p2');
  });

  it('foreign keys: a delete takes CASCADE children along, a RESTRICT child keeps its parent, an orphan note goes, a subscription brings its customer back with its tags', async () => {
    const out = await both([
      customer(1, 0, 'c1', 'a@example.com'),
      insert(2, 0, 'customer_tags', '["c1","vip"]', { customer_id: 'c1', tag: 'vip' }),
      plan(1, 0, 'p1', 'P1'),
      customer(1, 0, 'c2', 'b@example.com'),
      insert(2, 0, 'customer_tags', '["c2","vip"]', { customer_id: 'c2', tag: 'vip' }),
      // c1 deleted on A; B, which had not seen it, logged a note (cascades away) ...
      remove(5, 0, 'customers', 'c1', { ...customer(1, 0, 'c1', 'a@example.com').fields }),
      insert(4, 1, 'customer_events', 'e1', { customer_id: 'c1', kind: 'note', occurred_at: 'x' }),
      // ... c2 deleted on A while C gave it a subscription (restricts: c2 comes back, with its tag).
      remove(5, 0, 'customers', 'c2', { ...customer(1, 0, 'c2', 'b@example.com').fields }),
      subscription(4, 2, 's1', 'c2', 'p1'),
      // A plan with a subscription is not deleted.
      remove(6, 1, 'plans', 'p1', { ...plan(1, 0, 'p1', 'P1').fields }),
    ]);
    expect([...(await out.rows('customers')).keys()]).toEqual(['c2']);
    expect([...(await out.rows('customer_tags')).keys()]).toEqual(['["c2","vip"]']);
    expect((await out.rows('customer_events')).size).toBe(0);
    expect((await out.rows('plans')).has('p1')).toBe(true);
  });

  it('money and counts are derived: two payments from two PCs both count, refunds and credit add up, a coupon counts its subscriptions', async () => {
    const out = await both([
      customer(1, 0, 'c1', 'a@example.com'),
      invoice(2, 0, 'i1', 'c1', 1000),
      payment(3, 0, 'pay1', 'i1', 'c1', 600),
      edit(3, 0, 'invoices', 'i1', { amount_paid: 600, amount_due: 400 }, { amount_paid: 0, amount_due: 1000 }),
      payment(4, 1, 'pay2', 'i1', 'c1', 400),
      edit(4, 1, 'invoices', 'i1', { amount_paid: 400, amount_due: 600 }, { amount_paid: 0, amount_due: 1000 }),
      insert(5, 1, 'refunds', 'r1', { payment_id: 'pay1', amount: 100, currency: 'USD', refunded_on: '2026-01-05' }),
      insert(5, 0, 'credit_transactions', 't1', { customer_id: 'c1', amount: 300, reason: 'goodwill', occurred_on: '2026-01-05' }),
      insert(5, 2, 'credit_transactions', 't2', { customer_id: 'c1', amount: 200, reason: 'goodwill', occurred_on: '2026-01-05' }),
      insert(1, 0, 'coupons', 'k1', { code: 'TEN', currency: 'USD', duration: 'once', percent_off_ppm: 100_000, updated_at: 'x', times_redeemed: 0 }),
      plan(1, 0, 'p1', 'P1'),
      subscription(6, 0, 's1', 'c1', 'p1', { coupon_id: 'k1' }),
      subscription(6, 1, 's2', 'c1', 'p1', { coupon_id: 'k1' }),
    ]);
    expect((await out.rows('invoices')).get('i1')).toMatchObject({ amount_paid: 1000, amount_due: 0, status: 'paid', paid_on: '2026-01-03' });
    expect((await out.rows('payments')).get('pay1')).toMatchObject({ amount_refunded: 100 });
    expect((await out.rows('customers')).get('c1')).toMatchObject({ credit_balance: 500 });
    expect((await out.rows('coupons')).get('k1')).toMatchObject({ times_redeemed: 2 });
  });

  it("an invoice's credit applied is derived: credit notes settled against it on two PCs offline both count", async () => {
    /** A credit note settled off the invoice on device `dev`, as invoicing/credit-notes.ts writes it, with that PC's view of the invoice. */
    const creditNote = (n: number, dev: number, id: string, invoiceId: string, amount: number, before: { applied: number; due: number }, on: string) => [
      insert(n, dev, 'credit_notes', id, { number: `CN-${id}`, invoice_id: invoiceId, customer_id: 'c1', issue_date: on, currency: 'USD', subtotal: amount, total: amount, settlement: 'invoice' }),
      insert(n, dev, 'credit_transactions', `${id}+`, { customer_id: 'c1', amount, reason: 'credit_note', invoice_id: invoiceId, occurred_on: on }),
      insert(n, dev, 'credit_transactions', `${id}-`, { customer_id: 'c1', amount: -amount, reason: 'applied', invoice_id: invoiceId, occurred_on: on }),
      edit(n, dev, 'invoices', invoiceId, { credit_applied: before.applied + amount, amount_due: before.due - amount, updated_at: id }, { credit_applied: before.applied, amount_due: before.due, updated_at: 'x' }),
    ];
    const out = await both([
      customer(1, 0, 'c1', 'a@example.com'),
      invoice(2, 0, 'i1', 'c1', 1000),
      invoice(2, 0, 'i2', 'c1', 1000),
      // i1: A takes 300 off, B 200: 500 left to pay, still open.
      ...creditNote(4, 0, 'n1', 'i1', 300, { applied: 0, due: 1000 }, '2026-01-04'),
      ...creditNote(5, 1, 'n2', 'i1', 200, { applied: 0, due: 1000 }, '2026-01-05'),
      // i2: A takes 600 off, B pays 300 and C takes the last 100 off: settled, on the later of the dates.
      ...creditNote(4, 0, 'n3', 'i2', 600, { applied: 0, due: 1000 }, '2026-01-06'),
      payment(5, 1, 'pay1', 'i2', 'c1', 300),
      edit(5, 1, 'invoices', 'i2', { amount_paid: 300, amount_due: 700 }, { amount_paid: 0, amount_due: 1000 }),
      ...creditNote(6, 2, 'n4', 'i2', 100, { applied: 0, due: 1000 }, '2026-01-07'),
    ]);
    const invoices = await out.rows('invoices');
    expect(invoices.get('i1')).toMatchObject({ credit_applied: 500, amount_paid: 0, amount_due: 500, status: 'open' });
    expect(invoices.get('i2')).toMatchObject({ credit_applied: 700, amount_paid: 300, amount_due: 0, status: 'paid', paid_on: '2026-01-07' });
    expect((await out.rows('customers')).get('c1')).toMatchObject({ credit_balance: 0 });
  });

  it("a counter sale's refunded amount, status and lines' refunded quantities are derived: refunds from two PCs both count", async () => {
    const out = await both([
      insert(1, 0, 'products', 'pr1', { sku: 'MAT', name: 'Mat', price: 1000, currency: 'USD', updated_at: 'x' }),
      insert(2, 0, 'sales', 'sa1', { number: 'R-000001', sold_on: '2026-01-02', currency: 'USD', subtotal: 3000, total: 3000, method: 'cash', status: 'paid', refunded: 0 }),
      insert(2, 0, 'sale_lines', 'sl1', { sale_id: 'sa1', product_id: 'pr1', description: 'Mat', quantity: 2, unit_price: 1000, amount: 2000, sku: 'MAT' }),
      insert(2, 0, 'sale_lines', 'sl2', { sale_id: 'sa1', product_id: 'pr1', description: 'Mat', quantity: 1, unit_price: 1000, amount: 1000, sku: 'MAT' }),
      insert(2, 0, 'sale_payments', 'sp1', { sale_id: 'sa1', method: 'cash', amount: 3000, currency: 'USD', paid_on: '2026-01-02' }),
      // A and B each refund one line offline, and each writes its own view of the derived fields.
      insert(4, 0, 'sale_refunds', 'rf1', { sale_id: 'sa1', refunded_on: '2026-01-03', amount: 1000, currency: 'USD', method: 'cash' }),
      insert(4, 0, 'sale_refund_lines', 'rl1', { refund_id: 'rf1', sale_line_id: 'sl1', product_id: 'pr1', quantity: 1, amount: 1000 }),
      edit(4, 0, 'sales', 'sa1', { refunded: 1000, status: 'partially_refunded' }, { refunded: 0, status: 'paid' }),
      edit(4, 0, 'sale_lines', 'sl1', { refunded_quantity: 1 }, { refunded_quantity: 0 }),
      insert(5, 1, 'sale_refunds', 'rf2', { sale_id: 'sa1', refunded_on: '2026-01-03', amount: 1000, currency: 'USD', method: 'card' }),
      insert(5, 1, 'sale_refund_lines', 'rl2', { refund_id: 'rf2', sale_line_id: 'sl2', product_id: 'pr1', quantity: 1, amount: 1000 }),
      edit(5, 1, 'sales', 'sa1', { refunded: 1000, status: 'partially_refunded' }, { refunded: 0, status: 'paid' }),
      edit(5, 1, 'sale_lines', 'sl2', { refunded_quantity: 1 }, { refunded_quantity: 0 }),
    ]);
    expect((await out.rows('sales')).get('sa1')).toMatchObject({ refunded: 2000, status: 'partially_refunded' });
    expect((await out.rows('sale_lines')).get('sl1')).toMatchObject({ refunded_quantity: 1 });
    expect((await out.rows('sale_lines')).get('sl2')).toMatchObject({ refunded_quantity: 1 });
  });

  it('stock is derived: two PCs selling one product offline both count, an untracked product stays untracked', async () => {
    const product = (n: number, id: string, sku: string, stock: number | null) =>
      insert(n, 0, 'products', id, { sku, name: sku, description: '', category: '', price: 500, currency: 'USD', stock, archived_at: null, created_at: 'x', updated_at: 'x', low_stock_at: null });
    const move = (n: number, dev: number, id: string, productId: string, kind: string, quantity: number) =>
      insert(n, dev, 'stock_movements', id, { product_id: productId, kind, quantity, reason: '', sale_id: null, sale_refund_id: null, user_id: null, occurred_on: '2026-01-02', created_at: 'x' });
    const out = await both([
      product(1, 'pr1', 'MAT', 0),
      product(1, 'pr2', 'PACK', null),
      move(2, 0, 'm1', 'pr1', 'received', 10),
      edit(2, 0, 'products', 'pr1', { stock: 10 }, { stock: 0 }),
      move(3, 0, 'm2', 'pr1', 'sold', -2),
      edit(3, 0, 'products', 'pr1', { stock: 8 }, { stock: 10 }),
      move(4, 1, 'm3', 'pr1', 'sold', -3),
      edit(4, 1, 'products', 'pr1', { stock: 7 }, { stock: 10 }),
    ]);
    expect((await out.rows('products')).get('pr1')).toMatchObject({ stock: 5 });
    expect((await out.rows('products')).get('pr2')).toMatchObject({ stock: null });
  });

  it("a subscription's history rows numbered twice offline are numbered again by creation; a tier position taken twice is refused", async () => {
    const history = (n: number, dev: number, id: string, seq: number) =>
      insert(n, dev, 'subscription_history', id, {
        subscription_id: 's1',
        customer_id: 'c1',
        seq,
        effective_date: '2026-01-01',
        event: 'change',
        status: 'active',
        plan_id: 'p1',
        quantity: 1,
        recurring_amount: 1000,
        recorded_at: 'x',
      });
    const out = await both([
      customer(1, 0, 'c1', 'a@example.com'),
      plan(1, 0, 'p1', 'P1'),
      subscription(2, 0, 's1', 'c1', 'p1'),
      history(2, 0, 'h1', 1),
      history(4, 1, 'h3', 2),
      history(3, 0, 'h2', 2),
      insert(2, 0, 'plan_tiers', 't1', { plan_id: 'p1', position: 0, unit_amount: 5 }),
      insert(3, 1, 'plan_tiers', 't2', { plan_id: 'p1', position: 0, unit_amount: 7 }),
    ]);
    const rows = await out.rows('subscription_history');
    expect([1, 2, 3].map((seq) => [...rows.values()].find((r) => r.seq === seq)?.id)).toEqual(['h1', 'h2', 'h3']);
    expect([...(await out.rows('plan_tiers')).keys()]).toEqual(['t1']);
  });

  it('a change the server makes is stamped after everything the business has, validated against the columns, and folded', async () => {
    const biz = await connectNewBusiness(server);
    const late = customer(9_000_000, 0, 'c1', 'a@example.com'); // about 104 days after the others, still in the past
    expect((await call(server, 'POST', '/sync/v1/push', { token: biz.token, body: { changes: [{ ...late, id: late.hlc }] } })).status).toBe(200);
    const db = server.storage.db;
    const write = (changes: Parameters<typeof appendServerChanges>[2]) => db.transaction((tx) => appendServerChanges(tx as never, biz.businessId, changes, new Date(1_760_000_000_000)));
    await expect(write([{ table: 'customers', rowId: 'c2', op: 'upsert', fields: { name: 'x' } }])).rejects.toMatchObject({ status: 400, param: 'changes.0.fields.id' });
    await expect(write([{ table: 'customers', rowId: 'c1', op: 'upsert', fields: { nope: 1, '@base': {} } }])).rejects.toMatchObject({ param: 'changes.0.fields.nope' });
    await expect(write([{ table: 'no_such', rowId: 'c1', op: 'upsert', fields: {} }])).rejects.toMatchObject({ param: 'changes.0.table' });
    const [made] = await write([{ table: 'customers', rowId: 'c1', op: 'upsert', fields: { name: 'By the API', '@base': { name: 'Customer c1' } } }]);
    expect(made!.hlc > late.hlc).toBe(true);
    expect(made!.hlc.endsWith(`-${SERVER_DEVICE_ID}`)).toBe(true);
    expect((await ensureProjection(db, biz.businessId)).ready).toBe(true);
    const result = (await db.execute(sql`select data from synced_rows where business_id = ${biz.businessId} and row_id = 'c1'`)) as unknown as { rows: { data: Row }[] };
    expect(result.rows[0]!.data.name).toBe('By the API');
  });

  /** A business with n customers in its log that nothing has folded yet (server-made changes schedule no catch-up). */
  async function unfolded(n: number) {
    const biz = await connectNewBusiness(server);
    const list = Array.from({ length: n }, (_, i) => {
      const c = customer(1, 0, `c${i}`, `c${i}@example.com`);
      return { table: c.table, rowId: c.rowId, op: c.op, fields: c.fields };
    });
    await server.storage.db.transaction((tx) => appendServerChanges(tx as never, biz.businessId, list, new Date()));
    return biz.businessId;
  }

  it('a backlog over the bound is not folded by the reader: it says how far behind, and the background catches up', async () => {
    const businessId = await unfolded(5);
    const db = server.storage.db;
    const answer = await ensureProjection(db, businessId, { maxBacklog: 2 });
    expect(answer).toMatchObject({ ready: false, behind: 5 });
    expect(answer.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await vi.waitFor(async () => expect(await projectionLag(db, businessId)).toEqual({ lastSeq: 5, seq: 5 }), { timeout: 20_000, interval: 50 });
    expect(await ensureProjection(db, businessId, { maxBacklog: 2 })).toEqual({ ready: true, behind: 0, retryAfterSeconds: 0 });
  });

  it('a background fold gives way to pushes that arrive while it folds a backlog (an upload), and finishes once they stop', async () => {
    const businessId = await unfolded(300);
    const db = server.storage.db;
    const errors: unknown[] = [];
    let chunks = 0;
    // A push comes in while the fold's first chunk is under way.
    const scheduler: Scheduler = new Scheduler(db, (e) => errors.push(e), {
      chunk: 10,
      uploadQuietMs: 1500,
      afterChunk: () => {
        if (++chunks === 1) scheduler.schedule(businessId, 300, true);
      },
    });
    try {
      scheduler.schedule(businessId, 0, true);
      // It stops after the chunk under way, and waits for the upload's quiet (1.5 s, not 0.3 s) before it goes on.
      await vi.waitFor(async () => expect((await projectionLag(db, businessId)).seq).toBe(10), { timeout: 5000, interval: 20 });
      await new Promise((resolve) => setTimeout(resolve, 700));
      const stopped = (await projectionLag(db, businessId)).seq;
      expect(stopped).toBe(10);
      // Another push within the quiet puts it off again; then it folds everything.
      scheduler.schedule(businessId, 300, true);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await projectionLag(db, businessId)).seq).toBe(stopped);
      await vi.waitFor(async () => expect(await projectionLag(db, businessId)).toEqual({ lastSeq: 300, seq: 300 }), { timeout: 20_000, interval: 50 });
      // Folded to the end, the business is no longer uploading: the next push is folded after the usual 0.3 s.
      await db.transaction((tx) =>
        appendServerChanges(tx as never, businessId, [{ table: 'customers', rowId: 'c0', op: 'upsert', fields: { name: 'Renamed', '@base': { name: 'Customer c0' } } }], new Date()),
      );
      scheduler.schedule(businessId, 300, true);
      await vi.waitFor(async () => expect((await projectionLag(db, businessId)).seq).toBe(301), { timeout: 1200, interval: 20 });
      expect(errors).toEqual([]);
    } finally {
      await scheduler.close();
    }
  });

  it.runIf(kind === 'postgres')('a business another process is folding is left to it (the advisory lock), then folded', async () => {
    const businessId = await unfolded(3);
    const other = new pg.Client({ connectionString: server.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(727002, hashtext($1))', [businessId]);
      expect(await catchUpChunk(server.storage.db, businessId)).toEqual({ state: 'busy', folded: 0 });
      expect(await ensureProjection(server.storage.db, businessId, { maxWaitMs: 200 })).toMatchObject({ ready: false, behind: 3 });
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    expect(await ensureProjection(server.storage.db, businessId)).toMatchObject({ ready: true });
  });

  it('a PC pulls and applies a customer the server wrote: it is in its file, and its digest equals the projection', async () => {
    const dataDir = tempDir('recurra-proj-core-');
    const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, logger: silentLogger, secrets: new FileSecretStore(dataDir, () => {}), fetch: (u, i) => fetch(u, i) });
    try {
      const { conn, businessId } = await signUp(core, { timezone: 'UTC' });
      const c = conn as TestConnection;
      const template = await callCore(core, c, 'customers.create', { name: 'Template', email: 'template@example.com', paymentMethod: 'manual' } as Input<'customers.create'>);
      const invite = await createInvite(server.storage.db, new Date());
      await callCore(core, c, 'sync.connect', { server: server.url, inviteCode: invite.code, deviceName: 'A' });
      const db = core.businesses.get(businessId);
      const row = db.sqlite.prepare('SELECT * FROM customers WHERE id = ?').get(template.id) as Row;
      const fields: Row = {};
      for (const col of SYNC_TABLE_MAP.customers!.columns) fields[col] = row[col];
      Object.assign(fields, { id: 'api-customer-1', name: 'Made by the API', email: 'api@example.com', email_normalized: 'api@example.com' });
      await server.storage.db.transaction((tx) =>
        appendServerChanges(tx as never, businessId, [{ table: 'customers', rowId: 'api-customer-1', op: 'upsert', fields }], new Date()),
      );
      const synced = await callCore(core, c, 'sync.now', {});
      expect(synced.pulled).toBeGreaterThanOrEqual(1);
      expect(db.sqlite.prepare('SELECT name, email FROM customers WHERE id = ?').get('api-customer-1')).toEqual({ name: 'Made by the API', email: 'api@example.com' });
      expect((await ensureProjection(server.storage.db, businessId, { maxWaitMs: 60_000 })).ready).toBe(true);
      const pcDigest = await callCore(core, c, 'sync.digest', {});
      expect(await projectionDigest(server.storage.db, businessId)).toEqual(pcDigest);
    } finally {
      core.close();
    }
  });
});
