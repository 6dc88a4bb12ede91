import { z } from 'zod';
import { method } from './define';
import { emailSchema, idSchema, isoDateSchema, lineText } from '../domain/fields';

/** The owner's SMTP server. The password is never here: it lives in the secret store. */
export const smtpSettingsSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  from: z.string(),
  secure: z.boolean(),
});
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>;

export const smtpSettingsInputSchema = z.object({
  host: lineText(253)
    .pipe(z.string().min(1, 'Enter the SMTP server, like smtp.example.com'))
    .refine((h) => /^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/.test(h), 'Use a host name like smtp.example.com'),
  port: z.number({ message: 'The port is a number, like 587' }).int('The port is a whole number').min(1, 'Port 1 to 65535').max(65535, 'Port 1 to 65535'),
  user: lineText(254),
  from: emailSchema,
  secure: z.boolean().default(false),
  /** Set (or replace) the password; omitted keeps the saved one; '' removes it. */
  password: z.string().max(1024, 'That password is too long').optional(),
});

export const smtpSettingsViewSchema = z.object({
  email: smtpSettingsSchema.extend({ passwordSaved: z.boolean() }).nullable(),
});

export const reminderDaysSchema = z
  .array(z.number().int('Days are whole numbers').min(-60, 'From 60 days before the due date').max(365, 'Up to 365 days after'))
  .max(10, 'At most 10 reminders per invoice')
  .refine((days) => new Set(days).size === days.length, 'Each day once');

export const OUTBOX_KINDS = ['test', 'invoice', 'reminder', 'campaign', 'receipt'] as const;
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const;

export const outboxRowSchema = z.object({
  id: z.string(),
  kind: z.enum(OUTBOX_KINDS),
  to: z.string(),
  toName: z.string(),
  subject: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  /** When it is tried again (a failed email that will be retried); null when sent or given up. */
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  messageId: z.string().nullable(),
  customerId: z.string().nullable(),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  /** The PC that delivers it ('' before sync). */
  deviceId: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxRow = z.infer<typeof outboxRowSchema>;

export const reminderRunSchema = z.object({ sent: z.number().int(), skipped: z.number().int(), failed: z.number().int() });
export type ReminderRun = z.infer<typeof reminderRunSchema>;

export const emailContract = {
  'email.settings.get': method({ input: z.object({}), output: smtpSettingsViewSchema, access: 'owner', write: false }),
  // Not dispatcher writes: the password goes to the secret store (async); the service writes the row and its audit in one transaction.
  'email.settings.set': method({ input: smtpSettingsInputSchema, output: smtpSettingsViewSchema, access: 'owner', write: false }),
  /** Whether the owner has set up email (staff see it too, to offer "Email receipt"); never the settings themselves. */
  'email.status': method({ input: z.object({}), output: z.object({ configured: z.boolean() }), access: 'staff', write: false }),
  'email.test': method({
    input: z.object({ to: emailSchema }),
    output: z.object({ sent: z.literal(true), messageId: z.string() }),
    access: 'owner',
    write: false,
  }),
  'invoices.send': method({
    input: z.object({ id: idSchema }),
    output: z.object({ sent: z.literal(true), to: z.string(), outboxId: z.string() }),
    access: 'staff',
    write: false,
  }),
  /**
   * Emails a sale's receipt (its PDF attached) through the outbox, to `to` or the sale's customer's address,
   * and tries to deliver it at once. A receipt is transactional: it goes even to a customer who unsubscribed
   * from campaigns. `sent` false: it stays queued (or failed, retried) in the outbox, `error` says why.
   */
  'sales.emailReceipt': method({
    input: z.object({ id: z.string().trim().min(1, 'Required').max(64), to: emailSchema.optional() }),
    output: z.object({ queued: z.literal(true), to: z.string(), outboxId: z.string(), sent: z.boolean(), error: z.string().nullable() }),
    access: 'staff',
    write: false,
  }),
  'reminders.settings.get': method({ input: z.object({}), output: z.object({ reminders: z.object({ days: z.array(z.number().int()) }) }), access: 'staff', write: false }),
  'reminders.settings.set': method({
    input: z.object({ days: reminderDaysSchema }),
    output: z.object({ reminders: z.object({ days: z.array(z.number().int()) }) }),
    access: 'owner',
    write: true,
  }),
  'reminders.run': method({ input: z.object({ asOf: isoDateSchema }), output: reminderRunSchema, access: 'staff', write: false }),
  'outbox.list': method({
    input: z.object({
      status: z.enum(OUTBOX_STATUSES).optional(),
      kind: z.enum(OUTBOX_KINDS).optional(),
      search: lineText(200).optional(),
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ rows: z.array(outboxRowSchema), total: z.number().int() }),
    access: 'staff',
    write: false,
  }),
  'outbox.sendNow': method({ input: z.object({ id: idSchema }), output: z.object({ email: outboxRowSchema }), access: 'staff', write: false }),
} as const;
