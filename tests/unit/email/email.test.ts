import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dateInTimeZone } from '@shared/domain/dates';
import { addDays } from '@shared/domain/dates';
import type { Core } from '../../../src-main/core/core';
import { call, callError, connect, OWNER_PASSWORD, tempDir, type FakeClock, type TestConnection } from '../../support/core';
import { mailCore, smtpSettingsFor, startMailBed, type TestSmtp } from '../../support/smtp';

let smtp: TestSmtp;
let dataDir: string;
let clock: FakeClock;
let core: Core;
let conn: TestConnection;
let businessId: string;

beforeEach(async () => {
  ({ smtp, dataDir, clock, core, conn, businessId } = await startMailBed({ dataDirPrefix: 'recurra-email-', at: '2026-03-01T12:00:00Z' }));
});

afterEach(async () => {
  core.close();
  await smtp.stop();
});

const db = () => core.businesses.get(businessId);

async function setUpSmtp() {
  return call(core, conn, 'email.settings.set', smtpSettingsFor(smtp, 'billing@sunrise.example'));
}

/** A customer on a plan paid by hand: the billing run of 2026-03-01 leaves one open invoice, due 2026-03-15. */
async function openInvoice(email = 'ada@example.com') {
  const plan = await call(core, conn, 'plans.create', { name: `Plan ${email}`, interval: 'month', price: 2900 });
  const customer = await call(core, conn, 'customers.create', { name: 'Ada Lovelace', email, paymentMethod: 'manual' });
  await call(core, conn, 'subscriptions.create', { planId: plan.id, customerId: customer.id, startDate: '2026-03-01' });
  await call(core, conn, 'billing.run', { asOf: '2026-03-01' });
  const { rows } = await call(core, conn, 'invoices.list', { customerId: customer.id, limit: 10 });
  const invoice = rows[0]!;
  expect(invoice.status).toBe('open');
  return { invoice, customer };
}

function onDay(date: string) {
  clock.set(new Date(`${date}T12:00:00Z`));
}

const outbox = () => db().sqlite.prepare('SELECT * FROM email_outbox ORDER BY created_at, id').all() as Record<string, unknown>[];

describe('SMTP settings', () => {
  it('keeps the password in the secret store, never in the business file, and shows only that it is saved', async () => {
    const view = await setUpSmtp();
    expect(view).toEqual({ email: { host: '127.0.0.1', port: smtp.port, user: 'shop', from: 'billing@sunrise.example', secure: false, passwordSaved: true } });
    expect(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).toContain('s3cret smtp');
    db().sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const file = fs.readFileSync(db().file);
    expect(file.includes(Buffer.from('s3cret smtp'))).toBe(false);
    // The audit row says the password changed, not what it is.
    const audit = db().sqlite.prepare("SELECT after FROM audit_log WHERE action = 'email.settings.set'").pluck().get() as string;
    expect(audit).toContain('passwordChanged');
    expect(audit).not.toContain('s3cret');
    // Saving without a password keeps the saved one.
    await call(core, conn, 'email.settings.set', { host: '127.0.0.1', port: smtp.port, user: 'shop', from: 'billing@sunrise.example', secure: false });
    expect((await call(core, conn, 'email.settings.get', {})).email?.passwordSaved).toBe(true);
  });

  it('refuses bad input naming the field', async () => {
    expect(await callError(core, conn, 'email.settings.set', { host: '', port: 587, user: '', from: 'x@y.z' })).toMatchObject({ field: 'host' });
    expect(await callError(core, conn, 'email.settings.set', { host: 'smtp.example.com', port: 70000, user: '', from: 'x@y.z' })).toMatchObject({ field: 'port' });
    expect(await callError(core, conn, 'email.settings.set', { host: 'smtp.example.com', port: 587, user: '', from: 'not an address' })).toMatchObject({ field: 'from' });
  });

  it('sends a test message, and reports the server answer when it refuses', async () => {
    await setUpSmtp();
    const sent = await call(core, conn, 'email.test', { to: 'olivia@example.com' });
    expect(sent.sent).toBe(true);
    expect(sent.messageId).toMatch(/@/);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.subject).toBe('Test message from Sunrise Yoga');
    expect(smtp.received[0]!.html).toContain('Your SMTP settings work');
    expect(smtp.received[0]!.text).toContain('Your SMTP settings work');
    smtp.mode = 'refuse-mail';
    const error = await callError(core, conn, 'email.test', { to: 'olivia@example.com' });
    expect(error.message).toContain('554');
    expect(error.message).toContain('Relaying denied');
  });

  it('a wrong password is the server answer too', async () => {
    await call(core, conn, 'email.settings.set', { host: '127.0.0.1', port: smtp.port, user: 'shop', from: 'billing@sunrise.example', secure: false, password: 'wrong' });
    const error = await callError(core, conn, 'email.test', { to: 'olivia@example.com' });
    expect(error.message).toContain('535');
  });
});

