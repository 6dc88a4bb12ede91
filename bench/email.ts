import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { Core } from '../src-main/core/core';
import { fileKey, openExisting } from '../src-main/core/db/keyring';
import { queueReminders, writeReminderDays } from '../src-main/core/email/reminders';
import { newId } from '../src-main/core/ids';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { silentLogger } from '../src-main/core/ports';
import { customers } from './data';
import { note, rate, timeMs, type BenchResult } from './support';

const INVOICES = Number(process.env.BENCH_REMINDER_INVOICES ?? 100_000);
const AS_OF = '2026-04-30';
const ROUNDS = Number(process.env.BENCH_EMAIL_ROUNDS ?? 2);

/** 100,000 customers, each with one open invoice due across March (every one has a reminder step due on AS_OF). */
function seed(db: Database.Database, count: number): void {
  const at = new Date().toISOString();
  const insertCustomer = db.prepare(
    'INSERT INTO customers (id, name, email, email_normalized, phone, company, payment_method, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertInvoice = db.prepare(
    `INSERT INTO invoices (id, number, customer_id, kind, status, issue_date, due_date, currency, subtotal, total, amount_due, created_at, updated_at)
     VALUES (?, ?, ?, 'manual', 'open', ?, ?, 'USD', ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    let i = 0;
    for (const c of customers(count, 5)) {
      const customerId = newId();
      insertCustomer.run(customerId, c.name, c.email, c.email, c.phone, c.company, 'manual', at, at);
      const day = String(1 + (i % 28)).padStart(2, '0');
      const amount = 900 + (i % 50) * 100;
      insertInvoice.run(newId(), `INV-${String(i + 1).padStart(6, '0')}`, customerId, `2026-02-${day}`, `2026-03-${day}`, amount, amount, amount, at, at);
      i++;
    }
  })();
}

/**
 * The raw bound: the scan any reminder run must do (open invoices due by then, with their customer's
 * address and the last step sent), then exactly the reminder and outbox rows the run wrote (read back
 * from its file) through prepared INSERTs into an untouched copy, in one transaction, on a connection
 * with the app's settings, its page cache warmed by one untimed scan.
 */
function rawBound(copyFile: string, key: Buffer | undefined, written: { reminders: unknown[]; outbox: unknown[] }): number {
  const db = openExisting(copyFile, key ? { key } : {}); // keyed as the business's file is, when the copy is encrypted
  // The app's connection settings (db/open.ts), so the bound is not slowed by a smaller page cache.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  const remCols = Object.keys(written.reminders[0] as object);
  const outCols = Object.keys(written.outbox[0] as object);
  const insertReminder = db.prepare(`INSERT INTO reminders (${remCols.join(', ')}) VALUES (${remCols.map((c) => `@${c}`).join(', ')})`);
  const insertOutbox = db.prepare(`INSERT INTO email_outbox (${outCols.join(', ')}) VALUES (${outCols.map((c) => `@${c}`).join(', ')})`);
  const scan = db.prepare(
    `SELECT i.id, i.due_date, i.amount_due, c.email, (SELECT max(r.step) FROM reminders r WHERE r.invoice_id = i.id) AS last
     FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.status = 'open' AND i.amount_due > 0 AND i.due_date <= ?`,
  );
  // Warm, as the run's connection is (it seeded the rows): the scan once, untimed.
  scan.all('2026-05-03');
  const ms = timeMs(() => {
    scan.all('2026-05-03');
    db.transaction(() => {
      for (const r of written.reminders) insertReminder.run(r);
      for (const o of written.outbox) insertOutbox.run(o);
    })();
  });
  db.close();
  return ms;
}

export async function emailBench(dataDir: string): Promise<BenchResult[]> {
  const core = new Core({ paths: { dataDir, migrationsDir: sourceMigrationsDir() }, logger: silentLogger });
  const conn = { id: 'bench-email', sessionId: null, send() {} };
  const signUp = await core.dispatch(conn, 'business.signUp', {
    businessName: 'Bench Studio',
    currency: 'USD',
    timezone: 'UTC',
    ownerName: 'Bench Owner',
    ownerEmail: 'owner@example.com',
    password: 'benchmark password',
  });
  if (!signUp.ok) throw new Error(JSON.stringify(signUp.error));
  const businessId = (signUp.data as { business: { id: string } }).business.id;
  const db = core.businesses.get(businessId);
  note(`email: seeding ${INVOICES} open invoices`);
  seed(db.sqlite, INVOICES);
  writeReminderDays(db, [-3, 1, 7, 14], new Date().toISOString());
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const seeded = path.join(dataDir, 'seeded.sqlite');
  db.sqlite.exec(`VACUUM INTO '${seeded}'`); // a copy under the same key (the backup API refuses an encrypted source)

  const ours: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Fresh state: no reminders yet.
    db.sqlite.exec('DELETE FROM email_outbox; DELETE FROM reminders;');
    let queued = 0;
    ours.push(
      timeMs(() => {
        queued = queueReminders(db, { asOf: AS_OF, at: new Date(), business: { name: 'Bench Studio', locale: 'en-US' } }).queued.length;
      }),
    );
    if (queued !== INVOICES) throw new Error(`email bench: queued ${queued} reminders, expected ${INVOICES}`);
    const written = {
      reminders: db.sqlite.prepare('SELECT * FROM reminders').all(),
      outbox: db.sqlite.prepare('SELECT * FROM email_outbox').all(),
    };
    const copy = path.join(dataDir, `raw-${round}.sqlite`);
    fs.copyFileSync(seeded, copy);
    raw.push(rawBound(copy, fileKey(db.file), written));
    fs.rmSync(copy, { force: true });
    note(`email: round ${round + 1}: run ${Math.round(ours.at(-1)!)} ms, raw ${Math.round(raw.at(-1)!)} ms`);
  }
  core.close();
  const best = (xs: number[]) => Math.min(...xs);
  return [rate('email', 'reminderRun', 'rows/s', (INVOICES * 1000) / best(ours), (INVOICES * 1000) / best(raw), 3)];
}
