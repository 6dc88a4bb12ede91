import type { Input } from '@shared/contract';
import { newId } from '../../src-main/core/ids';
import { moveStock } from '../../src-main/core/products/stock-ledger';
import { billingBusiness, type BillingFixture } from './billing';
import { call } from './core';

// Counter-sale tests: a billing business plus products written straight into
// the file (the products service is another branch's), stock through the ledger.

let seq = 0;

export interface TestProduct {
  id: string;
  sku: string;
  name: string;
  price: number;
}

export async function saleBusiness(opts: { taxRate?: string } = {}) {
  const b = await billingBusiness(opts);
  return new SaleFixture(b);
}

export class SaleFixture {
  constructor(readonly b: BillingFixture) {}

  get db() {
    return this.b.db;
  }

  /** A product; `stock` given: tracked, received through the ledger; absent: not tracked. */
  product(p: { sku?: string; name?: string; price: number; stock?: number; archived?: boolean; currency?: string }): TestProduct {
    const id = newId();
    const sku = p.sku ?? `SKU-${++seq}`;
    const name = p.name ?? `Product ${seq}`;
    const at = '2026-01-01T00:00:00.000Z';
    const currency = p.currency ?? (this.db.sqlite.prepare('SELECT currency FROM business').pluck().get() as string);
    this.db.sqlite
      .prepare('INSERT INTO products (id, sku, name, price, currency, stock, archived_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, sku, name, p.price, currency, null, p.archived ? at : null, at, at);
    if (p.stock !== undefined) {
      this.db.sqlite.transaction(() => {
        if (p.stock === 0) this.db.sqlite.prepare('UPDATE products SET stock = 0 WHERE id = ?').run(id);
        else moveStock(this.db, { productId: id, kind: 'received', quantity: p.stock!, userId: null, occurredOn: '2026-01-01', at });
      })();
    }
    return { id, sku, name, price: p.price };
  }

  stock(productId: string): number | null {
    return this.db.sqlite.prepare('SELECT stock FROM products WHERE id = ?').pluck().get(productId) as number | null;
  }

  nextSaleNumber(): number {
    return this.db.sqlite.prepare('SELECT next_sale_number FROM business').pluck().get() as number;
  }

  count(table: string): number {
    return this.db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  }

  sell(input: Partial<Input<'sales.create'>> & { items: Input<'sales.create'>['items'] }) {
    return call(this.b.core, this.b.conn, 'sales.create', { payments: [{ method: 'card' }], on: '2026-03-01', ...input });
  }

  call: <M extends Parameters<typeof call>[2]>(method: M, input: Input<M>) => ReturnType<typeof call<M>> = (method, input) => call(this.b.core, this.b.conn, method, input);
}
