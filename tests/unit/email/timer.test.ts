import { afterEach, expect, it } from 'vitest';
import { Core } from '../../../src-main/core/core';
import { FileSecretStore } from '../../../src-main/core/file-secret-store';
import { silentLogger, type Scheduler } from '../../../src-main/core/ports';
import { call, FakeClock, MIGRATIONS_DIR, signUp, tempDir } from '../../support/core';
import { TestSmtp } from '../../support/smtp';

let smtp: TestSmtp | undefined;
let core: Core | undefined;
afterEach(async () => {
  core?.close();
  await smtp?.stop();
});

it('the billing timer sends the payment reminders due after each of its runs, and the outbox timer delivers', async () => {
  smtp = await new TestSmtp().start();
  const tasks: { ms: number; task: () => void }[] = [];
  const scheduler: Scheduler = {
    every(ms, task) {
      tasks.push({ ms, task });
      return { cancel() {} };
    },
  };
  const dataDir = tempDir('recurra-email-timer-');
  const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'));
  core = new Core({
    paths: { dataDir, migrationsDir: MIGRATIONS_DIR },
    clock,
    logger: silentLogger,
    secrets: new FileSecretStore(dataDir, () => {}),
    billingTimer: true,
    scheduler,
    email: { timeouts: { connectionTimeout: 2_000, greetingTimeout: 2_000, socketTimeout: 700 } },
  });
  const { conn, businessId } = await signUp(core, { timezone: 'UTC' });
  await core.billing.idle();
  await call(core, conn, 'email.settings.set', { host: '127.0.0.1', port: smtp.port, user: 'shop', from: 'billing@sunrise.example', secure: false, password: 's3cret smtp' });
  await call(core, conn, 'reminders.settings.set', { days: [1] });
  const plan = await call(core, conn, 'plans.create', { name: 'Studio', interval: 'month', price: 2900 });
  const customer = await call(core, conn, 'customers.create', { name: 'Ada Lovelace', email: 'ada@example.com', paymentMethod: 'manual' });
  await call(core, conn, 'subscriptions.create', { planId: plan.id, customerId: customer.id, startDate: '2026-03-01' });

  const billingTick = tasks.find((t) => t.ms === 15 * 60_000)!;
  const outboxTick = tasks.find((t) => t.ms === 60_000)!;
  expect(billingTick && outboxTick).toBeTruthy();
  // Day of issue: an invoice, no reminder yet.
  billingTick.task();
  await core.billing.idle();
  await new Promise((r) => setTimeout(r, 200));
  expect(smtp.received).toHaveLength(0);
  // A day after the due date (2026-03-15): the timer's run sends the reminder, once.
  clock.set(new Date('2026-03-16T09:00:00Z'));
  for (let i = 0; i < 2; i++) {
    billingTick.task();
    await core.billing.idle();
    await expect.poll(() => smtp!.received.length, { timeout: 10_000 }).toBe(1);
  }
  expect(smtp.received[0]!.subject).toContain('1 day past due');
  const db = core.businesses.get(businessId);
  // The SMTP server has the message before the sender marks it sent (after the server's answer reaches it): polled.
  await expect.poll(() => db.sqlite.prepare("SELECT status FROM reminders").pluck().all(), { timeout: 10_000 }).toEqual(['sent']);

  // A failed email is retried by the outbox timer once its backoff has passed.
  smtp.mode = 'refuse-mail';
  await call(core, conn, 'invoices.send', { id: (db.sqlite.prepare('SELECT id FROM invoices').pluck().get() as string) }).catch(() => {});
  db.sqlite.prepare("UPDATE email_outbox SET next_attempt_at = ? WHERE status = 'failed'").run(new Date(clock.now().getTime() + 60_000).toISOString());
  smtp.mode = 'ok';
  clock.advance(61_000);
  outboxTick.task();
  await expect.poll(() => smtp!.received.length, { timeout: 10_000 }).toBe(2);
});
