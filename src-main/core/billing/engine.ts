import { performance } from 'node:perf_hooks';
import { addDays } from '@shared/domain/dates';
import type { DraftLine } from '@shared/domain/invoice-math';
import { couponApplies } from '@shared/domain/invoice-math';
import { licenseExpiresOn } from '@shared/domain/license';
import { periodStart, type Cadence } from '@shared/domain/periods';
import type { RunSummary } from '@shared/domain/billing';
import { writeAudit } from '../audit/audit';
import { recordCustomerEvent } from '../customers/timeline';
import { BatchWrites, updateRow } from '../db/batch-writes';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { FULL_REBUILD_ABOVE, markAllDirty } from '../metrics/maintained';
import { Agenda } from './agenda';
import { billingSettings, cadenceOf, couponTerms, loadCoupon, planAmount, PlanCache } from './catalog-repo';
import { appendHistory } from './history';
import {
  BatchNumbering,
  collectRetry,
  customerBilling,
  emptyCounters,
  issueInvoice,
  money,
  type CustomerBilling,
  type DunningInvoice,
  type IssuedInvoice,
  type WriteContext,
  writeInvoice,
} from './invoice-writer';
import { BILLED_SUBSCRIPTION_COLUMNS, type BilledSubscription } from './rows';

// The billing run (spec 3-7): everything due on or before `asOf`, applied in
// (date, subscription) order across all subscriptions, in batches of
// transactions. That order is the same for one run over three months as for
// daily runs, so the result is path-independent, numbers included. A run
// killed between batches loses nothing committed and double-issues nothing:
// the next run rebuilds the agenda from the database and carries on in the
// same order. A period is invoiced once: (subscription, period start) is unique.

export interface RunOptions {
  asOf: string;
  /** At most this many subscription steps per transaction. */
  batchSize?: number;
  /**
   * A batch also ends after this long. Every commit writes the pages its batch
   * touched to the WAL, and a run over many dates touches the same index pages
   * in every batch: few, long batches write far less. The app's own writes do
   * not freeze meanwhile: the dispatcher waits for them without blocking.
   */
  batchMs?: number;
  /** Wall-clock stamp for created_at columns (not a billing input). */
  now: () => Date;
  userId?: string | null;
  onBatch?: (progress: BatchProgress) => void;
  /** Checked between batches: a run asked to stop ends cleanly there. */
  shouldStop?: () => boolean;
  /**
   * Checked every 64 steps: true when another writer on this thread's process is waiting for the file (the
   * window, through the dispatcher). The batch then ends there, early, and commits, so the writer gets in
   * within a few milliseconds plus that commit instead of waiting out `batchMs` (billing/executor.ts).
   */
  yieldRequested?: () => boolean;
  /** Filled with where the time went (the benchmark reports it). */
  timings?: RunTimings;
}

/** Told after each batch's commit. */
export interface BatchProgress {
  /** Steps done so far. */
  processed: number;
  summary: RunSummary;
  /** The date of the next step as the agenda stands (null: nothing left); a write now is seen from that step on. */
  next: string | null;
}

/** Where a run's time goes, in milliseconds of wall time. */
export interface RunTimings {
  /** Reading the agenda (due subscriptions, open retries, scheduled changes), at the start and again after another connection wrote. */
  agendaMs: number;
  /** How many times the agenda was read again because another connection had committed since the last batch. */
  reloads: number;
  /** The steps themselves, inside the batches' transactions. */
  stepsMs: number;
  /** COMMIT of each batch: the pages it changed, written to the WAL. */
  commitMs: number;
  batches: number;
  /** Between batches: the lease renewed and the run's record updated (run-recorder). */
  betweenBatchesMs: number;
  /** The WAL checkpoint after the run (run-recorder). */
  checkpointMs: number;
  /** After the answer, in the worker: the dashboard's marks folded in (metrics/maintained.ts `foldMarksNow`) and the run date's months kept. */
  foldMs: number;
  /** Full garbage collections of the worker's heap between batches (billing-worker.ts), and their time. */
  collections: number;
  gcMs: number;
}

