import type { Coupon, Invoice, Payment, Plan, Subscription } from '@shared/domain/billing';
import type { Customer } from '@shared/domain/customers';
import { call, connect, makeCore } from '../../support/core';
import { actingAs, ok } from './customer-fixtures';
import { errorJson, OWNER, withBusiness } from './run-cli';

export type { Coupon, Invoice, Payment, Plan, Subscription };
export type InvoiceDetail = Invoice & { payments: Payment[]; refunds: { id: string; amount: number; refundedOn: string }[] };

export interface Refusal {
  code: number;
  stdout: string;
  /** The JSON error document of the --json run. */
  error: { code: string; message: string; field?: string };
  /** What a person sees on stderr for the same command. */
  stderr: string;
}

/**
 * A business (Sunrise Yoga, USD) and short helpers that run billing commands
 * as its owner (or as `env`), each a real in-process CLI run.
 */
export async function withBilling() {
  const setup = await withBusiness();
  const { cli, asOwner } = setup;
  const json = <T>(args: string[], env: NodeJS.ProcessEnv = asOwner) => ok<T>(cli, args, env);
  return {
    ...setup,
    json,
    /** The same command without --json, for people. */
    human: (args: string[], env: NodeJS.ProcessEnv = asOwner) => cli(args, env),
    /** Runs a command expected to be refused: with --json (the error document) and without (the message). */
    async refused(args: string[], env: NodeJS.ProcessEnv = asOwner): Promise<Refusal> {
      const machine = await cli([...args, '--json'], env);
      const person = await cli(args, env);
      if (machine.code === 0) throw new Error(`${args.join(' ')} was expected to fail: ${machine.stdout}`);
      return { code: machine.code, stdout: machine.stdout + person.stdout, error: (errorJson(machine) as { error: Refusal['error'] }).error, stderr: person.stderr };
    },
    as: (role: 'staff' | 'viewer') => actingAs(cli, asOwner, role),
    plan: async (...flags: string[]) => (await json<{ plan: Plan }>(['plan', 'create', ...flags])).plan,
    coupon: async (...flags: string[]) => (await json<{ coupon: Coupon }>(['coupon', 'create', ...flags])).coupon,
    customer: async (name = 'Jane Doe', paymentMethod: 'card' | 'card_declining' | 'manual' = 'card') =>
      (await json<{ customer: Customer }>(['customer', 'create', '--name', name, '--email', `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`, '--payment-method', paymentMethod]))
        .customer,
    subscribe: async (customerId: string, planId: string, start: string, ...flags: string[]) =>
      (await json<{ subscription: Subscription }>(['subscription', 'create', '--customer', customerId, '--plan', planId, '--start', start, ...flags])).subscription,
    run: (asOf: string) => json<Record<string, unknown>>(['billing', 'run', '--as-of', asOf]),
    invoices: (...flags: string[]) => json<Invoice[]>(['invoice', 'list', ...flags]),
    invoice: async (id: string) => (await json<{ invoice: InvoiceDetail }>(['invoice', 'show', id])).invoice,
  };
}

export type BillingCli = Awaited<ReturnType<typeof withBilling>>;

/** $30.00 monthly on 2026-03-01 for a card customer, billed through 2026-03-11 (the spec 6 example). */
export async function thirtyDollarSubscription(b: BillingCli, paymentMethod: 'card' | 'manual' = 'card') {
  const basic = await b.plan('--name', 'Basic', '--price', '30.00', '--interval', 'month');
  const pro = await b.plan('--name', 'Pro', '--price', '60.00', '--interval', 'month');
  const customer = await b.customer('Jane Doe', paymentMethod);
  const subscription = await b.subscribe(customer.id, basic.id, '2026-03-01');
  await b.run('2026-03-11');
  return { basic, pro, customer, subscription };
}

/**
 * Many subscriptions (and, billed, as many invoices) put in place through the
 * core on the same data folder: one login instead of hundreds of CLI runs.
 */
export async function manySubscriptions(b: BillingCli, count: number, planId: string) {
  const { core } = makeCore({ dataDir: b.dataDir });
  try {
    const conn = connect();
    await call(core, conn, 'auth.login', { businessId: b.businessId, email: OWNER.email, password: OWNER.password });
    for (let i = 0; i < count; i++) {
      const customer = await call(core, conn, 'customers.create', { name: `Member ${i}`, email: `m${i}@example.com`, paymentMethod: 'manual' });
      await call(core, conn, 'subscriptions.create', { customerId: customer.id, planId, startDate: '2026-03-01' });
    }
  } finally {
    core.close();
  }
}
