import { newId } from '../src-main/core/ids';
import { Core } from '../src-main/core/core';
import { silentLogger } from '../src-main/core/ports';
import { sourceMigrationsDir } from '../src-main/core/paths';
import type { Connection } from '../src-main/core/rpc';
import { latency, note, percentile, timeMs, timeMsAsync, type BenchResult } from './support';

// issue 14: a sale of 3 lines committed through the handler (dispatch: session,
// role, zod, one transaction with number, lines, stock movements, payment,
// audit row, the sale read back) against the same inserts made raw with
// prepared statements in one transaction, on the same file, interleaved.

const ROUNDS = 300;
const WARMUP = 30;

function connection(): Connection {
  return { id: `bench-${Math.random()}`, sessionId: null, send() {} };
}

async function must<T>(promise: Promise<{ ok: true; data: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.data as T;
}

export async function salesBench(dataDir: string): Promise<BenchResult[]> {
  const core = new Core({ paths: { dataDir, migrationsDir: sourceMigrationsDir() }, logger: silentLogger });
  try {
    const conn = connection();
    const session = await must<{ business: { id: string }; user: { id: string } }>(
      core.dispatch(conn, 'business.signUp', {
        businessName: 'Bench Counter',
        currency: 'USD',
        timezone: 'UTC',
        ownerName: 'Bench Owner',
        ownerEmail: 'owner@example.com',
        password: 'benchmark password',
      }),
    );
    await must(core.dispatch(conn, 'business.update', { taxRate: '8.25' }));
    const db = core.businesses.get(session.business.id).sqlite;
    const at = new Date().toISOString();
    const products = ['MAT', 'TEA', 'BOOK'].map((sku, i) => {
      const id = newId();
      db.prepare("INSERT INTO products (id, sku, name, price, currency, stock, created_at, updated_at) VALUES (?, ?, ?, ?, 'USD', 1000000, ?, ?)").run(id, sku, `Product ${sku}`, 1000 + i * 333, at, at);
      db.prepare("INSERT INTO stock_movements (id, product_id, kind, quantity, occurred_on, created_at) VALUES (?, ?, 'received', 1000000, '2026-01-01', ?)").run(newId(), id, at);
      return { id, sku, price: 1000 + i * 333 };
    });
    const input = {
      items: [{ sku: 'MAT', quantity: 2 }, { sku: 'TEA', quantity: 1 }, { sku: 'BOOK', quantity: 3 }],
      discount: { percentPpm: 50_000 },
      payments: [{ method: 'cash' as const, tendered: 20_000 }],
      on: '2026-03-01',
    };
    const handler = () => must(core.dispatch(conn, 'sales.create', input));

    // The raw bound: the rows the handler writes, with values computed beforehand, in one transaction.
    const s = {
      number: db.prepare('UPDATE business SET next_sale_number = next_sale_number + 1 RETURNING next_sale_number - 1'),
      sale: db.prepare(
        `INSERT INTO sales (id, number, customer_id, sold_on, currency, subtotal, tax, total, created_by, created_at, discount, method, tendered, change_given, note)
         VALUES (?, ?, NULL, '2026-03-01', 'USD', 7665, 601, 7883, ?, ?, 383, 'cash', 20000, 12117, '')`,
      ),
      line: db.prepare(
        `INSERT INTO sale_lines (id, sale_id, product_id, description, quantity, unit_price, amount, sku, discount, tax) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
      ),
      movement: db.prepare("INSERT INTO stock_movements (id, product_id, kind, quantity, reason, sale_id, user_id, occurred_on, created_at) VALUES (?, ?, 'sold', ?, '', ?, ?, '2026-03-01', ?)"),
      stock: db.prepare('UPDATE products SET stock = stock - ?, updated_at = ? WHERE id = ?'),
      payment: db.prepare("INSERT INTO sale_payments (id, sale_id, method, amount, tendered, change_given, currency, paid_on, created_at) VALUES (?, ?, 'cash', 7883, 20000, 12117, 'USD', '2026-03-01', ?)"),
      audit: db.prepare("INSERT INTO audit_log (id, at, user_id, user_email, action, entity, entity_id, before, after) VALUES (?, ?, ?, 'owner@example.com', 'sales.create', 'sale', ?, NULL, ?)"),
    };
    const userId = session.user.id;
    const raw = () =>
      db
        .transaction(() => {
          const n = s.number.pluck().get() as number;
          const id = newId();
          s.sale.run(id, `RAW-${n}`, userId, at);
          for (const [i, q] of [2, 1, 3].entries()) {
            const p = products[i]!;
            s.line.run(newId(), id, p.id, `Product ${p.sku}`, q, p.price, q * p.price, p.sku);
            s.movement.run(newId(), p.id, -q, id, userId, at);
            s.stock.run(q, at, p.id);
          }
          s.payment.run(newId(), id, at);
          s.audit.run(newId(), at, userId, id, '{"sale":"…"}');
        })
        .immediate();

    note(`sales: ${WARMUP} warm-up sales each way, then ${ROUNDS} interleaved pairs`);
    for (let i = 0; i < WARMUP; i++) {
      await handler();
      raw();
    }
    const ours: number[] = [];
    const bound: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      bound.push(timeMs(raw));
      ours.push(await timeMsAsync(handler));
    }
    note(`sales: p50 ${percentile(ours, 50).toFixed(3)} ms (raw ${percentile(bound, 50).toFixed(3)} ms)`);
    return [
      latency('sales', 'create_3_lines_p50', percentile(ours, 50), percentile(bound, 50), 2),
      latency('sales', 'create_3_lines_p95', percentile(ours, 95), percentile(bound, 95), 2),
    ];
  } finally {
    core.close();
  }
}
