import type { PendingItem } from '@shared/contract/billing';
import { dateInTimeZone } from '@shared/domain/dates';
import { defineHandlers } from '../define-handlers';
import { SqlWhere } from '../db/sql-filter';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { getInvoiceRow, toInvoiceDto } from './invoices-service';
import { readSubscriptionLicense, refreshLicenseExpiry } from './license';
import type { SubscriptionRow } from './rows';
import { getSubscriptionRow, toSubscriptionDto } from './subscription-dto';
import { cancel, changeSubscription, createSubscription, pause, previewChange, reactivate, resume, type ActionContext } from './subscriptions-service';
import type { SessionContext } from '../rpc';

const action = (ctx: SessionContext): ActionContext => ({ db: ctx.db, at: ctx.now.toISOString(), userId: ctx.user.id });

/** Runs a subscription action and audits it with the state before and after. */
function audited(ctx: SessionContext, name: string, id: string, act: () => void) {
  const before = toSubscriptionDto(ctx.db, getSubscriptionRow(ctx.db, id));
  act();
  // A licensed subscription's license follows its new state, in the same transaction.
  refreshLicenseExpiry(ctx.db, id);
  const after = toSubscriptionDto(ctx.db, getSubscriptionRow(ctx.db, id));
  ctx.audit({ action: `subscriptions.${name}`, entity: 'subscription', entityId: id, before, after });
  ctx.changed('subscriptions', 'invoices', 'customers', 'metrics');
  return after;
}

export const subscriptionsHandlers = defineHandlers({
  'subscriptions.list': (ctx, q) => {
    const like = q.search ? `%${q.search}%` : undefined;
    const where = new SqlWhere()
      .add('s.status = ?', q.status)
      .add('s.customer_id = ?', q.customerId)
      .add('s.plan_id = ?', q.planId)
      .add('(c.name LIKE ? OR c.email LIKE ? OR p.name LIKE ?)', like, like, like);
    const clause = where.sql;
    const params = where.params;
    const from = 'FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN plans p ON p.id = s.plan_id';
    const rows = stmt(ctx.db.sqlite, `SELECT s.* ${from} ${clause} ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as SubscriptionRow[];
    const total = stmt(ctx.db.sqlite, `SELECT count(*) ${from} ${clause}`).pluck().get(...params) as number;
    return { rows: rows.map((r) => toSubscriptionDto(ctx.db, r)), total };
  },

  'subscriptions.get': (ctx, input) => {
    const row = getSubscriptionRow(ctx.db, input.id);
    const subscription = toSubscriptionDto(ctx.db, row);
    const history = stmt(
      ctx.db.sqlite,
      `SELECT h.effective_date AS effectiveDate, h.event, h.status, p.name AS planName, h.quantity, h.recurring_amount AS recurringAmount
         FROM subscription_history h JOIN plans p ON p.id = h.plan_id WHERE h.subscription_id = ? ORDER BY h.effective_date, h.seq`,
    ).all(input.id) as { effectiveDate: string; event: string; status: string; planName: string; quantity: number; recurringAmount: number }[];
    const pendingItems = stmt(
      ctx.db.sqlite,
      `SELECT id, kind, description, quantity, amount, period_start AS periodStart, period_end AS periodEnd, created_on AS createdOn
         FROM pending_items WHERE subscription_id = ? AND invoice_id IS NULL ORDER BY created_on, id`,
    ).all(input.id) as PendingItem[];
    const license = readSubscriptionLicense(ctx.db, row, dateInTimeZone(ctx.now, businessTimezone(ctx.db)));
    return { subscription, history, pendingItems, license };
  },

  'subscriptions.create': (ctx, input) => {
    const row = createSubscription(action(ctx), input);
    const after = toSubscriptionDto(ctx.db, row);
    ctx.audit({ action: 'subscriptions.create', entity: 'subscription', entityId: row.id, after });
    ctx.changed('subscriptions', 'customers', 'plans', 'coupons', 'metrics');
    return after;
  },

  'subscriptions.previewChange': (ctx, input) => previewChange(action(ctx), input),

  'subscriptions.change': (ctx, input) => {
    let invoiceId: string | null = null;
    const subscription = audited(ctx, 'change', input.id, () => {
      invoiceId = changeSubscription(action(ctx), input);
    });
    const invoice = invoiceId ? toInvoiceDto(ctx.db, getInvoiceRow(ctx.db, invoiceId)) : null;
    return { subscription, invoice };
  },

  'subscriptions.cancel': (ctx, input) => audited(ctx, 'cancel', input.id, () => cancel(action(ctx), input)),
  'subscriptions.pause': (ctx, input) => audited(ctx, 'pause', input.id, () => pause(action(ctx), input)),
  'subscriptions.resume': (ctx, input) => audited(ctx, 'resume', input.id, () => resume(action(ctx), input)),
  'subscriptions.reactivate': (ctx, input) => audited(ctx, 'reactivate', input.id, () => reactivate(action(ctx), input)),
});