export function emptyTimings(): RunTimings {
  return { agendaMs: 0, reloads: 0, stepsMs: 0, commitMs: 0, batches: 0, betweenBatchesMs: 0, checkpointMs: 0, foldMs: 0, collections: 0, gcMs: 0 };
}

/**
 * An open invoice of a subscription waiting for an automatic retry. The run
 * holds all of them in memory (read in one query, then kept up to date by its
 * own writes), so a retry reads nothing.
 */
interface RetryingInvoice extends DunningInvoice {
  amountDue: number;
  nextRetryOn: string;
}

/**
 * What the run keeps between steps: the agenda (subscription ids by the date
 * of their next event, nothing more), the open invoices awaiting a retry and
 * the dates of scheduled changes (both small: only subscriptions with one
 * have an entry). All of it is derived from the database and read again, in
 * the batch's own transaction, when another connection committed since it
 * was read (`version`, PRAGMA data_version): a change made in the window or
 * the CLI while a run goes on (a cancel at period end, a new subscription, a
 * payment by hand) is seen by the next batch, exactly as by a new run.
 * Subscription rows are read by the batch that needs them.
 */
interface RunState {
  /** PRAGMA data_version when this state was read (inside a transaction: nobody else could write meanwhile). */
  version: number;
  agenda: Agenda;
  retrying: Map<string, RetryingInvoice[]>;
  /** The earliest scheduled change not yet applied, by subscription. */
  scheduled: Map<string, string>;
  /** Subscriptions with proration lines waiting: the others need not look. */
  withPendingItems: Set<string>;
  plans: PlanCache;
  cadences: Map<string, Cadence>;
  /**
   * The customers' credit and payment method, kept up to date by the run's own writes (a credit applied or
   * gained): in a big run every customer's, read in one scan with the agenda (as the raw bound reads them),
   * otherwise each one the first time a step needs it (customerBilling). Not read by id again in each batch:
   * that put the customers table and its id index (27 MB at 100,000) into every batch's working set, and
   * past the page cache's cliff every step missed pages of the tables it writes (README, billing).
   */
  customers: Map<string, CustomerBilling>;
  /** The subscriptions the agenda read went through (not canceled, or with something left to do). */
  running: number;
}

function loadRetrying(db: BusinessDb): Map<string, RetryingInvoice[]> {
  const bySubscription = new Map<string, RetryingInvoice[]>();
  const rows = stmt(
    db.sqlite,
    `SELECT subscription_id, id, number, issue_date, customer_id, amount_due, attempt_count, next_retry_on
       FROM invoices WHERE status = 'open' AND next_retry_on IS NOT NULL AND subscription_id IS NOT NULL`,
  )
    .raw()
    .all() as [string, string, string, string, string, number, number, string][];
  for (const [subscriptionId, id, number, issueDate, customerId, amountDue, attempts, nextRetryOn] of rows) {
    let list = bySubscription.get(subscriptionId);
    if (!list) bySubscription.set(subscriptionId, (list = []));
    list.push({ id, number, issueDate, customerId, attempts, amountDue, nextRetryOn });
  }
  return bySubscription;
}

function earliestRetry(list: RetryingInvoice[] | undefined): string | null {
  let earliest: string | null = null;
  if (list) for (const i of list) if (earliest === null || i.nextRetryOn < earliest) earliest = i.nextRetryOn;
  return earliest;
}

/** The subscriptions that may have something due: not canceled, canceled later than their last billed period, or with an invoice to retry. */
const AGENDA_SQL = `SELECT id, status, plan_id, anchor_date, next_period_index, canceled_at FROM subscriptions
  WHERE status <> 'canceled' OR canceled_at > coalesce(current_period_end, anchor_date)
     OR id IN (SELECT subscription_id FROM invoices WHERE status = 'open' AND next_retry_on IS NOT NULL)`;

/**
 * Everything the run keeps, read from the database as it is now: what a new
 * run would start from, so a run that reads it again part way carries on as
 * a new run would (and a new run carries on where a killed one stopped).
 */
