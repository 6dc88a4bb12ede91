import type { OutboxRow } from '@shared/contract/email';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { newId } from '../ids';

// The outbox: every email the business sends is first a row of
// `email_outbox`, written in the same transaction as what it is about (a
// reminder step, an invoice sent, later a campaign recipient). Delivery is
// separate (email-service.ts): claim the row (`sending`, one transaction),
// talk to the SMTP server, then record `sent` with the message id or
// `failed` with the server's answer (another transaction). A crash between
// the server's answer and that commit leaves the row `sending`; at start-up
// such a row older than the SMTP deadline goes back to `queued` and is sent
// again: at-least-once there, never "sent" for an email that was not.

export type OutboxKind = OutboxRow['kind'];

export interface QueueInput {
  /** A chosen id (the row pointing at it is written first), else a new one. */
  id?: string;
  kind: OutboxKind;
  to: string;
  toName?: string;
  subject: string;
  html: string;
  text: string;
  attachInvoiceId?: string | null;
  customerId?: string | null;
  refType?: string | null;
  refId?: string | null;
  createdBy?: string | null;
}

/** After a failed try, when to try again: 1 min, 5, 30, 2 h; then it stays failed. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000] as const;

/** This PC's sync device id ('' before the business syncs): only the PC a row names delivers it. */
export function thisDevice(db: BusinessDb): string {
  const id = stmt(db.sqlite, 'SELECT device_id FROM sync_clock WHERE one = 1').pluck().get() as string | null | undefined;
  return id ?? '';
}

/** Queues an email (call inside the transaction that decides to send it); returns its id. */
export function queueEmail(db: BusinessDb, input: QueueInput, at: Date, device = thisDevice(db)): string {
  const id = input.id ?? newId(at.getTime());
  const iso = at.toISOString();
  stmt(
    db.sqlite,
    `INSERT INTO email_outbox (id, kind, to_address, to_name, subject, html, text, attach_invoice_id, customer_id, ref_type, ref_id,
       status, attempts, next_attempt_at, device_id, created_by, created_at, updated_at)
     VALUES (@id, @kind, @to, @toName, @subject, @html, @text, @attach, @customerId, @refType, @refId, 'queued', 0, @at, @device, @createdBy, @at, @at)`,
  ).run({
    id,
    kind: input.kind,
    to: input.to,
    toName: input.toName ?? '',
    subject: input.subject,
    html: input.html,
    text: input.text,
    attach: input.attachInvoiceId ?? null,
    customerId: input.customerId ?? null,
    refType: input.refType ?? null,
    refId: input.refId ?? null,
    at: iso,
    device,
    createdBy: input.createdBy ?? null,
  });
  return id;
}

const ROW_COLUMNS = `id, kind, to_address AS "to", to_name AS toName, subject, status, attempts, next_attempt_at AS nextAttemptAt,
  last_error AS lastError, message_id AS messageId, customer_id AS customerId, ref_type AS refType, ref_id AS refId,
  device_id AS deviceId, created_at AS createdAt, sent_at AS sentAt`;

export function getOutboxRow(db: BusinessDb, id: string): OutboxRow | undefined {
  return stmt(db.sqlite, `SELECT ${ROW_COLUMNS} FROM email_outbox WHERE id = ?`).get(id) as OutboxRow | undefined;
}

export function listOutbox(
  db: BusinessDb,
  q: { status?: OutboxRow['status'] | undefined; kind?: OutboxKind | undefined; search?: string | undefined; limit: number; offset: number },
): { rows: OutboxRow[]; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: q.limit, offset: q.offset };
  if (q.status) {
    where.push('status = @status');
    params.status = q.status;
  }
  if (q.kind) {
    where.push('kind = @kind');
    params.kind = q.kind;
  }
  if (q.search) {
    where.push("(to_address LIKE @search ESCAPE '\\' OR subject LIKE @search ESCAPE '\\')");
    params.search = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const rows = db.sqlite.prepare(`SELECT ${ROW_COLUMNS} FROM email_outbox ${clause} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`).all(params) as OutboxRow[];
  const total = db.sqlite.prepare(`SELECT count(*) FROM email_outbox ${clause}`).pluck().get(params) as number;
  return { rows, total };
}

/** Rows this PC should try now: queued, or failed with a retry that has come. */
export function dueOutboxIds(db: BusinessDb, nowIso: string, device = thisDevice(db)): string[] {
  return stmt(
    db.sqlite,
    `SELECT id FROM email_outbox WHERE status IN ('queued', 'failed') AND next_attempt_at IS NOT NULL AND next_attempt_at <= ? AND device_id = ?
     ORDER BY next_attempt_at, id`,
  )
    .pluck()
    .all(nowIso, device) as string[];
}

/**
 * Rows left `sending` by a process that died mid-delivery: back to queued with a note.
 * The server may have accepted the message before the crash: it may arrive twice (at-least-once), never "sent" wrongly.
 */
export function recoverInterrupted(db: BusinessDb, now: Date, deadlineMs: number, device = thisDevice(db)): number {
  const before = new Date(now.getTime() - deadlineMs).toISOString();
  // A read first: opening a business (every CLI command does) must not take the write lock for nothing.
  const stuck = stmt(db.sqlite, "SELECT count(*) FROM email_outbox WHERE status = 'sending' AND updated_at < ? AND device_id = ?").pluck().get(before, device) as number;
  if (stuck === 0) return 0;
  return stmt(
    db.sqlite,
    `UPDATE email_outbox SET status = 'queued', next_attempt_at = @now, updated_at = @now,
       last_error = 'Interrupted while sending (the app stopped); it is sent again, so it may arrive twice'
     WHERE status = 'sending' AND updated_at < @before AND device_id = @device`,
  ).run({ now: now.toISOString(), before, device }).changes;
}
