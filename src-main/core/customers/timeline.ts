import { stmt } from '../db/statements';
import type { BusinessDb } from '../db/open';
import { newId } from '../ids';
import { insertRow, type BatchWrites } from '../db/batch-writes';

export interface CustomerEventInput {
  customerId: string;
  kind: 'note' | 'call' | 'email' | 'system';
  /** For system events: created, edited, subscribed, invoiced, paid, ... */
  subtype?: string;
  title?: string;
  body?: string;
  occurredAt: string;
  userId: string | null;
  refType?: string;
  refId?: string;
}

const EVENT_COLUMNS = ['id', 'customer_id', 'kind', 'subtype', 'title', 'body', 'occurred_at', 'user_id', 'ref_type', 'ref_id', 'created_at'] as const;

/**
 * One line on a customer's timeline. Billing calls this too (subscribed, invoiced, paid); a billing
 * batch passes its `writes`, which make the row at the end of the batch (db/batch-writes.ts).
 */
export function recordCustomerEvent(db: BusinessDb, e: CustomerEventInput, createdAt: string, writes?: BatchWrites): string {
  const id = newId();
  insertRow(db.sqlite, writes, 'customer_events', EVENT_COLUMNS, [
    id, e.customerId, e.kind, e.subtype ?? '', e.title ?? '', e.body ?? '', e.occurredAt, e.userId, e.refType ?? null, e.refId ?? null, createdAt,
  ]);
  return id;
}

export function listTimeline(db: BusinessDb, customerId: string, limit: number, before?: string) {
  const rows = stmt(
    db.sqlite,
    `SELECT e.id, e.kind, e.subtype, e.title, e.body, e.occurred_at AS occurredAt, u.name AS userName
       FROM customer_events e LEFT JOIN users u ON u.id = e.user_id
      WHERE e.customer_id = ? AND (? IS NULL OR (e.occurred_at, e.id) < (SELECT occurred_at, id FROM customer_events WHERE id = ?))
      ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?`,
  ).all(customerId, before ?? null, before ?? null, limit + 1) as {
    id: string;
    kind: 'note' | 'call' | 'email' | 'system';
    subtype: string;
    title: string;
    body: string;
    occurredAt: string;
    userName: string | null;
  }[];
  return { entries: rows.slice(0, limit), hasMore: rows.length > limit };
}
