import path from 'node:path';
import { test as base } from '@playwright/test';
import type { Input, MethodName, Output } from '@shared/contract';
import { Core } from '../../src-main/core/core';
import { silentLogger, type Clock } from '../../src-main/core/ports';
import { startHost } from '../../src-main/host/server';
import { call, connect, MIGRATIONS_DIR, tempDir } from '../support/core';
import { hostFixture, type AppHost } from './fixtures';

// The dashboard, reports and data screens on a business with a known history.
// The core's clock is set by hand while the history is written (customers are
// created on their days, so the growth chart has them in the right months),
// then left on the day the page's clock says is today.

const RENDERER_DIR = path.resolve(import.meta.dirname, '../../out/renderer');

/** A clock the test sets to noon UTC of a day. */
export class DayClock implements Clock {
  private current = new Date('2025-12-01T12:00:00Z');
  now() {
    return new Date(this.current);
  }
  setDay(date: string) {
    this.current = new Date(`${date}T12:00:00Z`);
  }
}

export const test = base.extend<{ app: AppHost & { clock: DayClock } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  app: async ({}, use) => {
    const dataDir = tempDir('recurra-e2e-metrics-');
    const clock = new DayClock();
    const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, clock, logger: silentLogger });
    const host = await startHost({ core, rendererDir: RENDERER_DIR });
    await use(hostFixture(host, { core, dataDir, clock }));
    await host.close();
    core.close();
  },
});

export const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'correct horse battery' };
export const TODAY = '2026-04-10';

/**
 * The history, written through the core as of each day:
 * - Basic, $30.00 monthly.
 * - Ann, Ben and Cat (cards that pay) subscribe from 2026-01-01 (created 2025-12-15).
 * - Billing runs to 2026-03-14: January, February and March are invoiced and paid.
 * - Cat cancels on 2026-03-15 (no credit).
 * - Dan (a card that declines) is created 2026-04-02 and subscribes from 2026-04-05.
 * - Billing runs to 2026-04-10: Ann and Ben pay April; Dan's 04-05 invoice and
 * its retries on 04-08 and 04-10 fail (three tries; the last is due 04-12).
 */
export async function seedHistory(app: { core: Core; clock: DayClock }) {
  const conn = connect();
  const rpc = <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => call(app.core, conn, method, input);

  app.clock.setDay('2025-12-15');
  const session = await rpc('business.signUp', {
    businessName: 'Sunrise Yoga',
    currency: 'USD',
    timezone: 'America/New_York',
    ownerName: OWNER.name,
    ownerEmail: OWNER.email,
    password: OWNER.password,
  });
  const plan = await rpc('plans.create', { name: 'Basic', price: 3000, interval: 'month' });
  const subs: Record<string, string> = {};
  for (const name of ['Ann Archer', 'Ben Baker', 'Cat Carter']) {
    const customer = await rpc('customers.create', { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, paymentMethod: 'card' });
    subs[name] = (await rpc('subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-01-01' })).id;
  }

  app.clock.setDay('2026-03-14');
  await rpc('billing.run', { asOf: '2026-03-14' });
  app.clock.setDay('2026-03-15');
  await rpc('subscriptions.cancel', { id: subs['Cat Carter']!, on: '2026-03-15' });

  app.clock.setDay('2026-04-02');
  const dan = await rpc('customers.create', { name: 'Dan Decline', email: 'dan@example.com', paymentMethod: 'card_declining' });
  await rpc('subscriptions.create', { customerId: dan.id, planId: plan.id, startDate: '2026-04-05' });

  app.clock.setDay(TODAY);
  await rpc('billing.run', { asOf: TODAY });
  await rpc('auth.logout', {});
  return { businessId: session.business.id };
}