function loadState(db: BusinessDb, asOf: string, version: number): RunState {
  const cadences = new Map<string, Cadence>();
  // The SQL text is this module's own: `stmt` shares a statement between every caller of the same text, and raw() would change it for all.
  for (const [id, interval, intervalCount] of stmt(db.sqlite, 'SELECT id, interval, interval_count FROM plans /* billing agenda */').raw().all() as [string, Cadence['interval'], number][]) {
    cadences.set(id, { interval, intervalCount });
  }
  const state: RunState = {
    version,
    agenda: new Agenda(),
    retrying: loadRetrying(db),
    scheduled: new Map(
      stmt(db.sqlite, 'SELECT subscription_id, min(effective_date) FROM scheduled_changes WHERE applied_at IS NULL AND canceled_at IS NULL GROUP BY subscription_id')
        .raw()
        .all() as [string, string][],
    ),
    withPendingItems: new Set(stmt(db.sqlite, 'SELECT DISTINCT subscription_id FROM pending_items WHERE invoice_id IS NULL').pluck().all() as string[]),
    plans: new PlanCache(db),
    cadences,
    customers: new Map(),
    running: 0,
  };
  // Streamed: only the ids of what is due stay in memory, not 100,000 rows at once.
  const rows = stmt(db.sqlite, AGENDA_SQL).raw().iterate() as IterableIterator<[string, BilledSubscription['status'], string, string, number, string | null]>;
  for (const [id, status, planId, anchor, index, canceledAt] of rows) {
    state.running++;
    const date = nextEventDate(state, id, status, anchor, cadences.get(planId)!, index, canceledAt, null);
    if (date !== null && date <= asOf) state.agenda.push(date, id);
  }
  // A run with a quarter or more of the subscriptions due reads every customer in one scan; a smaller one (a
  // day's run) reads the few it needs by id, once each (customerBilling), and keeps them the same way.
  if (state.agenda.size > 0 && state.agenda.size * 4 >= state.running) {
    for (const [id, credit, method] of stmt(db.sqlite, 'SELECT id, credit_balance, payment_method FROM customers /* billing agenda */').raw().iterate() as IterableIterator<
      [string, number, CustomerBilling['payment_method']]
    >) {
      // The method as this module's own constant: one string for every customer, not one per row.
      state.customers.set(id, { credit_balance: credit, payment_method: method === 'card' ? 'card' : method === 'card_declining' ? 'card_declining' : method });
    }
  }
  return state;
}

/**
 * The next date this subscription has something to do, or null (from memory: no query).
 * `start`: the start of period `index`, when the caller knows it.
 */
function nextEventDate(
  state: RunState,
  id: string,
  status: BilledSubscription['status'],
  anchor: string,
  cadence: Cadence,
  index: number,
  canceledAt: string | null,
  start: string | null,
): string | null {
  let next = earliestRetry(state.retrying.get(id));
  const scheduled = state.scheduled.get(id);
  if (scheduled !== undefined && (next === null || scheduled < next)) next = scheduled;
  let due: string | null = null;
  if (status === 'trialing') due = anchor;
  else {
    start ??= periodStart(anchor, cadence, index);
    if (canceledAt === null || start < canceledAt) due = start;
  }
  if (due !== null && (next === null || due < next)) next = due;
  return next;
}

/**
 * Before a batch's writes: the dashboard's marks that name everyone (migration 0027), when its next fold
 * would rebuild the table whole anyway, so the triggers skip a mark per step (each a lookup or an insert in
 * a 100,000-row index keyed by a random id: at 100,000 subscriptions 150 MB of a month's page-cache
 * misses). Customers: over FULL_REBUILD_ABOVE marked, the fold's own rule. Renewals: when the agenda still
 * holds at least half of the running subscriptions, whose fold would recompute about as many.
 */
function markEveryoneWhenWhole(db: BusinessDb, s: RunState): void {
  if (s.agenda.size * 2 >= s.running) markAllDirty(db, 'subscriptions');
  const marked = stmt(db.sqlite, 'SELECT count(*) FROM (SELECT 1 FROM metric_dirty LIMIT ?)').pluck().get(FULL_REBUILD_ABOVE + 1) as number;
  if (marked > FULL_REBUILD_ABOVE) markAllDirty(db, 'customers');
}

