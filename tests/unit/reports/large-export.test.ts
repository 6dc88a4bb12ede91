import fs from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { newId } from '../../../src-main/core/ids';
import { billingBusiness } from '../../support/billing';

const INVOICES = 200_000;
const CUSTOMERS = 2_000;
const MB = 1024 * 1024;

describe('reports.export at scale', () => {
  it(`writes ${INVOICES.toLocaleString('en-US')} invoices with a flat live heap`, async () => {
    const b = await billingBusiness();
    try {
      seedInvoices(b.db.sqlite);
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      gc();
      const before = process.memoryUsage().heapUsed;
      let peak = 0;
      // The live heap (right after a collection) while the export runs: what it holds, not garbage waiting to go.
      const sample = () => {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      };
      const timer = setInterval(sample, 100);
      const result = await b.call('reports.export', { kind: 'invoices' }).finally(() => clearInterval(timer));
      sample();

      expect(result.rows).toBe(INVOICES);
      const size = fs.statSync(result.path!).size;
      const text = fs.readFileSync(result.path!, 'utf8');
      expect(text.split('\r\n').length - 2).toBe(INVOICES); // header, and nothing after the last line break
      expect(text.slice(text.lastIndexOf('\r\n', text.length - 3) + 2)).toMatch(new RegExp(`^INV-${String(INVOICES).padStart(7, '0')},`));
      // The file is ~34 MB and its rows, held at once, would take several times that; one batch is a few MB.
      expect(size).toBeGreaterThan(25 * MB);
      expect(peak).toBeLessThan(24 * MB);
    } finally {
      b.close();
    }
  }, 300_000);
});

/** Raw inserts in issue order, as billing writes them: 2,000 customers with 100 monthly-ish invoices each. */
function seedInvoices(db: Database.Database): void {
  const at = '2026-01-01T00:00:00.000Z';
  const customer = db.prepare('INSERT INTO customers (id, name, email, email_normalized, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const invoice = db.prepare(
    `INSERT INTO invoices (id, number, customer_id, kind, status, issue_date, due_date, currency, subtotal, total, amount_paid, amount_due, paid_on, created_at, updated_at)
     VALUES (?, ?, ?, 'manual', 'paid', ?, ?, 'USD', 2900, 2900, 2900, 0, ?, ?, ?)`,
  );
  db.transaction(() => {
    const ids = Array.from({ length: CUSTOMERS }, (_, i) => {
      const id = newId();
      customer.run(id, `Member ${i}`, `m${i}@example.com`, `m${i}@example.com`, at, at);
      return id;
    });
    for (let n = 1; n <= INVOICES; n++) {
      const day = addDays('2020-01-01', Math.floor((n - 1) / 100));
      invoice.run(newId(), `INV-${String(n).padStart(7, '0')}`, ids[n % CUSTOMERS]!, day, day, day, at, at);
    }
  })();
}
