import type { OutboxRow, ReminderRun, SmtpSettings } from '@shared/contract/email';
import { dateInTimeZone } from '@shared/domain/dates';
import type { BusinessDb } from '../db/open';
import { businessTimezone } from '../db/settings';
import { defineHandlers } from '../define-handlers';
import { validation } from '../errors';
import type { SessionUser } from '../rpc';
import type { EmailService, ReceiptQueued } from './email-service';
import { listOutbox } from './outbox';
import { readSmtpSettings } from './smtp';
import { readReminderDays, writeReminderDays } from './reminders';

/** The email service bound to one session's business and user (SessionServices.email). */
export interface EmailServices {
  settings(): Promise<{ email: (SmtpSettings & { passwordSaved: boolean }) | null }>;
  saveSettings(input: SmtpSettings & { password?: string | undefined }): Promise<{ email: (SmtpSettings & { passwordSaved: boolean }) | null }>;
  test(to: string): Promise<{ sent: true; messageId: string }>;
  sendInvoice(id: string): Promise<{ sent: true; to: string; outboxId: string }>;
  emailReceipt(id: string, to: string | undefined): Promise<ReceiptQueued>;
  runReminders(asOf: string): Promise<ReminderRun>;
  sendNow(id: string): Promise<OutboxRow>;
  /** Delivers every due email of this PC now (a campaign just queued). */
  deliverDue(): Promise<unknown>;
}

export function bindEmailServices(service: EmailService, db: BusinessDb, user: SessionUser): EmailServices {
  const actor = { userId: user.id, userEmail: user.email };
  return {
    settings: () => service.settingsView(db),
    saveSettings: (input) => service.saveSettings(db, actor, input),
    test: (to) => service.sendTest(db, to),
    sendInvoice: (id) => service.sendInvoice(db, actor, id),
    emailReceipt: (id, to) => service.emailReceipt(db, actor, id, to),
    runReminders: (asOf) => service.runReminders(db, asOf),
    sendNow: (id) => service.sendNow(db, id),
    deliverDue: () => service.deliverDue(db),
  };
}

export const emailHandlers = defineHandlers({
  'email.settings.get': (ctx) => ctx.services.email.settings(),
  'email.settings.set': (ctx, input) => ctx.services.email.saveSettings(input),
  'email.status': (ctx) => ({ configured: readSmtpSettings(ctx.db) !== null }),
  'email.test': (ctx, input) => ctx.services.email.test(input.to),
  'invoices.send': (ctx, input) => ctx.services.email.sendInvoice(input.id),
  'sales.emailReceipt': (ctx, input) => ctx.services.email.emailReceipt(input.id, input.to),
  'reminders.settings.get': (ctx) => ({ reminders: { days: readReminderDays(ctx.db) } }),
  'reminders.settings.set': (ctx, input) => {
    const before = readReminderDays(ctx.db);
    const days = writeReminderDays(ctx.db, input.days, ctx.now.toISOString());
    ctx.audit({ action: 'reminders.settings.set', entity: 'settings', entityId: 'reminders.schedule', before: { days: before }, after: { days } });
    ctx.changed('reminders');
    return { reminders: { days } };
  },
  'reminders.run': (ctx, input) => {
    // Reminders are sent for days that have come, like billing.
    const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
    if (input.asOf > today) throw validation('asOf', `Reminders run up to today (${today} in the business's time zone)`);
    return ctx.services.email.runReminders(input.asOf);
  },
  'outbox.list': (ctx, input) => listOutbox(ctx.db, input),
  'outbox.sendNow': async (ctx, input) => ({ email: await ctx.services.email.sendNow(input.id) }),
});
