import type { Campaign, CampaignAudience, CampaignDetail, CampaignPreview, CampaignRecipient } from '@shared/contract/campaigns';
import { addDays, dateInTimeZone } from '@shared/domain/dates';
import { writeAudit, type Actor } from '../audit/audit';
import { getBusinessRow } from '../business/business-service';
import { buildWhere, RISK_TABLE, type RiskLookup } from '../customers/customer-search';
import { readViews } from '../customers/customer-views';
import type { BusinessDb } from '../db/open';
import { businessCurrency, businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { queueEmail } from '../email/outbox';
import { readSmtpSettings } from '../email/smtp';
import { conflict, notFound, validation } from '../errors';
import { newId } from '../ids';
import { campaignEmail } from './campaign-email';

// Email campaigns. The audience is SQL over customers (the same WHERE clause
// the customer list builds for a filter or a saved view); sending freezes it
// into `campaign_recipients` (unique per campaign and customer) and queues one
// outbox email per new recipient, in ONE transaction: a crash after it leaves
// queued rows the outbox delivers later; a second send finds everyone already
// there and reaches only customers who joined the audience since. Customers
// who unsubscribed (`customers.email_opt_out_at`) are never queued, and a
// queued email whose customer unsubscribes before it goes is not sent
// (email-service.ts checks at delivery).

/** How many days after (from the send day) and before a campaign its revenue is counted. */
export const PERFORMANCE_DAYS = 14;
const PREVIEW_ROWS = 20;

interface CampaignRow {
  id: string;
  name: string;
  subject: string;
  body: string;
  audience: string;
  status: Campaign['status'];
  created_at: string;
  sent_at: string | null;
}

interface AudienceRow {
  id: string;
  name: string;
  email: string;
  opted_out: number;
}

/** The WHERE clause of an audience: its own parts AND the saved view's filter. */
function audienceWhere(db: BusinessDb, audience: CampaignAudience, risk: (() => RiskLookup) | undefined): { sql: string; params: unknown[] } {
  const own = buildWhere(db.sqlite, {
    search: '',
    ...(audience.segment ? { segment: audience.segment } : {}),
    ...(audience.tag ? { tag: audience.tag } : {}),
    ...(audience.status ? { status: audience.status } : {}),
  });
  const parts: string[] = [];
  const params: unknown[] = [];
  if (own.sql) {
    parts.push(own.sql.replace(/^WHERE /, ''));
    params.push(...own.params);
  }
  if (audience.view) {
    const wanted = audience.view;
    const view = savedView(db, wanted);
    // A view may narrow by churn risk ("At risk"): today's scores, made ready by the caller (audienceNeedsRisk).
    const fromView = buildWhere(db.sqlite, view.filter, { risk });
    if (fromView.sql) {
      parts.push(`(${fromView.sql.replace(/^WHERE /, '')})`);
      params.push(...fromView.params);
    }
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function savedView(db: BusinessDb, name: string) {
  const view = readViews(db).find((v) => v.name.localeCompare(name, undefined, { sensitivity: 'base' }) === 0);
  if (!view) throw validation('view', `There is no saved customer view named “${name}”`);
  return view;
}

/** Whether an audience reads the churn scores (its saved view filters by risk): the caller gets them ready first. */
export function audienceNeedsRisk(db: BusinessDb, audience: CampaignAudience): boolean {
  return audience.view ? savedView(db, audience.view).filter.atRisk !== undefined : false;
}

/** The audience of a campaign already saved. */
export function campaignAudience(db: BusinessDb, id: string): CampaignAudience {
  return JSON.parse(campaignRow(db, id).audience) as CampaignAudience;
}

/** Every customer of the audience, with whether they can be emailed. */
function audienceRows(db: BusinessDb, audience: CampaignAudience, risk: (() => RiskLookup) | undefined): AudienceRow[] {
  const where = audienceWhere(db, audience, risk);
  return db.sqlite
    .prepare(`SELECT c.id, c.name, c.email, (c.email_opt_out_at IS NOT NULL) AS opted_out FROM customers c ${where.sql} ORDER BY c.name COLLATE NOCASE, c.seq`)
    .all(...where.params) as AudienceRow[];
}

export function previewAudience(db: BusinessDb, audience: CampaignAudience, risk: (() => RiskLookup) | undefined): CampaignPreview {
  const rows = audienceRows(db, audience, risk);
  const reachable = rows.filter((r) => !r.opted_out && r.email.trim() !== '');
  return {
    count: reachable.length,
    optedOut: rows.filter((r) => r.opted_out).length,
    noEmail: rows.filter((r) => !r.opted_out && r.email.trim() === '').length,
    recipients: reachable.slice(0, PREVIEW_ROWS).map((r) => ({ customerId: r.id, name: r.name, email: r.email })),
  };
}

function cleanAudience(a: CampaignAudience): CampaignAudience {
  const out: CampaignAudience = {};
  if (a.segment) out.segment = a.segment;
  if (a.tag) out.tag = a.tag;
  if (a.status) out.status = a.status;
  if (a.view) out.view = a.view;
  return out;
}

/** A draft campaign (the caller audits it). */
export function createCampaign(
  db: BusinessDb,
  actor: Actor,
  now: Date,
  input: { name: string; subject: string; body: string; audience: CampaignAudience },
): Campaign {
  const audience = cleanAudience(input.audience);
  // An unknown view is refused now, naming the field (no SQL runs here, so no scores are needed).
  audienceWhere(db, audience, () => ({ table: RISK_TABLE }));
  const id = newId(now.getTime());
  const at = now.toISOString();
  stmt(
    db.sqlite,
    `INSERT INTO campaigns (id, name, subject, body, audience, status, created_by, created_at, sent_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, NULL, ?)`,
  ).run(id, input.name, input.subject, input.body, JSON.stringify(audience), actor.userId, at, at);
  return campaignDto(db, campaignRow(db, id));
}

function campaignRow(db: BusinessDb, id: string): CampaignRow {
  const row = stmt(db.sqlite, 'SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
  if (!row) throw notFound('The campaign', 'id');
  return row;
}

/**
 * Freezes the audience and queues the emails, in one transaction (the caller
 * delivers afterwards). Returns how many new recipients were queued.
 */
export function queueCampaign(db: BusinessDb, actor: Actor, now: Date, id: string, risk?: () => RiskLookup): { queued: number } {
  return db.sqlite
    .transaction(() => {
      const row = campaignRow(db, id);
      const settings = readSmtpSettings(db);
      if (!settings) throw conflict('Email is not set up: the owner enters the SMTP server in Settings > Email (or `recurra email settings`)');
      const business = getBusinessRow(db.orm);
      const audience = JSON.parse(row.audience) as CampaignAudience;
      const already = new Set(stmt(db.sqlite, 'SELECT customer_id FROM campaign_recipients WHERE campaign_id = ?').pluck().all(id) as string[]);
      const at = now.toISOString();
      let queued = 0;
      const insert = stmt(
        db.sqlite,
        `INSERT INTO campaign_recipients (id, campaign_id, customer_id, email, status, error, outbox_id, sent_at, created_at)
         VALUES (?, ?, ?, ?, 'queued', NULL, ?, NULL, ?) ON CONFLICT (campaign_id, customer_id) DO NOTHING`,
      );
      for (const c of audienceRows(db, audience, risk)) {
        if (c.opted_out || c.email.trim() === '' || already.has(c.id)) continue;
        const recipientId = newId(now.getTime());
        const outboxId = newId(now.getTime());
        if (insert.run(recipientId, id, c.id, c.email, outboxId, at).changes === 0) continue;
        const mail = campaignEmail({ business: business.name, from: settings.from, subject: row.subject, body: row.body });
        queueEmail(db, { id: outboxId, kind: 'campaign', to: c.email, toName: c.name, ...mail, customerId: c.id, refType: 'campaign_recipient', refId: recipientId, createdBy: actor.userId }, now);
        queued += 1;
      }
      if (row.status !== 'sent' || queued > 0) {
        stmt(db.sqlite, "UPDATE campaigns SET status = 'sent', sent_at = COALESCE(sent_at, ?), updated_at = ? WHERE id = ?").run(at, at, id);
        writeAudit(db.orm, actor, now, { action: 'campaigns.send', entity: 'campaign', entityId: id, after: { queued, again: row.status === 'sent' } });
      }
      return { queued };
    })
    .immediate();
}

interface RecipientJoin {
  customer_id: string;
  name: string | null;
  email: string;
  status: string;
  outbox_status: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
  sent_at: string | null;
}

/** A recipient's state is its outbox email's. */
function recipientState(r: RecipientJoin): CampaignRecipient {
  let status: CampaignRecipient['status'];
  if (r.outbox_status === 'sent') status = 'sent';
  else if (r.outbox_status === 'failed' && r.next_attempt_at === null) status = r.last_error?.startsWith('Not sent: ') ? 'skipped' : 'failed';
  else status = 'queued';
  return {
    customerId: r.customer_id,
    name: r.name ?? '',
    email: r.email,
    status,
    error: status === 'sent' ? null : r.last_error,
    retryAt: r.outbox_status === 'failed' ? r.next_attempt_at : null,
    sentAt: r.sent_at,
  };
}

function recipientRows(db: BusinessDb, id: string): CampaignRecipient[] {
  const rows = stmt(
    db.sqlite,
    `SELECT r.customer_id, c.name, r.email, r.status, o.status AS outbox_status, o.last_error, o.next_attempt_at, o.sent_at
     FROM campaign_recipients r LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN email_outbox o ON o.id = r.outbox_id
     WHERE r.campaign_id = ? ORDER BY c.name COLLATE NOCASE, r.id`,
  ).all(id) as RecipientJoin[];
  return rows.map(recipientState);
}

/**
 * Revenue of a set of customers over business dates [from, to]: succeeded
 * payments less their refunds (by refund date), plus counter sales' payments
 * less sale refunds: the same money `metric_revenue` counts.
 */
export function revenueOf(db: BusinessDb, customerIds: string[], from: string, to: string): number {
  if (customerIds.length === 0) return 0;
  const ids = JSON.stringify(customerIds);
  return stmt(
    db.sqlite,
    `WITH who AS (SELECT value AS id FROM json_each(@ids))
     SELECT
       (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.status = 'succeeded' AND p.customer_id IN who AND p.paid_on BETWEEN @from AND @to)
     - (SELECT coalesce(sum(r.amount), 0) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.customer_id IN who AND r.refunded_on BETWEEN @from AND @to)
     + (SELECT coalesce(sum(sp.amount), 0) FROM sale_payments sp JOIN sales s ON s.id = sp.sale_id WHERE s.customer_id IN who AND sp.paid_on BETWEEN @from AND @to)
     - (SELECT coalesce(sum(sr.amount), 0) FROM sale_refunds sr JOIN sales s ON s.id = sr.sale_id WHERE s.customer_id IN who AND sr.refunded_on BETWEEN @from AND @to)`,
  )
    .pluck()
    .get({ ids, from, to }) as number;
}

function campaignDto(db: BusinessDb, row: CampaignRow, recipients = recipientRows(db, row.id)): Campaign {
  const count = (s: CampaignRecipient['status']) => recipients.filter((r) => r.status === s).length;
  let window: Campaign['window'] = null;
  let attributedRevenue = 0;
  let previousRevenue = 0;
  if (row.sent_at) {
    const day = dateInTimeZone(new Date(row.sent_at), businessTimezone(db));
    window = {
      before: { from: addDays(day, -PERFORMANCE_DAYS), to: addDays(day, -1) },
      after: { from: day, to: addDays(day, PERFORMANCE_DAYS - 1) },
    };
    const ids = recipients.map((r) => r.customerId);
    attributedRevenue = revenueOf(db, ids, window.after.from, window.after.to);
    previousRevenue = revenueOf(db, ids, window.before.from, window.before.to);
  }
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    body: row.body,
    audience: JSON.parse(row.audience) as CampaignAudience,
    status: row.status,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    recipients: recipients.length,
    queued: count('queued'),
    sent: count('sent'),
    failed: count('failed'),
    skipped: count('skipped'),
    currency: businessCurrency(db),
    attributedRevenue,
    previousRevenue,
    window,
  };
}

export function getCampaign(db: BusinessDb, id: string): CampaignDetail {
  const row = campaignRow(db, id);
  const recipients = recipientRows(db, id);
  return { ...campaignDto(db, row, recipients), recipientRows: recipients };
}

export function listCampaigns(db: BusinessDb): Campaign[] {
  const rows = stmt(db.sqlite, 'SELECT * FROM campaigns ORDER BY created_at DESC, id DESC').all() as CampaignRow[];
  return rows.map((r) => campaignDto(db, r));
}

export function emailOptOut(db: BusinessDb, customerId: string): { customerId: string; emailOptOutAt: string | null } {
  const row = stmt(db.sqlite, 'SELECT email_opt_out_at FROM customers WHERE id = ?').get(customerId) as { email_opt_out_at: string | null } | undefined;
  if (!row) throw notFound('The customer', 'id');
  return { customerId, emailOptOutAt: row.email_opt_out_at };
}

/** Marks a customer unsubscribed from campaigns (or subscribed again); the caller audits. */
export function setEmailOptOut(db: BusinessDb, customerId: string, optOut: boolean, at: string) {
  const before = emailOptOut(db, customerId);
  if (optOut === (before.emailOptOutAt !== null)) return { before, after: before };
  stmt(db.sqlite, 'UPDATE customers SET email_opt_out_at = ?, updated_at = ? WHERE id = ?').run(optOut ? at : null, at, customerId);
  return { before, after: emailOptOut(db, customerId) };
}