const minScheduledSql = 'SELECT min(effective_date) FROM scheduled_changes WHERE subscription_id = ? AND applied_at IS NULL AND canceled_at IS NULL';

/**
 * One subscription row as the run reads it, by id (a plain object of fixed shape, built from the raw
 * row); its customer's credit and payment method come from the run's state (`RunState.customers`).
 */
const SUBSCRIPTION_SQL = `SELECT ${BILLED_SUBSCRIPTION_COLUMNS.join(', ')} FROM subscriptions WHERE id = ? /* billing step */`;
const subscriptionOf = new Function('v', `return v === undefined ? undefined : { ${BILLED_SUBSCRIPTION_COLUMNS.map((c, i) => `${c}: v[${i}]`).join(', ')} };`) as (
  v: unknown[] | undefined,
) => BilledSubscription | undefined;

export function runBilling(db: BusinessDb, opts: RunOptions): RunSummary {
  const batchSize = opts.batchSize ?? 100_000;
  const batchMs = opts.batchMs ?? 2000;
  const timings = opts.timings ?? emptyTimings();
  const counters = emptyCounters();
  const summary = (): RunSummary => ({ asOf: opts.asOf, ...counters });
  const readSubscription = stmt(db.sqlite, SUBSCRIPTION_SQL).raw();
  const dataVersion = stmt(db.sqlite, 'PRAGMA data_version').pluck();
  let state = null as RunState | null;
  let processed = 0;
  for (;;) {
    if (opts.shouldStop?.()) break;
    const before = { ...counters };
    const batchStarted = performance.now();
    let loadMs = 0;
    let stepsMs = 0;
    let steps = 0;
    db.sqlite
      .transaction(() => {
        // Inside the batch's transaction nobody else can write: what it reads now holds until it commits.
        const version = dataVersion.get() as number;
        if (state === null || state.version !== version) {
          if (state !== null) timings.reloads++;
          state = loadState(db, opts.asOf, version);
          loadMs = performance.now() - batchStarted;
        }
        const s = state;
        if (s.agenda.size === 0) return;
        markEveryoneWhenWhole(db, s);
        const numbering = new BatchNumbering(db);
        // Rows and history seqs read by this batch, for its later steps (never kept longer: memory).
        const rows = new Map<string, BilledSubscription>();
        const ctx: RunContext = {
          db,
          settings: billingSettings(db),
          at: opts.now().toISOString(),
          userId: opts.userId ?? null,
          counters,
          numbering,
          customers: s.customers,
          historySeqs: new Map(),
          writes: new BatchWrites(db.sqlite, ['invoices']),
          state: s,
        };
        const started = performance.now();
        for (; steps < batchSize && s.agenda.size > 0; steps++) {
          if ((steps & 63) === 63 && (performance.now() - started > batchMs || opts.yieldRequested?.())) break;
          const next = s.agenda.pop()!;
          let sub = rows.get(next.id);
          if (!sub) {
            const raw = readSubscription.get(next.id) as unknown[] | undefined;
            sub = subscriptionOf(raw);
            if (!sub) continue; // deleted by someone else since the agenda was read
            rows.set(next.id, sub);
          }
          const start = stepSubscription(ctx, sub, next.date);
          processed++;
          const date = nextEventDate(s, sub.id, sub.status, sub.anchor_date, cadenceFor(s, sub.plan_id), sub.next_period_index, sub.canceled_at, start);
          if (date !== null && date <= opts.asOf) {
            if (date <= next.date) throw new Error(`billing made no progress on subscription ${next.id} at ${next.date}`);
            s.agenda.push(date, next.id);
          }
        }
        ctx.writes!.flush();
        numbering.save();
        const changed = (Object.keys(counters) as (keyof typeof counters)[]).some((k) => counters[k] !== before[k]);
        if (changed) {
          writeAudit(db.orm, { userId: opts.userId ?? null, userEmail: null }, opts.now(), {
            action: 'billing.run',
            entity: 'billing',
            entityId: null,
            after: { asOf: opts.asOf, ...Object.fromEntries((Object.keys(counters) as (keyof typeof counters)[]).map((k) => [k, counters[k] - before[k]])) },
          });
        }
        stepsMs = performance.now() - batchStarted - loadMs;
      })
      .immediate();
    timings.agendaMs += loadMs;
    if (steps === 0) break;
    timings.stepsMs += stepsMs;
    timings.commitMs += performance.now() - batchStarted - loadMs - stepsMs;
    timings.batches++;
    opts.onBatch?.({ processed, summary: summary(), next: state!.agenda.peekDate() });
  }
  return summary();
}

