import type { Input } from '@shared/contract';
import type { Core } from '../../src-main/core/core';
import { dateInTimeZone, startOfDayInstant } from '@shared/domain/dates';
import { call, connect, makeCore, signedUpCopy, signUp, type FakeClock, type TestConnection } from './core';

/**
 * A business ready for billing tests, with short helpers over the real dispatcher. With `copy`, a
 * copy of one signed up once per test file (signedUpCopy), for tests that make a great many.
 */
export async function billingBusiness(opts: { taxRate?: string; timezone?: string; dunningDays?: number[]; copy?: boolean } = {}) {
  const timezone = opts.timezone ?? 'UTC';
  const { core, clock, conn, businessId } = opts.copy
    ? await signedUpCopy({ timezone })
    : await (async () => {
        const made = makeCore();
        return { ...made, ...(await signUp(made.core, { timezone })) };
      })();
  if (opts.taxRate || opts.dunningDays) {
    await call(core, conn, 'business.update', { ...(opts.taxRate ? { taxRate: opts.taxRate } : {}), ...(opts.dunningDays ? { dunningDays: opts.dunningDays } : {}) });
  }
  return new BillingFixture(core, conn as TestConnection, businessId, clock as FakeClock);
}

let seq = 0;

export class BillingFixture {
  constructor(
    readonly core: Core,
    readonly conn: TestConnection,
    readonly businessId: string,
    readonly clock?: FakeClock,
  ) {}

  /**
   * Billing runs only up to today (issue 11), so a run as of a later day sets
   * the test's clock to noon of that day in the business's time zone for the
   * run, as the days would pass for a real business, then puts it back (the
   * tests' other calls keep their "today"). An earlier day leaves it.
   */
  async onDay<T>(asOf: string, fn: () => Promise<T>): Promise<T> {
    if (!this.clock) return fn();
    const timezone = this.db.sqlite.prepare('SELECT timezone FROM business').pluck().get() as string;
    const before = this.clock.now();
    if (dateInTimeZone(before, timezone) >= asOf) return fn();
    this.clock.set(new Date(startOfDayInstant(asOf, timezone).getTime() + 12 * 3_600_000));
    try {
      return await fn();
    } finally {
      this.clock.set(before);
    }
  }

  get db() {
    return this.core.businesses.get(this.businessId);
  }

  plan(input: Partial<Input<'plans.create'>> & { price: number }) {
    return call(this.core, this.conn, 'plans.create', { name: `Plan ${++seq}`, interval: 'month', ...input });
  }

  customer(paymentMethod: 'card' | 'card_declining' | 'manual' = 'card', name = `Customer ${++seq}`) {
    return call(this.core, this.conn, 'customers.create', { name, email: `c${++seq}@example.com`, paymentMethod });
  }

  async subscribe(input: Partial<Input<'subscriptions.create'>> & { planId: string; startDate: string; customerId?: string }) {
    const customerId = input.customerId ?? (await this.customer()).id;
    return call(this.core, this.conn, 'subscriptions.create', { ...input, customerId });
  }

  run(asOf: string) {
    return this.onDay(asOf, () => call(this.core, this.conn, 'billing.run', { asOf }));
  }

  /** Runs every day from `from` to `to` inclusive. */
  async runDaily(from: string, to: string) {
    for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
      await this.run(d.toISOString().slice(0, 10));
    }
  }

  async invoices(filter: Partial<Input<'invoices.list'>> = {}) {
    const { rows } = await call(this.core, this.conn, 'invoices.list', { limit: 500, ...filter });
    return rows.sort((a, b) => a.number.localeCompare(b.number));
  }

  subscription(id: string) {
    return call(this.core, this.conn, 'subscriptions.get', { id }).then((r) => r.subscription);
  }

  async payments(filter: Partial<Input<'payments.list'>> = {}) {
    return (await call(this.core, this.conn, 'payments.list', { limit: 500, ...filter })).rows;
  }

  call: <M extends Parameters<typeof call>[2]>(method: M, input: Input<M>) => ReturnType<typeof call<M>> = (method, input) => call(this.core, this.conn, method, input);

  newConnection() {
    return connect();
  }

  close() {
    this.core.close();
  }
}
