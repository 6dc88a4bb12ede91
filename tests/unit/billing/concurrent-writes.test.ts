import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@shared/domain/dates';
import { emptyTimings, runBilling } from '../../../src-main/core/billing/engine';
import { recordPayment, voidInvoice } from '../../../src-main/core/billing/invoices-service';
import { cancel, changeSubscription, createSubscription, pause, reactivate, resume, type ActionContext } from '../../../src-main/core/billing/subscriptions-service';
import { updateCustomer } from '../../../src-main/core/customers/customers-service';
import { openBusinessDb, type BusinessDb } from '../../../src-main/core/db/open';
import { billingBusiness } from '../../support/billing';
import { stateOf } from '../../support/billing-scenarios';
import { MIGRATIONS_DIR, tempDir } from '../../support/core';

// Issue 11, defect 1: a change committed by another connection (the app's
// window while the worker bills, or the CLI) between two batches of a
// catch-up run must be seen by the next batch. Each case runs one catch-up
// run in batches of one step and, between two batches, writes from a second
// connection on the same file, with the real service code, at the boundary
// before a date D. The outcome must equal the sequential one (spec 3, path
// independence): daily runs up to the day before D, the same write, daily
// runs from D on.

const FIRST_DAY = '2026-01-01';
const AS_OF = '2026-05-31';
const at = '2026-06-01T09:00:00.000Z';

interface Setup {
  file: string;
  businessId: string;
  plans: { m30: string; m60: string; yearly: string };
  subs: Record<'ann' | 'ben' | 'cat' | 'cat2' | 'dan' | 'eve' | 'fay' | 'hal' | 'ivy', string>;
  customers: { gus: string; hal: string };
}

/** One write of the case: made before the steps of `before` (after the daily run of the day before). */
interface Write {
  before: string;
  write: (a: ActionContext, s: Setup) => void;
}

let dir: string;
let setup: Setup;