function cadenceFor(state: RunState, planId: string): Cadence {
  let c = state.cadences.get(planId);
  if (!c) state.cadences.set(planId, (c = cadenceOf(state.plans.get(planId))));
  return c;
}

/**
 * Sets columns of a subscription: held for the end of the batch in a billing run, merged with the
 * batch's other changes to it (the run keeps the row in memory and never reads it back;
 * db/batch-writes.ts), made at once otherwise.
 */
function writeSubscription(ctx: WriteContext, id: string, fields: Record<string, unknown>): void {
  updateRow(ctx.db.sqlite, ctx.writes, 'subscriptions', id, fields);
}

/** A batch's write context, with the state the run keeps between batches. */
interface RunContext extends WriteContext {
  state: RunState;
}

/**
 * Everything one subscription has to do on `date`, in a fixed order; `sub` is kept up to date.
 * Returns the start of its next period when it worked it out (else null).
 */
function stepSubscription(ctx: RunContext, sub: BilledSubscription, date: string): string | null {
  const { db, state } = ctx;
  const { plans } = state;
  // 1. Retries of its unpaid invoices due today (oldest first).
  const open = state.retrying.get(sub.id);
  if (open) {
    const due = open.filter((i) => i.nextRetryOn <= date).sort((a, b) => (a.issueDate !== b.issueDate ? (a.issueDate < b.issueDate ? -1 : 1) : a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
    for (const invoice of due) retry(ctx, plans, sub, invoice, open, date);
    if (open.length === 0) state.retrying.delete(sub.id);
  }

  // 2. Changes that were waiting for today (a new plan at period end, a cancel at period end).
  const scheduledOn = state.scheduled.get(sub.id);
  if (scheduledOn !== undefined && scheduledOn <= date) {
    const changes = stmt(
      db.sqlite,
      'SELECT * FROM scheduled_changes WHERE subscription_id = ? AND effective_date <= ? AND applied_at IS NULL AND canceled_at IS NULL ORDER BY effective_date, created_at, id',
    ).all(sub.id, date) as { id: string; kind: string; effective_date: string; plan_id: string | null; quantity: number | null }[];
    for (const change of changes) {
      if (change.kind === 'cancel' && sub.status !== 'canceled') cancelSubscription(ctx, plans, sub, change.effective_date, 'canceled_at_period_end');
      if (change.kind === 'change' && sub.status !== 'canceled') {
        sub.plan_id = change.plan_id ?? sub.plan_id;
        sub.quantity = change.quantity ?? sub.quantity;
        writeSubscription(ctx, sub.id, { plan_id: sub.plan_id, quantity: sub.quantity, updated_at: ctx.at });
        appendHistory(db, sub, { effectiveDate: change.effective_date, event: 'changed', status: sub.status, recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs, ctx.writes);
      }
      stmt(db.sqlite, 'UPDATE scheduled_changes SET applied_at = ? WHERE id = ?').run(ctx.at, change.id);
    }
    const later = stmt(db.sqlite, minScheduledSql).pluck().get(sub.id) as string | null;
    if (later === null) state.scheduled.delete(sub.id);
    else state.scheduled.set(sub.id, later);
  }

  // 3. The end of a trial.
  if (sub.status === 'trialing' && sub.anchor_date === date) {
    sub.status = 'active';
    writeSubscription(ctx, sub.id, { status: 'active', updated_at: ctx.at });
    appendHistory(db, sub, { effectiveDate: date, event: 'trial_ended', status: 'active', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs, ctx.writes);
  }

  // 4. The period starting today, billed in advance.
  if (sub.status === 'trialing') return null;
  const cadence = cadenceFor(state, sub.plan_id);
  const start = periodStart(sub.anchor_date, cadence, sub.next_period_index);
  if (start !== date) return start;
  if (sub.canceled_at !== null && sub.canceled_at <= date) return start;
  if (sub.status === 'paused' && sub.paused_at !== null && sub.paused_at <= date) {
    // A period starting while paused is not invoiced (spec 7).
    sub.next_period_index++;
    writeSubscription(ctx, sub.id, { next_period_index: sub.next_period_index, updated_at: ctx.at });
    return null;
  }
  const end = periodStart(sub.anchor_date, cadence, sub.next_period_index + 1);
  const invoice = issuePeriod(ctx, plans, sub, start, end, state.withPendingItems.has(sub.id));
  const retryOn = afterFirstAttempt(ctx, plans, sub, invoice, date);
  if (retryOn !== null) {
    let list = state.retrying.get(sub.id);
    if (!list) state.retrying.set(sub.id, (list = []));
    list.push({ id: invoice.id, number: invoice.number, issueDate: date, customerId: sub.customer_id, attempts: 1, amountDue: invoice.totals.amountDue, nextRetryOn: retryOn });
  }
  // The period after it starts where this one ends.
  return end;
}

export interface PendingItemRow {
  id: string;
  kind: 'proration' | 'extra';
  description: string;
  quantity: number;
  amount: number;
  period_start: string | null;
  period_end: string | null;
  product_id: string | null;
}

/** A waiting item as an invoice line: proration from a change, or an extra line the owner added (a product or free text). */
export function pendingLine(p: PendingItemRow): DraftLine {
  if (p.kind === 'extra') {
    const unit = p.quantity > 0 && p.amount % p.quantity === 0 ? p.amount / p.quantity : null;
    return { kind: p.product_id ? 'product' : 'manual', description: p.description, quantity: p.quantity, unitAmount: unit, amount: p.amount, periodStart: null, periodEnd: null, productId: p.product_id };
  }
  return { kind: 'proration', description: p.description, quantity: p.quantity, unitAmount: null, amount: p.amount, periodStart: p.period_start, periodEnd: p.period_end };
}

function issuePeriod(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, start: string, end: string, hasPendingItems: boolean): IssuedInvoice {
  const { db } = ctx;
  const plan = plans.get(sub.plan_id);
  const charges: DraftLine[] = [
    {
      kind: 'recurring',
      description: `${plan.name}${sub.quantity > 1 ? ` x ${sub.quantity}` : ''}`,
      quantity: sub.quantity,
      unitAmount: plan.pricing_model === 'flat' ? plan.unit_amount : null,
      amount: planAmount(plan, sub.quantity),
      periodStart: start,
      periodEnd: end,
    },
  ];
  if (!sub.setup_fee_invoiced && plan.setup_fee > 0) {
    charges.push({ kind: 'setup_fee', description: `Setup fee (${plan.name})`, quantity: 1, unitAmount: plan.setup_fee, amount: plan.setup_fee, periodStart: null, periodEnd: null });
  }
  const items = (!hasPendingItems ? [] : stmt(
    db.sqlite,
    'SELECT id, kind, description, quantity, amount, period_start, period_end, product_id FROM pending_items WHERE subscription_id = ? AND invoice_id IS NULL AND created_on <= ? ORDER BY created_on, id',
  ).all(sub.id, start)) as PendingItemRow[];
  for (const p of items) charges.push(pendingLine(p));
  const invoice = issueInvoice(ctx, {
    customerId: sub.customer_id,
    subscriptionId: sub.id,
    kind: 'subscription',
    periodKey: start,
    issueDate: start,
    periodStart: start,
    periodEnd: end,
    charges,
    coupon: activeCoupon(ctx, sub, start),
  });
  if (items.length > 0) ctx.writes?.flush(); // the proration lines refer to the invoice
  for (const p of items) stmt(db.sqlite, 'UPDATE pending_items SET invoice_id = ? WHERE id = ?').run(invoice.id, p.id);
  sub.next_period_index++;
  sub.setup_fee_invoiced = 1;
  // A licensed subscription's license now runs to the period's end (the run does not keep periods in memory);
  // a past_due one's stays at the end of its dunning days (src-shared/domain/license.ts).
  writeSubscription(ctx, sub.id, {
    next_period_index: sub.next_period_index,
    current_period_start: start,
    current_period_end: end,
    setup_fee_invoiced: 1,
    ...(sub.license_key !== null && sub.status === 'active' ? { license_expires_on: end } : {}),
    updated_at: ctx.at,
  });
  return invoice;
}

/** The coupon's terms if it discounts an invoice of this subscription issued on `date`. */
export function activeCoupon(ctx: WriteContext, sub: Pick<BilledSubscription, 'id' | 'coupon_id' | 'coupon_applied_on'>, date: string) {
  if (!sub.coupon_id || !sub.coupon_applied_on) return null;
  const coupon = loadCoupon(ctx.db, sub.coupon_id);
  const terms = couponTerms(coupon, sub.coupon_applied_on);
  if (terms.duration === 'once') ctx.writes?.flush(); // the invoices held so far, read below
  const invoicedSince =
    terms.duration === 'once' &&
    stmt(ctx.db.sqlite, "SELECT 1 FROM invoices INDEXED BY invoices_subscription_period WHERE subscription_id = ? AND issue_date >= ? AND status <> 'void' LIMIT 1").get(sub.id, sub.coupon_applied_on) !== undefined;
  return couponApplies(terms, date, invoicedSince) ? terms : null;
}

/** After an invoice's first attempt: a failure makes the subscription past_due and schedules retries. Returns the retry date. */
export function afterFirstAttempt(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, invoice: IssuedInvoice, date: string): string | null {
  if (invoice.collection !== 'failed') return null;
  return scheduleRetryOrGiveUp(ctx, plans, sub, { id: invoice.id, number: invoice.number, issueDate: date, customerId: sub.customer_id, attempts: 1 }, date);
}

/** One retry of an open invoice of `sub`; `open` (the subscription's open retries) is kept up to date. */
function retry(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, invoice: RetryingInvoice, open: RetryingInvoice[], date: string): void {
  const outcome = collectRetry(ctx, invoice, invoice.amountDue, customerBilling(ctx, invoice.customerId).payment_method, date);
  const next = outcome === 'failed' ? scheduleRetryOrGiveUp(ctx, plans, sub, invoice, date) : null;
  if (next !== null) {
    invoice.nextRetryOn = next;
    return;
  }
  open.splice(open.indexOf(invoice), 1);
  if (outcome === null) {
    // The customer now pays by hand: no more automatic attempts.
    writeInvoice(ctx, invoice.id, { next_retry_on: null, updated_at: ctx.at });
  } else if (outcome === 'succeeded') recoverIfSettled(ctx, plans, sub, date);
}

/** After a failed attempt: the next retry of the schedule, or uncollectible and the subscription canceled. */
function scheduleRetryOrGiveUp(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription | null, inv: DunningInvoice, date: string): string | null {
  const { db, settings } = ctx;
  const retriesMade = inv.attempts - 1;
  if (retriesMade < settings.dunningDays.length) {
    const nextRetry = addDays(inv.issueDate, settings.dunningDays[retriesMade]!);
    writeInvoice(ctx, inv.id, { attempt_count: inv.attempts, next_retry_on: nextRetry, updated_at: ctx.at });
    if (sub && sub.status === 'active') {
      sub.status = 'past_due';
      // The license stays valid through the dunning days: to the day of the last retry (spec/server.md).
      const license = sub.license_key !== null ? { license_expires_on: licenseExpiry(ctx, plans, sub, inv.issueDate) } : {};
      writeSubscription(ctx, sub.id, { status: 'past_due', ...license, updated_at: ctx.at });
      appendHistory(db, sub, { effectiveDate: date, event: 'payment_failed', status: 'past_due', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs, ctx.writes);
    }
    return nextRetry;
  }
  // The last retry failed (spec 5): uncollectible, and the subscription ends today.
  writeInvoice(ctx, inv.id, { status: 'uncollectible', attempt_count: inv.attempts, uncollectible_on: date, next_retry_on: null, updated_at: ctx.at });
  recordCustomerEvent(
    db,
    { customerId: inv.customerId, kind: 'system', subtype: 'uncollectible', title: `${inv.number} marked uncollectible after the last retry`, occurredAt: `${date}T00:00:00.000Z`, userId: ctx.userId, refType: 'invoice', refId: inv.id },
    ctx.at,
    ctx.writes,
  );
  if (sub && sub.status !== 'canceled') cancelSubscription(ctx, plans, sub, date, 'canceled_unpaid');
  return null;
}

/** A successful payment returns a past_due subscription to active, unless another invoice is still failing. */
export function recoverIfSettled(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, date: string): void {
  const { db } = ctx;
  if (sub.status !== 'past_due') return;
  ctx.writes?.flush(); // the invoices held so far, read below
  const stillFailing = stmt(db.sqlite, "SELECT 1 FROM invoices INDEXED BY invoices_subscription_period WHERE subscription_id = ? AND status = 'open' AND attempt_count > 0 AND amount_due > 0 LIMIT 1").get(sub.id);
  if (stillFailing) {
    // Still past_due: a licensed one's dunning days now run from the oldest invoice still failing.
    if (sub.license_key !== null) {
      const since = stmt(db.sqlite, "SELECT min(issue_date) FROM invoices INDEXED BY invoices_subscription_period WHERE subscription_id = ? AND status = 'open' AND attempt_count > 0 AND amount_due > 0").pluck().get(sub.id) as string;
      writeSubscription(ctx, sub.id, { license_expires_on: licenseExpiry(ctx, plans, sub, since), updated_at: ctx.at });
    }
    return;
  }
  sub.status = 'active';
  const license = sub.license_key !== null ? { license_expires_on: licenseExpiry(ctx, plans, sub, null) } : {};
  writeSubscription(ctx, sub.id, { status: 'active', ...license, updated_at: ctx.at });
  appendHistory(db, sub, { effectiveDate: date, event: 'recovered', status: 'active', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs, ctx.writes);
}

/** The license expiry of `sub` in its (new) state, from what the run keeps in memory. */
function licenseExpiry(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, failingSince: string | null): string | null {
  return licenseExpiresOn({
    status: sub.status,
    anchorDate: sub.anchor_date,
    trialEnd: null,
    nextPeriodIndex: sub.next_period_index,
    canceledAt: sub.canceled_at,
    cadence: cadenceOf(plans.get(sub.plan_id)),
    failingSince,
    dunningDays: ctx.settings.dunningDays,
    current: null,
  });
}

export function cancelSubscription(ctx: WriteContext, plans: PlanCache, sub: BilledSubscription, date: string, event: string): void {
  const { db } = ctx;
  sub.status = 'canceled';
  sub.canceled_at = date;
  sub.cancel_at ??= date;
  sub.cancel_at_period_end = 0;
  const license = sub.license_key !== null ? { license_expires_on: date } : {};
  writeSubscription(ctx, sub.id, { status: 'canceled', canceled_at: date, cancel_at: sub.cancel_at, cancel_at_period_end: 0, ...license, updated_at: ctx.at });
  appendHistory(db, sub, { effectiveDate: date, event, status: 'canceled', recurringAmount: planAmount(plans.get(sub.plan_id), sub.quantity) }, ctx.at, ctx.historySeqs, ctx.writes);
  const plan = plans.get(sub.plan_id);
  recordCustomerEvent(
    db,
    {
      customerId: sub.customer_id,
      kind: 'system',
      subtype: 'canceled',
      title: event === 'canceled_unpaid' ? 'Subscription canceled: the last payment retry failed' : 'Subscription canceled',
      body: `${plan.name}, ${money(planAmount(plan, sub.quantity), ctx.settings)}`,
      occurredAt: `${date}T00:00:00.000Z`,
      userId: ctx.userId,
      refType: 'subscription',
      refId: sub.id,
    },
    ctx.at,
    ctx.writes,
  );
  ctx.counters.subscriptionsCanceled++;
}