describe('invoice email', () => {
  it('sends the invoice with its PDF attached to the customer, in the business name and currency, and logs it on the timeline', async () => {
    await setUpSmtp();
    const { invoice, customer } = await openInvoice();
    const result = await call(core, conn, 'invoices.send', { id: invoice.id });
    expect(result).toMatchObject({ sent: true, to: 'ada@example.com' });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe(`Invoice ${invoice.number} from Sunrise Yoga`);
    expect(mail.from?.text).toContain('billing@sunrise.example');
    expect(mail.html).toContain('$29.00');
    expect(mail.text).toContain('$29.00');
    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0]!;
    expect(pdf.filename).toBe(`${invoice.number}.pdf`);
    expect(pdf.content.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(pdf.content.toString('latin1')).toContain(invoice.number);
    const row = outbox()[0]!;
    expect(row).toMatchObject({ status: 'sent', kind: 'invoice', attempts: 1, to_address: 'ada@example.com' });
    expect(row.message_id).toBe(mail.messageId);
    const events = db().sqlite.prepare("SELECT kind, subtype, title FROM customer_events WHERE customer_id = ? AND kind = 'email'").all(customer.id);
    expect(events).toEqual([{ kind: 'email', subtype: 'invoice', title: `Invoice ${invoice.number} from Sunrise Yoga` }]);
  });

  it('without SMTP settings: a clear error and nothing queued', async () => {
    const { invoice } = await openInvoice();
    const error = await callError(core, conn, 'invoices.send', { id: invoice.id });
    expect(error.message).toContain('Email is not set up');
    expect(outbox()).toHaveLength(0);
  });

  it('an invalid recipient refused by the server: failed with its reason, nothing marked sent', async () => {
    await setUpSmtp();
    smtp.refuse.add('nobody@example.com');
    const { invoice } = await openInvoice('nobody@example.com');
    const error = await callError(core, conn, 'invoices.send', { id: invoice.id });
    expect(error.message).toContain('550');
    expect(error.message).toContain('No such user');
    const row = outbox()[0]!;
    expect(row).toMatchObject({ status: 'failed', message_id: null, sent_at: null, next_attempt_at: null });
    expect(String(row.last_error)).toContain('5.1.1');
    expect(smtp.received).toHaveLength(0);
  });

  it('a server that drops the connection mid-DATA: failed with the reason, retried with backoff, then sent once', async () => {
    await setUpSmtp();
    const { invoice } = await openInvoice();
    smtp.mode = 'drop-data';
    const error = await callError(core, conn, 'invoices.send', { id: invoice.id });
    expect(error.message).toMatch(/mail server|Sending failed/);
    let row = outbox()[0]!;
    expect(row).toMatchObject({ status: 'failed', message_id: null, attempts: 1 });
    expect(row.next_attempt_at).toBe(new Date(clock.now().getTime() + 60_000).toISOString());
    smtp.mode = 'ok';
    // Not yet due: nothing tried.
    clock.advance(30_000);
    expect(await core.email.deliverDue(db())).toEqual([]);
    clock.advance(31_000);
    expect((await core.email.deliverDue(db())).map((d) => d.result)).toEqual(['sent']);
    row = outbox()[0]!;
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(smtp.received).toHaveLength(1);
  });

  it('a server that never answers DATA: a timeout, failed, not sent', async () => {
    await setUpSmtp();
    const { invoice } = await openInvoice();
    smtp.mode = 'hang';
    const error = await callError(core, conn, 'invoices.send', { id: invoice.id });
    expect(error.message.toLowerCase()).toMatch(/time/);
    expect(outbox()[0]).toMatchObject({ status: 'failed', message_id: null });
  });

  it('"send now" retries a failed email at once; an email of another PC is never delivered here', async () => {
    await setUpSmtp();
    const { invoice } = await openInvoice();
    smtp.mode = 'refuse-mail';
    await callError(core, conn, 'invoices.send', { id: invoice.id });
    smtp.mode = 'ok';
    const id = outbox()[0]!.id as string;
    const { email } = await call(core, conn, 'outbox.sendNow', { id });
    expect(email).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.received).toHaveLength(1);
    expect((await callError(core, conn, 'outbox.sendNow', { id })).message).toContain('already sent');

    await call(core, conn, 'invoices.send', { id: invoice.id }).catch(() => {});
    db().sqlite.prepare("UPDATE email_outbox SET status = 'queued', device_id = 'other-pc', next_attempt_at = '2000-01-01' WHERE status = 'sent' AND id <> ?").run(id);
    const before = smtp.received.length;
    expect(await core.email.deliverDue(db())).toEqual([]);
    expect(smtp.received.length).toBe(before);
    const list = await call(core, conn, 'outbox.list', { status: 'queued' });
    expect(list.total).toBe(1);
    expect(list.rows[0]!.deviceId).toBe('other-pc');
  });
});