beforeAll(async () => {
  dir = tempDir('recurra-concurrent-');
  const b = await billingBusiness();
  const m30 = await b.plan({ price: 3000, name: 'Monthly 30' });
  const m60 = await b.plan({ price: 6000, name: 'Monthly 60' });
  const yearly = await b.plan({ price: 30000, name: 'Yearly', interval: 'year' });
  const sub = async (name: string, method: 'card' | 'card_declining', startDate: string, planId = m30.id, customerId?: string) => {
    const id = customerId ?? (await b.customer(method, name)).id;
    return { customerId: id, id: (await b.subscribe({ customerId: id, planId, startDate })).id };
  };
  const ann = await sub('Ann', 'card', '2026-01-05');
  const ben = await sub('Ben', 'card', '2026-01-07');
  const cat = await sub('Cat', 'card', '2026-01-09');
  const cat2 = await sub('Cat', 'card', '2026-01-20', m60.id, cat.customerId);
  const dan = await sub('Dan', 'card', '2026-01-11');
  const eve = await sub('Eve', 'card', '2026-01-13');
  const fay = await sub('Fay', 'card_declining', '2026-01-25');
  const hal = await sub('Hal', 'card_declining', '2026-01-15');
  const ivy = await sub('Ivy', 'card', '2026-01-03');
  // Canceled before anything was billed: only a reactivation brings it back.
  await b.call('subscriptions.cancel', { id: ivy.id, on: '2026-01-03', atPeriodEnd: false, prorate: false });
  const gus = await b.customer('card', 'Gus');
  b.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(dir, 'template.sqlite');
  fs.copyFileSync(b.db.file, file);
  setup = {
    file,
    businessId: b.businessId,
    plans: { m30: m30.id, m60: m60.id, yearly: yearly.id },
    subs: { ann: ann.id, ben: ben.id, cat: cat.id, cat2: cat2.id, dan: dan.id, eve: eve.id, fay: fay.id, hal: hal.id, ivy: ivy.id },
    customers: { gus: gus.id, hal: hal.customerId },
  };
  b.close();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function open(name: string): BusinessDb {
  const file = path.join(dir, `${name}.sqlite`);
  if (!fs.existsSync(file)) fs.copyFileSync(setup.file, file);
  return openBusinessDb(setup.businessId, file, { migrationsDir: MIGRATIONS_DIR });
}

function apply(db: BusinessDb, w: Write): void {
  db.sqlite.transaction(() => w.write({ db, at, userId: null }, setup)).immediate();
}

const now = () => new Date(at);

/** Daily runs from the first day to AS_OF, each write made before the run of its day. */
function sequential(name: string, writes: Write[]) {
  const db = open(`${name}-daily`);
  try {
    for (let day = FIRST_DAY; day <= AS_OF; day = addDays(day, 1)) {
      for (const w of writes) if (w.before === day) apply(db, w);
      runBilling(db, { asOf: day, now });
    }
    return stateOf(db.sqlite);
  } finally {
    db.sqlite.close();
  }
}

/** One catch-up run to AS_OF in batches of one step; a second connection makes each write between two batches. */
function duringOneRun(name: string, writes: Write[]) {
  const db = open(`${name}-run`);
  const other = openBusinessDb(setup.businessId, db.file, { migrationsDir: MIGRATIONS_DIR });
  try {
    const left = [...writes].sort((x, y) => (x.before < y.before ? -1 : 1));
    const timings = emptyTimings();
    runBilling(db, {
      asOf: AS_OF,
      batchSize: 1,
      now,
      timings,
      onBatch: ({ next }) => {
        while (left.length && next !== null && next >= left[0]!.before) apply(other, left.shift()!);
      },
    });
    expect(left, 'every write was made while the run was going').toEqual([]);
    // The agenda is read again once after each write, and never when nobody else wrote (dozens of batches).
    expect(timings.reloads).toBe(writes.length);
    expect(timings.batches).toBeGreaterThan(20);
    return stateOf(db.sqlite);
  } finally {
    other.sqlite.close();
    db.sqlite.close();
  }
}

/** The one open invoice of a subscription (read on the writing connection). */
function openInvoice(a: ActionContext, subscriptionId: string) {
  return a.db.sqlite.prepare("SELECT id, amount_due FROM invoices WHERE subscription_id = ? AND status = 'open'").get(subscriptionId) as { id: string; amount_due: number };
}

const cases: [string, Write[]][] = [
  ['cancel at period end', [{ before: '2026-03-01', write: (a, s) => cancel(a, { id: s.subs.ann, on: '2026-02-28', atPeriodEnd: true, prorate: false }) }]],
  ['quantity 5 at period end', [{ before: '2026-03-01', write: (a, s) => changeSubscription(a, { id: s.subs.ben, quantity: 5, on: '2026-02-28', mode: 'at_period_end' }) }]],
  ['plan change at period end', [{ before: '2026-03-01', write: (a, s) => changeSubscription(a, { id: s.subs.eve, planId: s.plans.m60, on: '2026-02-28', mode: 'at_period_end' }) }]],
  ['plan change prorated', [{ before: '2026-03-01', write: (a, s) => changeSubscription(a, { id: s.subs.eve, planId: s.plans.m60, on: '2026-02-28', mode: 'prorate' }) }]],
  ['plan change to another interval (invoiced at once)', [{ before: '2026-03-01', write: (a, s) => changeSubscription(a, { id: s.subs.eve, planId: s.plans.yearly, on: '2026-02-28', mode: 'prorate' }) }]],
  ['cancel now with a prorated credit used by another subscription', [{ before: '2026-03-01', write: (a, s) => cancel(a, { id: s.subs.cat, on: '2026-02-28', atPeriodEnd: false, prorate: true }) }]],
  [
    'pause, then resume',
    [
      { before: '2026-02-20', write: (a, s) => pause(a, { id: s.subs.dan, on: '2026-02-19' }) },
      { before: '2026-04-01', write: (a, s) => resume(a, { id: s.subs.dan, on: '2026-03-31' }) },
    ],
  ],
  [
    'hand payment of an invoice between its retries',
    [{ before: '2026-01-30', write: (a, s) => recordPayment(a, { id: openInvoice(a, s.subs.fay).id, amount: openInvoice(a, s.subs.fay).amount_due, method: 'cash', on: '2026-01-29', reference: '' }) }],
  ],
  ['void of an invoice between its retries', [{ before: '2026-01-30', write: (a, s) => voidInvoice(a, { id: openInvoice(a, s.subs.fay).id, on: '2026-01-29' }) }]],
  [
    'new subscription starting in the past',
    [{ before: '2026-03-01', write: (a, s) => createSubscription(a, { customerId: s.customers.gus, planId: s.plans.m30, startDate: '2026-02-10', quantity: 1, withLicenseKey: false }) }],
  ],
  ['payment method fixed between retries', [{ before: '2026-01-20', write: (a, s) => updateCustomer(a.db, s.customers.hal, { paymentMethod: 'card' }, a.at) }]],
  ['reactivation of a canceled subscription', [{ before: '2026-02-16', write: (a, s) => reactivate(a, { id: s.subs.ivy, on: '2026-02-15' }) }]],
];

let withoutWrites: ReturnType<typeof sequential> | undefined;

describe('a write committed by another connection while billing runs', () => {
  it.each(cases)('%s: the next batch sees it, and the outcome equals daily runs', (name, writes) => {
    const slug = name.replace(/[^a-z0-9]+/gi, '-');
    const expected = sequential(slug, writes);
    // The write changed something, or the case proves nothing.
    expect(expected).not.toEqual((withoutWrites ??= sequential('none', [])));
    expect(duringOneRun(slug, writes)).toEqual(expected);
  });
});
