import { dateInTimeZone } from '@shared/domain/dates';
import { defineHandlers } from '../define-handlers';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { getBusinessRow, toBusinessDto } from '../business/business-service';
import { getCustomer } from '../customers/customers-service';
import { validation } from '../errors';
import { writeInvoicePdf } from './invoice-pdf';
import { liveLease } from './run-recorder';
import { getInvoiceRow, invoiceDetail, getPayment, listInvoices, listPayments, recordPayment, refundPayment, toInvoiceDto, voidInvoice } from './invoices-service';
import type { BillingRun } from '@shared/domain/billing';
import type { BusinessDb } from '../db/open';

function businessToday(ctx: { db: BusinessDb; now: Date }): string {
  return dateInTimeZone(ctx.now, businessTimezone(ctx.db));
}

const RUN_COLUMNS = `id, as_of AS asOf, trigger, status, started_at AS startedAt, finished_at AS finishedAt, invoices_issued AS invoicesIssued,
  payments_succeeded AS paymentsSucceeded, payments_failed AS paymentsFailed, subscriptions_canceled AS subscriptionsCanceled, error`;

export const billingHandlers = defineHandlers({
  'invoices.list': (ctx, input) => listInvoices(ctx.db, input),
  'invoices.get': (ctx, input) => invoiceDetail(ctx.db, input.id),
  'invoices.pay': (ctx, input) => {
    const before = toInvoiceDto(ctx.db, getInvoiceRow(ctx.db, input.id));
    const paymentId = recordPayment({ db: ctx.db, at: ctx.now.toISOString(), userId: ctx.user.id }, input);
    const invoice = invoiceDetail(ctx.db, input.id);
    const payment = getPayment(ctx.db, paymentId);
    ctx.audit({ action: 'invoices.pay', entity: 'invoice', entityId: invoice.id, before, after: { invoice, payment } });
    ctx.changed('invoices', 'payments', 'subscriptions', 'customers', 'metrics');
    return { invoice, payment };
  },
  'invoices.void': (ctx, input) => {
    const before = toInvoiceDto(ctx.db, getInvoiceRow(ctx.db, input.id));
    voidInvoice({ db: ctx.db, at: ctx.now.toISOString(), userId: ctx.user.id }, { id: input.id, on: input.on ?? businessToday(ctx) });
    const after = invoiceDetail(ctx.db, input.id);
    ctx.audit({ action: 'invoices.void', entity: 'invoice', entityId: after.id, before, after });
    ctx.changed('invoices', 'subscriptions', 'customers', 'metrics');
    return after;
  },
  'invoices.pdf': async (ctx, input) => {
    const invoice = invoiceDetail(ctx.db, input.id);
    const business = getBusinessRow(ctx.db.orm);
    const customer = getCustomer(ctx.db, invoice.customerId);
    const file = await ctx.exports.open(`${invoice.number}.pdf`);
    if (!file) return { path: null, downloadUrl: null };
    await writeInvoicePdf(file.stream, { invoice, business: toBusinessDto(business), customer });
    file.done?.();
    return { path: file.path, downloadUrl: file.downloadUrl };
  },
  'payments.list': (ctx, input) => listPayments(ctx.db, input),
  'payments.refund': (ctx, input) => {
    const before = getPayment(ctx.db, input.id);
    const refundId = refundPayment({ db: ctx.db, at: ctx.now.toISOString(), userId: ctx.user.id }, input);
    const payment = getPayment(ctx.db, input.id);
    const refund = stmt(ctx.db.sqlite, 'SELECT id, payment_id AS paymentId, amount, currency, refunded_on AS refundedOn, reason FROM refunds WHERE id = ?').get(refundId) as {
      id: string;
      paymentId: string;
      amount: number;
      currency: string;
      refundedOn: string;
      reason: string;
    };
    ctx.audit({ action: 'payments.refund', entity: 'payment', entityId: input.id, before, after: { payment, refund } });
    ctx.changed('payments', 'invoices', 'customers', 'metrics');
    return { refund, payment };
  },
  'billing.run': async (ctx, input) => {
    // A run charges cards: never for days that have not come (issue 11: a run as of 2126 billed a century).
    const today = businessToday(ctx);
    if (input.asOf > today) {
      throw validation('asOf', `Billing runs up to today (${today} in the business's time zone); to look ahead, simulate instead`);
    }
    return ctx.services.billing.run(input.asOf);
  },
  'billing.simulate': async (ctx, input) => {
    if (input.months < 1) throw validation('months', 'At least 1 month');
    return ctx.services.billing.simulate(input.from, input.months);
  },
  'billing.status': (ctx) => {
    // A run of another process (the CLI, the app) counts while its lease lives; a record left `running`
    // by a process that is gone reads as interrupted (the next run marks it so in the file).
    const live = liveLease(ctx.db, ctx.now.getTime());
    const recentRuns = (stmt(ctx.db.sqlite, `SELECT ${RUN_COLUMNS} FROM billing_runs ORDER BY started_at DESC, id DESC LIMIT 10`).all() as BillingRun[]).map(
      (r): BillingRun => (r.status === 'running' && r.id !== live?.owner ? { ...r, status: 'interrupted' } : r),
    );
    const lastRun = recentRuns.find((r) => r.status !== 'running') ?? recentRuns[0] ?? null;
    return { running: ctx.services.billing.isRunning() || live !== null, lastRun, recentRuns };
  },
});
