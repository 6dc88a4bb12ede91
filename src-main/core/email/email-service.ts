import { PassThrough } from 'node:stream';
import type { OutboxRow, ReminderRun, SmtpSettings } from '@shared/contract/email';
import { dateInTimeZone } from '@shared/domain/dates';
import { formatDay } from '@shared/domain/date-format';
import { formatMoney, type CurrencyCode } from '@shared/domain/money';
import { writeAudit, type Actor } from '../audit/audit';
import { writeInvoicePdf } from '../billing/invoice-pdf';
import { invoiceDetail } from '../billing/invoices-service';
import type { BusinessService } from '../businesses';
import { getBusinessRow, toBusinessDto } from '../business/business-service';
import { getCustomer } from '../customers/customers-service';
import type { BusinessDb } from '../db/open';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { conflict, notFound, validation } from '../errors';
import { newId } from '../ids';
import type { Clock, Logger, Scheduler, SecretStore } from '../ports';
import { assertBillingDevice, billingRefusal } from '../sync-client/billing-device';
import { listUnsubscribeHeader } from '../campaigns/campaign-email';
import { BACKOFF_MS, dueOutboxIds, getOutboxRow, queueEmail, recoverInterrupted, thisDevice } from './outbox';
import { queueReminders, renderReminder, type ReminderFacts } from './reminders';
import {
  DEFAULT_SMTP_TIMEOUTS,
  readSmtpSettings,
  sendSmtp,
  smtpDeadlineMs,
  smtpPasswordAccount,
  type SmtpError,
  smtpReady,
  toSmtpError,
  writeSmtpSettings,
  type SmtpTimeouts,
} from './smtp';
import { receiptAttachment, receiptVars } from './receipt-email';
import { invoiceEmail, receiptEmail, resolveHtml, template, testEmail } from './templates';
import { getSale } from '../sales/sales-service';

/** What `sales.emailReceipt` answers: queued, and whether it went out at once. */
export interface ReceiptQueued {
  queued: true;
  to: string;
  outboxId: string;
  sent: boolean;
  error: string | null;
}

export type DeliveryResult = 'sent' | 'failed' | 'skipped' | 'not_due';

export interface EmailServiceDeps {
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  timeouts?: Partial<SmtpTimeouts> | undefined;
  /** Deliver due emails every minute while a business is open (the app, the browser host). */
  scheduler?: Scheduler | null | undefined;
  /** The outbox changed (the UI refreshes). */
  changed(businessId: string): void;
}

interface OutboxFullRow {
  id: string;
  kind: OutboxRow['kind'];
  to_address: string;
  to_name: string;
  subject: string;
  html: string;
  text: string;
  attach_invoice_id: string | null;
  customer_id: string | null;
  ref_type: string | null;
  ref_id: string | null;
  status: OutboxRow['status'];
  attempts: number;
  device_id: string;
}

const DELIVER_EVERY_MS = 60_000;

/**
 * Sends the business's email over the owner's SMTP server, through the
 * outbox (outbox.ts): delivers due rows of this PC, records the server's
 * answer, retries with backoff, and runs the payment reminders after each
 * billing run of the timer (on the billing PC only).
 */
