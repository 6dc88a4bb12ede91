import { addDays } from '@shared/domain/dates';
import { formatDay } from '@shared/domain/date-format';
import { formatMoney, type CurrencyCode } from '@shared/domain/money';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { newId } from '../ids';
import { queueEmail, thisDevice } from './outbox';
import { reminderEmail, type RenderedEmail } from './templates';

// Payment reminders, relative to the due date (-3: three days before; 7: a
// week late). A run as of a date picks, for each open invoice, the LATEST
// step that has come; it is queued only if no reminder of that step or a
// later one exists, so a catch-up after days off sends one email per
// invoice, never a burst of the steps it missed. The reminder row and its
// email are written in one transaction, the row by INSERT OR IGNORE against
// the unique (invoice_id, step) index: each invoice and step at most once,
// after a crash, a second run, or a restored copy. Only the billing PC runs
// reminders (like billing), so two PCs do not both send.

/** The invoice and customer values a reminder states (rendered when queued, and again when delivered). */
export interface ReminderFacts {
  number: string;
  dueDate: string;
  total: number;
  amountDue: number;
  currency: string;
  customerName: string;
}

export function renderReminder(step: number, f: ReminderFacts, business: { name: string; locale: string }): RenderedEmail {
  const currency = f.currency as CurrencyCode;
  return reminderEmail(step, {
    business: business.name,
    customer: f.customerName,
    number: f.number,
    dueDate: formatDay(f.dueDate, business.locale),
    total: formatMoney(f.total, currency, business.locale),
    amountDue: formatMoney(f.amountDue, currency, business.locale),
  });
}

export const REMINDER_SETTINGS_KEY = 'reminders.schedule';

/** Reminders are off until the owner picks the days (Settings > Reminders, `recurra reminder settings`). */
export function readReminderDays(db: BusinessDb): number[] {
  const value = stmt(db.sqlite, 'SELECT value FROM settings WHERE key = ?').pluck().get(REMINDER_SETTINGS_KEY) as string | undefined;
  if (!value) return [];
  const parsed = JSON.parse(value) as { days?: unknown };
  return Array.isArray(parsed.days) ? parsed.days.filter((d): d is number => Number.isInteger(d)).sort((a, b) => a - b) : [];
}

export function writeReminderDays(db: BusinessDb, days: number[], at: string): number[] {
  const sorted = [...days].sort((a, b) => a - b);
  stmt(db.sqlite, 'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
    REMINDER_SETTINGS_KEY,
    JSON.stringify({ days: sorted }),
    at,
  );
  return sorted;
}

interface Candidate {
  id: string;
  number: string;
  dueDate: string;
  total: number;
  amountDue: number;
  currency: string;
  customerId: string;
  customerName: string;
  email: string;
  late: number;
  lastStep: number | null;
}

/** The latest step that has come `late` days after the due date, or null. */
export function dueStep(days: readonly number[], late: number): number | null {
  let step: number | null = null;
  for (const d of days) if (d <= late) step = d;
  return step;
}

export interface QueueRemindersResult {
  /** Outbox ids of the reminders queued by this run. */
  queued: string[];
  /** Invoices with a step due whose customer has no email address. */
  skipped: number;
}

/** Queues the reminders due as of `asOf` (no network): batches of `batch` invoices, each batch one transaction. */
export function queueReminders(
  db: BusinessDb,
  input: { asOf: string; at: Date; business: { name: string; locale: string }; batch?: number },
): QueueRemindersResult {
  const days = readReminderDays(db);
  const result: QueueRemindersResult = { queued: [], skipped: 0 };
  if (days.length === 0) return result;
  const cutoff = addDays(input.asOf, -(days[0] ?? 0));
  const candidates = stmt(
    db.sqlite,
    `SELECT i.id, i.number, i.due_date AS dueDate, i.total, i.amount_due AS amountDue, i.currency, i.customer_id AS customerId,
       c.name AS customerName, c.email, CAST(julianday(@asOf) - julianday(i.due_date) AS INTEGER) AS late,
       (SELECT max(r.step) FROM reminders r WHERE r.invoice_id = i.id) AS lastStep
     FROM invoices i JOIN customers c ON c.id = i.customer_id
     WHERE i.status = 'open' AND i.amount_due > 0 AND i.due_date <= @cutoff`,
  ).all({ asOf: input.asOf, cutoff }) as Candidate[];

  const device = thisDevice(db);
  const iso = input.at.toISOString();
  const insertReminder = stmt(
    db.sqlite,
    `INSERT OR IGNORE INTO reminders (id, invoice_id, channel, recipient, status, sent_at, step, outbox_id)
     VALUES (?, ?, 'email', ?, 'queued', ?, ?, ?)`,
  );
  const { locale } = input.business;
  const batchSize = input.batch ?? 1000;
  for (let start = 0; start < candidates.length; start += batchSize) {
    const batch = candidates.slice(start, start + batchSize);
    db.sqlite
      .transaction(() => {
        for (const c of batch) {
          const step = dueStep(days, c.late);
          if (step === null || (c.lastStep !== null && c.lastStep >= step)) continue;
          if (!c.email) {
            result.skipped += 1;
            continue;
          }
          const reminderId = newId(input.at.getTime());
          const outboxId = newId(input.at.getTime());
          if (insertReminder.run(reminderId, c.id, c.email, iso, step, outboxId).changes === 0) continue;
          const mail = renderReminder(step, c, { name: input.business.name, locale });
          queueEmail(
            db,
            { id: outboxId, kind: 'reminder', to: c.email, toName: c.customerName, ...mail, customerId: c.customerId, refType: 'reminder', refId: reminderId },
            input.at,
            device,
          );
          result.queued.push(outboxId);
        }
      })
      .immediate();
  }
  return result;
}