describe('payment reminders', () => {
  async function run(asOf: string) {
    onDay(asOf);
    return call(core, conn, 'reminders.run', { asOf });
  }

  it('go out on the right days, the latest due step only after days off, and never twice', async () => {
    await setUpSmtp();
    expect(await call(core, conn, 'reminders.settings.set', { days: [14, -3, 1, 7] })).toEqual({ reminders: { days: [-3, 1, 7, 14] } });
    const { invoice, customer } = await openInvoice();
    expect(invoice.dueDate).toBe('2026-03-15');
    expect(await run('2026-03-11')).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await run('2026-03-12')).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(smtp.received.at(-1)!.subject).toBe(`Reminder: invoice ${invoice.number} is due in 3 days`);
    expect(await run('2026-03-12')).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await run('2026-03-15')).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await run('2026-03-16')).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(smtp.received.at(-1)!.subject).toContain('1 day past due');
    // Days off: on the 20th day after, only the 14-day step goes (not 7 and 14).
    expect(await run('2026-04-04')).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(smtp.received.at(-1)!.subject).toContain('14 days past due');
    expect(await run('2026-04-05')).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(smtp.received).toHaveLength(3);
    expect(smtp.received.at(-1)!.html).toContain('$29.00');
    const steps = db().sqlite.prepare('SELECT step, status FROM reminders WHERE invoice_id = ? ORDER BY step').all(invoice.id);
    expect(steps).toEqual([
      { step: -3, status: 'sent' },
      { step: 1, status: 'sent' },
      { step: 14, status: 'sent' },
    ]);
    const timeline = db().sqlite.prepare("SELECT subtype FROM customer_events WHERE customer_id = ? AND kind = 'email'").pluck().all(customer.id);
    expect(timeline).toEqual(['reminder', 'reminder', 'reminder']);
  });

  it('a reminder queued for an invoice paid meanwhile is skipped, not sent; a paid invoice gets no more', async () => {
    await setUpSmtp();
    await call(core, conn, 'reminders.settings.set', { days: [1] });
    const { invoice } = await openInvoice();
    onDay('2026-03-16');
    expect(await core.email.runReminders(db(), '2026-03-16', { deliver: false })).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(outbox()).toHaveLength(1);
    await call(core, conn, 'invoices.pay', { id: invoice.id, amount: 2900, method: 'cash', on: '2026-03-16' });
    expect(await run('2026-03-16')).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(smtp.received).toHaveLength(0);
    expect(outbox()[0]).toMatchObject({ status: 'failed', message_id: null });
    expect(String(outbox()[0]!.last_error)).toContain('paid');
  });

  it('a reminder queued for an invoice voided meanwhile is skipped, not sent, and the voided invoice gets no more', async () => {
    await setUpSmtp();
    await call(core, conn, 'reminders.settings.set', { days: [1, 7] });
    const { invoice } = await openInvoice();
    onDay('2026-03-16');
    await core.email.runReminders(db(), '2026-03-16', { deliver: false });
    await call(core, conn, 'invoices.void', { id: invoice.id, on: '2026-03-16' });
    expect(await run('2026-03-16')).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(await run('2026-03-23')).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(smtp.received).toHaveLength(0);
    expect(outbox()).toHaveLength(1);
    expect(outbox()[0]).toMatchObject({ status: 'failed', message_id: null });
    expect(String(outbox()[0]!.last_error)).toContain('void');
    expect(db().sqlite.prepare('SELECT step, status FROM reminders WHERE invoice_id = ?').all(invoice.id)).toEqual([{ step: 1, status: 'failed' }]);
  });

  it('a reminder queued before a partial payment states the amount due when it is delivered, not when it was queued', async () => {
    await setUpSmtp();
    await call(core, conn, 'reminders.settings.set', { days: [1] });
    const { invoice, customer } = await openInvoice();
    onDay('2026-03-16');
    await core.email.runReminders(db(), '2026-03-16', { deliver: false });
    expect(String(outbox()[0]!.text)).toContain('Amount due: $29.00');
    await call(core, conn, 'invoices.pay', { id: invoice.id, amount: 1000, method: 'cash', on: '2026-03-16' });
    await call(core, conn, 'customers.update', { id: customer.id, name: 'Ada King' });
    expect(await run('2026-03-16')).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.text).toContain('Amount due: $19.00');
    expect(mail.text).toContain('Hello Ada King,');
    expect(mail.text).not.toContain('Amount due: $29.00');
    expect(mail.html).toMatch(/Amount due<\/td><td[^>]*>\$19\.00</);
    expect(mail.html).toContain(`invoice ${invoice.number} for $19.00 was due`);
    // The outbox row keeps what went out.
    expect(outbox()[0]).toMatchObject({ status: 'sent', to_name: 'Ada King' });
    expect(String(outbox()[0]!.text)).toContain('Amount due: $19.00');
  });

  it('a crash between queue and delivery, a crash mid-send, and a restored copy never send a step twice', async () => {
    await setUpSmtp();
    await call(core, conn, 'reminders.settings.set', { days: [1, 7] });
    await openInvoice();
    // Queued, then the process "dies" before delivering.
    onDay('2026-03-16');
    await core.email.runReminders(db(), '2026-03-16', { deliver: false });
    core.close();
    core = mailCore(dataDir, clock);
    conn = connect();
    await call(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(await run('2026-03-16')).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(await run('2026-03-17')).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);

    // A crash while `sending` (the server's answer never recorded): back to queued at start-up, sent again (at-least-once).
    onDay('2026-03-22');
    await core.email.runReminders(db(), '2026-03-22', { deliver: false });
    db().sqlite.prepare("UPDATE email_outbox SET status = 'sending', attempts = 1, updated_at = ? WHERE status = 'queued'").run(clock.now().toISOString());
    core.close();
    clock.advance(10 * 60_000);
    core = mailCore(dataDir, clock);
    conn = connect();
    await call(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    const interrupted = outbox().find((r) => r.kind === 'reminder' && r.status === 'queued');
    expect(String(interrupted?.last_error)).toContain('Interrupted');
    expect((await call(core, conn, 'reminders.run', { asOf: '2026-03-22' })).sent).toBe(1);
    expect(smtp.received).toHaveLength(2);

    // A restored copy of the file: the reminders table came with it, so nothing goes again.
    db().sqlite.pragma('wal_checkpoint(TRUNCATE)');
    core.close();
    const copy = tempDir('recurra-email-copy-');
    fs.cpSync(dataDir, copy, { recursive: true });
    core = mailCore(copy, clock);
    conn = connect();
    await call(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    expect(await run('2026-03-23')).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(smtp.received).toHaveLength(2);
    expect(db().sqlite.prepare('SELECT count(*) FROM reminders').pluck().get()).toBe(2);
  });

  it('a refusing server: failed with the reason, counted, nothing marked sent', async () => {
    await setUpSmtp();
    await call(core, conn, 'reminders.settings.set', { days: [1] });
    await openInvoice();
    smtp.mode = 'refuse-mail';
    expect(await run('2026-03-16')).toEqual({ sent: 0, skipped: 0, failed: 1 });
    expect(db().sqlite.prepare('SELECT status, error FROM reminders').get()).toMatchObject({ status: 'failed' });
    expect(outbox()[0]).toMatchObject({ status: 'failed', message_id: null });
    expect(await run('2026-03-17')).toEqual({ sent: 0, skipped: 0, failed: 0 });
  });

  it('refuses a day that has not come and bad days', async () => {
    const today = dateInTimeZone(clock.now(), 'UTC');
    expect(await callError(core, conn, 'reminders.run', { asOf: addDays(today, 1) })).toMatchObject({ field: 'asOf' });
    expect(await callError(core, conn, 'reminders.settings.set', { days: [1, 1] })).toMatchObject({ field: 'days' });
    expect(await callError(core, conn, 'reminders.settings.set', { days: [1.5] })).toMatchObject({ field: 'days.0' });
  });
});