export class EmailService implements BusinessService {
  readonly timeouts: SmtpTimeouts;
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: EmailServiceDeps) {
    this.timeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...deps.timeouts };
  }

  start(db: BusinessDb): void {
    try {
      const recovered = recoverInterrupted(db, this.deps.clock.now(), smtpDeadlineMs(this.timeouts));
      if (recovered) this.deps.logger.warn('emails interrupted while sending were queued again', { businessId: db.businessId, recovered });
    } catch (error) {
      this.deps.logger.error('could not check the outbox', { businessId: db.businessId, error: String(error) });
    }
    if (!this.deps.scheduler) return;
    const tick = () => void this.deliverDue(db).catch((error: unknown) => this.deps.logger.error('outbox delivery failed', { error: String(error) }));
    tick();
    this.timers.set(db.businessId, this.deps.scheduler.every(DELIVER_EVERY_MS, tick));
  }

  stop(businessId: string): void {
    this.timers.get(businessId)?.cancel();
    this.timers.delete(businessId);
  }

  /** One delivery pass at a time per business. */
  private serial<T>(businessId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(businessId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(task);
    this.chains.set(businessId, next);
    void next.finally(() => {
      if (this.chains.get(businessId) === next) this.chains.delete(businessId);
    }).catch(() => {});
    return next;
  }

  // ---- settings ----

  async saveSettings(db: BusinessDb, actor: Actor, input: SmtpSettings & { password?: string | undefined }) {
    const account = smtpPasswordAccount(db.businessId);
    // The secret first: a failed keychain write leaves the settings as they were.
    if (input.password !== undefined) {
      if (input.password === '') await this.deps.secrets.delete(account);
      else await this.deps.secrets.set(account, input.password);
    }
    const now = this.deps.clock.now();
    const before = readSmtpSettings(db);
    const settings: SmtpSettings = { host: input.host, port: input.port, user: input.user, from: input.from, secure: input.secure };
    db.sqlite
      .transaction(() => {
        writeSmtpSettings(db, settings, now.toISOString());
        // The audit says whether the password changed, never what it is.
        writeAudit(db.orm, actor, now, {
          action: 'email.settings.set',
          entity: 'settings',
          entityId: 'email.smtp',
          before,
          after: { ...settings, passwordChanged: input.password !== undefined },
        });
      })
      .immediate();
    return this.settingsView(db);
  }

  async settingsView(db: BusinessDb) {
    const settings = readSmtpSettings(db);
    if (!settings) return { email: null };
    const password = await this.deps.secrets.get(smtpPasswordAccount(db.businessId));
    return { email: { ...settings, passwordSaved: password !== null } };
  }

  /** Sends a test message straight away (not through the outbox); throws the server's answer. */
  async sendTest(db: BusinessDb, to: string): Promise<{ sent: true; messageId: string }> {
    const { settings, password } = await smtpReady(db, this.deps.secrets);
    const business = getBusinessRow(db.orm);
    const mail = testEmail(await template('test'), { business: business.name, from: settings.from });
    try {
      const messageId = await sendSmtp(settings, password, { from: settings.from, fromName: business.name, to, toName: '', ...mail }, this.timeouts);
      return { sent: true, messageId };
    } catch (error) {
      throw conflict(toSmtpError(error).message);
    }
  }

  // ---- invoice email ----

  /** Queues the invoice email with its PDF and delivers it now; throws the server's answer if it fails (the row stays in the outbox). */
  async sendInvoice(db: BusinessDb, actor: Actor, id: string): Promise<{ sent: true; to: string; outboxId: string }> {
    await smtpReady(db, this.deps.secrets);
    const now = this.deps.clock.now();
    const outboxId = db.sqlite
      .transaction(() => {
        const invoice = invoiceDetail(db, id);
        if (invoice.status === 'draft') throw conflict(`Invoice ${invoice.number} is a draft: issue it before sending`);
        const customer = getCustomer(db, invoice.customerId);
        if (!customer.email) throw validation('id', `${customer.name} has no email address: add one to send invoice ${invoice.number}`);
        const business = getBusinessRow(db.orm);
        const currency = invoice.currency as CurrencyCode;
        const mail = invoiceEmail({
          business: business.name,
          customer: customer.name,
          number: invoice.number,
          dueDate: formatDay(invoice.dueDate, business.locale),
          total: formatMoney(invoice.total, currency, business.locale),
          amountDue: formatMoney(invoice.amountDue, currency, business.locale),
        });
        const queued = queueEmail(
          db,
          { kind: 'invoice', to: customer.email, toName: customer.name, ...mail, attachInvoiceId: invoice.id, customerId: customer.id, refType: 'invoice', refId: invoice.id, createdBy: actor.userId },
          now,
        );
        writeAudit(db.orm, actor, now, { action: 'invoices.send', entity: 'invoice', entityId: invoice.id, after: { outboxId: queued, to: customer.email } });
        return queued;
      })
      .immediate();
    this.deps.changed(db.businessId);
    const result = await this.deliver(db, outboxId);
    const row = getOutboxRow(db, outboxId);
    if (result !== 'sent' || !row) throw conflict(`${row?.lastError ?? 'The email was not sent'}. It stays in the outbox${row?.nextAttemptAt ? `, tried again at ${row.nextAttemptAt}` : ''}.`);
    return { sent: true, to: row.to, outboxId };
  }

  // ---- receipt email ----

  /**
   * Queues a sale's receipt (PDF attached when delivered) to `to` or the sale's customer's address, then tries
   * to deliver it now; a failure leaves it in the outbox (retried with backoff), said in `error`.
   * Transactional: sent even to a customer who unsubscribed from campaigns.
   */
  async emailReceipt(db: BusinessDb, actor: Actor, id: string, to: string | undefined): Promise<ReceiptQueued> {
    if (!readSmtpSettings(db)) throw conflict('Email is not set up: the owner enters the SMTP server in Settings > Email (or `recurra email settings`)');
    const now = this.deps.clock.now();
    const queued = db.sqlite
      .transaction(() => {
        const sale = getSale(db, id);
        const customer = sale.customerId ? getCustomer(db, sale.customerId) : null;
        const address = to ?? customer?.email ?? '';
        if (!address) {
          const who = customer ? `${customer.name} has no email address` : 'The sale has no customer';
          throw validation('to', `${who}: give the address to email receipt ${sale.number} to`);
        }
        const business = getBusinessRow(db.orm);
        const mail = receiptEmail(receiptVars(sale, business.name, business.locale, customer?.name ?? ''));
        // The customer's timeline shows it once sent (when it goes to someone else, it is still their receipt).
        const outboxId = queueEmail(
          db,
          { kind: 'receipt', to: address, toName: address === customer?.email ? customer.name : '', ...mail, customerId: customer?.id ?? null, refType: 'sale', refId: sale.id, createdBy: actor.userId },
          now,
        );
        writeAudit(db.orm, actor, now, { action: 'sales.emailReceipt', entity: 'sale', entityId: sale.id, after: { outboxId, to: address, number: sale.number } });
        return { outboxId, to: address };
      })
      .immediate();
    this.deps.changed(db.businessId);
    const result = await this.deliver(db, queued.outboxId);
    const row = getOutboxRow(db, queued.outboxId);
    const sent = result === 'sent';
    return { queued: true, to: queued.to, outboxId: queued.outboxId, sent, error: sent ? null : (row?.lastError ?? 'Not sent yet: it waits in the outbox') };
  }

  // ---- delivery ----

  /** "Send now": tries the row at once, whatever its backoff (a sent row is left alone). */
  async sendNow(db: BusinessDb, id: string): Promise<OutboxRow> {
    const row = getOutboxRow(db, id);
    if (!row) throw notFound('That email', 'id');
    if (row.status === 'sent') throw conflict('That email was already sent');
    if (row.status === 'sending') throw conflict('That email is being sent right now');
    const device = thisDevice(db);
    if (row.deviceId !== device) throw conflict(`That email is delivered by another PC (device ${row.deviceId || 'before sync'}), so it is never sent twice`);
    await this.serial(db.businessId, () => this.deliverOne(db, id, true));
    return getOutboxRow(db, id) as OutboxRow;
  }

  /** Delivers every due row of this PC, one after another; returns what happened to each. */
  deliverDue(db: BusinessDb): Promise<{ id: string; kind: OutboxRow['kind']; result: DeliveryResult }[]> {
    return this.serial(db.businessId, async () => {
      const out: { id: string; kind: OutboxRow['kind']; result: DeliveryResult }[] = [];
      const ids = dueOutboxIds(db, this.deps.clock.now().toISOString());
      if (ids.length === 0) return out;
      if (!readSmtpSettings(db)) return out; // not set up yet: the rows wait
      for (const id of ids) {
        const row = getOutboxRow(db, id);
        out.push({ id, kind: row?.kind ?? 'test', result: await this.deliverOne(db, id, false) });
      }
      this.deps.changed(db.businessId);
      return out;
    });
  }

  /** Delivers one row now (the caller just queued it). */
  deliver(db: BusinessDb, id: string): Promise<DeliveryResult> {
    return this.serial(db.businessId, () => this.deliverOne(db, id, true));
  }

  private async deliverOne(db: BusinessDb, id: string, force: boolean): Promise<DeliveryResult> {
    const clock = this.deps.clock;
    const ready = await smtpReady(db, this.deps.secrets);
    // 1. Claim: `sending`, one transaction. Another process that claimed it first wins; a reminder whose invoice was paid is skipped.
    const claimed = db.sqlite
      .transaction((): OutboxFullRow | 'skipped' | null => {
        const row = stmt(db.sqlite, 'SELECT * FROM email_outbox WHERE id = ?').get(id) as OutboxFullRow | undefined;
        if (!row || (row.status !== 'queued' && row.status !== 'failed')) return null;
        if (row.device_id !== thisDevice(db)) return null;
        const nowIso = clock.now().toISOString();
        if (!force) {
          const next = stmt(db.sqlite, 'SELECT next_attempt_at FROM email_outbox WHERE id = ?').pluck().get(id) as string | null;
          if (next === null || next > nowIso) return null;
        }
        if (row.ref_type === 'reminder' && row.ref_id) {
          const invoice = stmt(
            db.sqlite,
            `SELECT r.step, i.number, i.status, i.amount_due AS amountDue, i.total, i.due_date AS dueDate, i.currency, c.name AS customerName
               FROM reminders r JOIN invoices i ON i.id = r.invoice_id JOIN customers c ON c.id = i.customer_id WHERE r.id = ?`,
          ).get(row.ref_id) as (ReminderFacts & { step: number; status: string }) | undefined;
          if (!invoice || invoice.status !== 'open' || invoice.amountDue <= 0) {
            const why = `Not sent: invoice ${invoice?.number ?? ''} is ${invoice?.status === 'open' ? 'paid' : (invoice?.status ?? 'gone')} now`.replace('  ', ' ');
            stmt(db.sqlite, "UPDATE email_outbox SET status = 'failed', next_attempt_at = NULL, last_error = ?, updated_at = ? WHERE id = ?").run(why, nowIso, id);
            stmt(db.sqlite, "UPDATE reminders SET status = 'failed', error = ? WHERE id = ?").run(why, row.ref_id);
            return 'skipped';
          }
          // Written when queued, sent maybe days later: what it says (the amount due after a partial payment or a
          // credit note, the due date, the customer's name) is taken from the invoice as it is now, and kept on the row.
          const business = getBusinessRow(db.orm);
          const mail = renderReminder(invoice.step, invoice, { name: business.name, locale: business.locale });
          stmt(db.sqlite, 'UPDATE email_outbox SET subject = ?, html = ?, text = ?, to_name = ? WHERE id = ?').run(mail.subject, mail.html, mail.text, invoice.customerName, id);
          Object.assign(row, { subject: mail.subject, html: mail.html, text: mail.text, to_name: invoice.customerName });
        }
        if (row.ref_type === 'campaign_recipient') {
          // A customer who unsubscribed after the campaign was queued never gets it.
          const optedOut = stmt(db.sqlite, 'SELECT email_opt_out_at IS NOT NULL FROM customers WHERE id = ?').pluck().get(row.customer_id) as number | undefined;
          if (optedOut !== 0) {
            const why = `Not sent: ${row.to_address} unsubscribed`;
            stmt(db.sqlite, "UPDATE email_outbox SET status = 'failed', next_attempt_at = NULL, last_error = ?, updated_at = ? WHERE id = ?").run(why, nowIso, id);
            return 'skipped';
          }
        }
        stmt(db.sqlite, "UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = NULL, updated_at = ? WHERE id = ?").run(nowIso, id);
        return row;
      })
      .immediate();
    if (claimed === null) return 'not_due';
    if (claimed === 'skipped') return 'skipped';

    // 2. Talk to the server (outside any transaction).
    let messageId: string | null = null;
    let failure: SmtpError | null = null;
    try {
      const business = getBusinessRow(db.orm);
      const attachments = claimed.attach_invoice_id
        ? [await this.invoiceAttachment(db, claimed.attach_invoice_id)]
        : claimed.kind === 'receipt' && claimed.ref_type === 'sale' && claimed.ref_id
          ? [await receiptAttachment(db, claimed.ref_id)]
          : undefined;
      messageId = await sendSmtp(
        ready.settings,
        ready.password,
        { from: ready.settings.from, fromName: business.name, to: claimed.to_address, toName: claimed.to_name, subject: claimed.subject, html: await resolveHtml(claimed.html), text: claimed.text, ...(attachments ? { attachments } : {}), ...(claimed.kind === 'campaign' ? { headers: { 'List-Unsubscribe': listUnsubscribeHeader(ready.settings.from) } } : {}) },
        this.timeouts,
      );
    } catch (error) {
      failure = toSmtpError(error);
    }

    // 3. Record the answer (one transaction): sent with the message id, or failed with the reason and the next try.
    const now = clock.now();
    const nowIso = now.toISOString();
    db.sqlite
      .transaction(() => {
        if (messageId !== null) {
          stmt(db.sqlite, "UPDATE email_outbox SET status = 'sent', message_id = ?, sent_at = ?, last_error = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ?").run(
            messageId,
            nowIso,
            nowIso,
            id,
          );
          if (claimed.ref_type === 'reminder' && claimed.ref_id) {
            stmt(db.sqlite, "UPDATE reminders SET status = 'sent', error = NULL, sent_at = ? WHERE id = ?").run(nowIso, claimed.ref_id);
          }
          if (claimed.customer_id) {
            stmt(
              db.sqlite,
              `INSERT INTO customer_events (id, customer_id, kind, subtype, title, body, occurred_at, user_id, ref_type, ref_id, created_at)
               VALUES (?, ?, 'email', ?, ?, ?, ?, NULL, 'email', ?, ?)`,
            ).run(newId(now.getTime()), claimed.customer_id, claimed.kind, claimed.subject, `Emailed to ${claimed.to_address}`, nowIso, id, nowIso);
          }
        } else {
          const attempts = claimed.attempts + 1;
          const delay = failure?.permanent ? undefined : BACKOFF_MS[attempts - 1];
          const next = delay === undefined ? null : new Date(now.getTime() + delay).toISOString();
          const reason = failure?.message ?? 'Sending failed';
          stmt(db.sqlite, "UPDATE email_outbox SET status = 'failed', last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?").run(reason, next, nowIso, id);
          if (claimed.ref_type === 'reminder' && claimed.ref_id) {
            stmt(db.sqlite, "UPDATE reminders SET status = 'failed', error = ? WHERE id = ?").run(reason, claimed.ref_id);
          }
        }
      })
      .immediate();
    if (failure) this.deps.logger.warn('email not sent', { businessId: db.businessId, outboxId: id, kind: claimed.kind, error: failure.message });
    return messageId !== null ? 'sent' : 'failed';
  }

  /** The invoice's PDF, drawn as of now (the same file `invoice pdf` writes). */
  private async invoiceAttachment(db: BusinessDb, invoiceId: string) {
    const invoice = invoiceDetail(db, invoiceId);
    const business = toBusinessDto(getBusinessRow(db.orm));
    const customer = getCustomer(db, invoice.customerId);
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await writeInvoicePdf(stream, { invoice, business, customer });
    return { filename: `${invoice.number}.pdf`, content: Buffer.concat(chunks), contentType: 'application/pdf' };
  }

  // ---- reminders ----

  /**
   * Queues the reminders due as of `asOf` and delivers what is due on this PC.
   * `sent`/`failed` count the reminders delivered in this call (earlier queued ones too);
   * `skipped`: a step due but no email address, or the invoice paid before its reminder went.
   */
  async runReminders(db: BusinessDb, asOf: string, opts: { deliver?: boolean } = {}): Promise<ReminderRun> {
    assertBillingDevice(db);
    const settings = readSmtpSettings(db);
    if (!settings) throw conflict('Email is not set up: the owner enters the SMTP server in Settings > Email (or `recurra email settings`)');
    const business = getBusinessRow(db.orm);
    const queued = queueReminders(db, { asOf, at: this.deps.clock.now(), business: { name: business.name, locale: business.locale } });
    const run: ReminderRun = { sent: 0, skipped: queued.skipped, failed: 0 };
    if (queued.queued.length) this.deps.changed(db.businessId);
    if (opts.deliver === false) return run;
    for (const d of await this.deliverDue(db)) {
      if (d.kind !== 'reminder') continue;
      if (d.result === 'sent') run.sent += 1;
      else if (d.result === 'failed') run.failed += 1;
      else if (d.result === 'skipped') run.skipped += 1;
    }
    return run;
  }

  /** After a billing run of the timer: reminders as of today, on the billing PC, when email is set up. */
  async afterBillingRun(db: BusinessDb): Promise<void> {
    try {
      if (billingRefusal(db) || !readSmtpSettings(db)) return;
      const today = dateInTimeZone(this.deps.clock.now(), businessTimezone(db));
      const run = await this.runReminders(db, today);
      if (run.sent || run.failed) this.deps.logger.info('payment reminders', { businessId: db.businessId, ...run });
    } catch (error) {
      this.deps.logger.error('payment reminders failed', { businessId: db.businessId, error: String(error) });
    }
  }
}
