import fs from 'node:fs';
import { once } from 'node:events';
import type Database from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import { toDecimalString } from '@shared/domain/money';

/**
 * The raw bound of the invoices export: one open cursor over the same rows
 * (the same join and order, in issue order along the same index), each
 * written with csv-stringify to a file, waiting only when the file falls
 * behind. It keeps a statement open throughout and escapes nothing, which the
 * export may not do, and it formats money the same way (exact decimals).
 */
export async function rawInvoicesCsv(db: Database.Database, file: string): Promise<number> {
  const rows = db
    .prepare(
      `SELECT i.number, c.name, i.status, i.issue_date, i.due_date, i.period_start, date(i.period_end, '-1 day'), i.subtotal, i.discount, i.tax,
              i.total, i.credit_applied, i.amount_paid, i.amount_due, i.paid_on, i.id, i.customer_id
         FROM invoices i INDEXED BY invoices_issue_date CROSS JOIN customers c ON c.id = i.customer_id
        ORDER BY i.issue_date, i.rowid`,
    )
    .raw();
  const out = fs.createWriteStream(file);
  const csv = stringify({ record_delimiter: 'windows' });
  csv.pipe(out);
  const money = (v: number) => toDecimalString(v, 'USD');
  csv.write(['Number', 'Customer', 'Status', 'Issued', 'Due date', 'Period from', 'Period to', 'Subtotal (USD)', 'Discount (USD)', 'Tax (USD)', 'Total (USD)',
    'Credit applied (USD)', 'Paid (USD)', 'Amount due (USD)', 'Paid on', 'Invoice id', 'Customer id']);
  let count = 0;
  for (const r of rows.iterate() as IterableIterator<[string, string, string, string, string, string | null, string | null, number, number, number, number, number, number, number, string | null, string, string]>) {
    const record = [r[0], r[1], r[2], r[3], r[4], r[5] ?? '', r[6] ?? '', money(r[7]), money(r[8]), money(r[9]), money(r[10]), money(r[11]), money(r[12]), money(r[13]), r[14] ?? '', r[15], r[16]];
    count++;
    if (!csv.write(record)) await once(csv, 'drain');
  }
  csv.end();
  await once(out, 'finish');
  return count;
}
