import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { addDays } from '@shared/domain/dates';
import { billingBusiness, type BillingFixture } from './billing';

// Random billing scenarios (plans, subscriptions, coupons, changes, pauses,
// cancels, payment-method switches) played against the real dispatcher.

export const START = '2026-01-01';
export const DAYS = 120;

const planArb = fc.record({
  price: fc.integer({ min: 0, max: 50_000 }),
  interval: fc.constantFrom('day', 'week', 'month', 'quarter', 'year'),
  intervalCount: fc.integer({ min: 1, max: 3 }),
  trialDays: fc.constantFrom(0, 0, 7, 14),
  setupFee: fc.constantFrom(0, 0, 1500),
  pricingModel: fc.constantFrom('flat', 'flat', 'graduated', 'volume'),
});

const actionArb = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), day: fc.integer({ min: 1, max: DAYS }), sub: fc.nat(), plan: fc.nat(), quantity: fc.integer({ min: 1, max: 20 }), mode: fc.constantFrom('prorate', 'invoice_now', 'at_period_end') }),
  fc.record({ kind: fc.constant('cancel' as const), day: fc.integer({ min: 1, max: DAYS }), sub: fc.nat(), atPeriodEnd: fc.boolean(), prorate: fc.boolean() }),
  fc.record({ kind: fc.constant('pause' as const), day: fc.integer({ min: 1, max: DAYS }), sub: fc.nat(), resumeAfter: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('method' as const), day: fc.integer({ min: 1, max: DAYS }), sub: fc.nat(), method: fc.constantFrom('card', 'card_declining', 'manual') }),
);

export const scenarioArb = fc.record({
  plans: fc.array(planArb, { minLength: 1, maxLength: 3 }),
  subs: fc.array(
    fc.record({ day: fc.integer({ min: 0, max: DAYS - 1 }), plan: fc.nat(), quantity: fc.integer({ min: 1, max: 15 }), method: fc.constantFrom('card', 'card', 'card_declining', 'manual') }),
    { minLength: 1, maxLength: 4 },
  ),
  coupon: fc.constantFrom(null, 'forever', 'once', 'repeating'),
  actions: fc.array(actionArb, { maxLength: 5 }),
});
export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

export const dayOf = (n: number) => addDays(START, n);
const TIERS = [
  { upTo: 5, unitAmount: 700 },
  { upTo: null, unitAmount: 400 },
];

/** Plays a scenario; `catchUp(to)` runs billing from the last date reached up to `to` (daily or in one go). */
export async function play(s: Scenario, daily: boolean) {
  // Property tests play some hundreds of scenarios: each on a copy of one sign-up.
  const b = await billingBusiness({ taxRate: '7.5', copy: true });
  const plans: { id: string }[] = [];
  for (const [i, p] of s.plans.entries()) plans.push(await b.plan({ ...p, name: `Plan ${i}`, tiers: p.pricingModel === 'flat' ? [] : TIERS }));
  if (s.coupon) await b.call('coupons.create', { code: 'PROMO', percentOff: '15', duration: s.coupon as 'once', ...(s.coupon === 'repeating' ? { durationMonths: 2 } : {}) });
  let reached = -1;
  const catchUp = async (to: number) => {
    if (to <= reached) return;
    if (daily) for (let d = reached + 1; d <= to; d++) await b.run(dayOf(d));
    else await b.run(dayOf(to));
    reached = to;
  };
  type Event = { day: number; order: number; run: () => Promise<unknown> };
  const events: Event[] = [];
  const subIds: string[] = [];
  const customerIds: string[] = [];
  s.subs.forEach((sub, i) =>
    events.push({
      day: sub.day,
      order: i,
      run: async () => {
        const customer = await b.customer(sub.method as 'card', `Customer ${i}`);
        customerIds.push(customer.id);
        const created = await b.call('subscriptions.create', {
          customerId: customer.id,
          planId: plans[sub.plan % plans.length]!.id,
          startDate: dayOf(sub.day),
          quantity: sub.quantity,
          ...(s.coupon && i % 2 === 0 ? { couponCode: 'PROMO' } : {}),
        });
        subIds.push(created.id);
      },
    }),
  );
  s.actions.forEach((a, i) =>
    events.push({
      day: a.day,
      order: 100 + i,
      run: async () => {
        const id = subIds[a.sub % Math.max(subIds.length, 1)];
        if (!id) return;
        const on = dayOf(a.day);
        // Refused actions (a date outside the period, a canceled subscription...) are part of the scenario too.
        if (a.kind === 'change') await b.core.dispatch(b.conn, 'subscriptions.change', { id, planId: plans[a.plan % plans.length]!.id, quantity: a.quantity, on, mode: a.mode });
        if (a.kind === 'cancel') await b.core.dispatch(b.conn, 'subscriptions.cancel', { id, on, atPeriodEnd: a.atPeriodEnd, prorate: a.prorate });
        if (a.kind === 'pause') {
          const paused = await b.core.dispatch(b.conn, 'subscriptions.pause', { id, on });
          if (paused.ok) events.push({ day: a.day + a.resumeAfter, order: 1000 + i, run: () => b.core.dispatch(b.conn, 'subscriptions.resume', { id, on: dayOf(a.day + a.resumeAfter) }) });
        }
        if (a.kind === 'method') await b.core.dispatch(b.conn, 'customers.update', { id: customerIds[a.sub % customerIds.length]!, paymentMethod: a.method });
      },
    }),
  );
  // Actions happen on their day after that day's billing, in both variants.
  while (events.length) {
    events.sort((x, y) => x.day - y.day || x.order - y.order);
    const next = events.shift()!;
    await catchUp(next.day);
    await next.run();
  }
  await catchUp(DAYS);
  return b;
}

/** The business's billing state without ids and wall-clock stamps. */
export function state(b: BillingFixture) {
  return stateOf(b.db.sqlite);
}

/** The billing state of one open file, as `state`. */
export function stateOf(sqlite: Database.Database) {
  const q = (sql: string) => sqlite.prepare(sql).all();
  return {
    invoices: q(`SELECT i.number, c.name, i.kind, i.period_key, i.status, i.issue_date, i.due_date, i.period_start, i.period_end, i.subtotal, i.discount,
                   i.tax, i.total, i.credit_applied, i.amount_paid, i.amount_due, i.attempt_count, i.next_retry_on, i.paid_on, i.uncollectible_on
                 FROM invoices i JOIN customers c ON c.id = i.customer_id ORDER BY i.number`),
    lines: q(`SELECT i.number, l.position, l.kind, l.description, l.quantity, l.amount, l.period_start, l.period_end
              FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id ORDER BY i.number, l.position`),
    payments: q(`SELECT i.number, p.amount, p.status, p.paid_on, p.attempt FROM payments p JOIN invoices i ON i.id = p.invoice_id ORDER BY i.number, p.attempt`),
    subscriptions: q(`SELECT c.name, s.status, s.quantity, s.anchor_date, s.next_period_index, s.current_period_start, s.current_period_end, s.canceled_at, s.paused_at
                      FROM subscriptions s JOIN customers c ON c.id = s.customer_id ORDER BY c.name`),
    history: q(`SELECT c.name, h.seq, h.effective_date, h.event, h.status, h.quantity, h.recurring_amount
                FROM subscription_history h JOIN customers c ON c.id = h.customer_id ORDER BY c.name, h.seq`),
    credit: q('SELECT name, credit_balance FROM customers ORDER BY name'),
    pending: q('SELECT amount, created_on, invoice_id IS NULL AS open FROM pending_items ORDER BY created_on, amount'),
  };
}

