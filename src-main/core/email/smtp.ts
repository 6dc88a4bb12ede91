import type { SmtpSettings } from '@shared/contract/email';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { conflict } from '../errors';
import type { SecretStore } from '../ports';

/** The settings row's key; the value is JSON {host, port, user, from, secure} (no password). */
export const SMTP_SETTINGS_KEY = 'email.smtp';

/** The secret-store account of a business's SMTP password (OS keychain in the app, 0600 file in the CLI). */
export const smtpPasswordAccount = (businessId: string) => `recurra-smtp:${businessId}`;

export function readSmtpSettings(db: BusinessDb): SmtpSettings | null {
  const value = stmt(db.sqlite, 'SELECT value FROM settings WHERE key = ?').pluck().get(SMTP_SETTINGS_KEY) as string | undefined;
  if (!value) return null;
  const parsed = JSON.parse(value) as Partial<SmtpSettings>;
  return {
    host: String(parsed.host ?? ''),
    port: Number(parsed.port ?? 587),
    user: String(parsed.user ?? ''),
    from: String(parsed.from ?? ''),
    secure: parsed.secure === true,
  };
}

export function writeSmtpSettings(db: BusinessDb, settings: SmtpSettings, at: string): void {
  stmt(db.sqlite, 'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
    SMTP_SETTINGS_KEY,
    JSON.stringify({ host: settings.host, port: settings.port, user: settings.user, from: settings.from, secure: settings.secure }),
    at,
  );
}

/** Timeouts (ms) of one SMTP conversation; tests make them small. */
export interface SmtpTimeouts {
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionTimeout: 20_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/** The longest one delivery can take: a `sending` row older than this at start-up was cut off by a crash. */
export function smtpDeadlineMs(t: SmtpTimeouts): number {
  return t.connectionTimeout + t.greetingTimeout + t.socketTimeout * 2;
}

export interface SmtpMessage {
  from: string;
  fromName: string;
  to: string;
  toName: string;
  subject: string;
  html: string;
  text: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** Extra headers (a campaign's List-Unsubscribe). */
  headers?: Record<string, string>;
}

/** What the server answered when a delivery failed, and whether trying again could help. */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** Sends one message over the owner's SMTP server; resolves with the server's message id or throws an SmtpError naming its answer. */
export async function sendSmtp(settings: SmtpSettings, password: string | null, message: SmtpMessage, timeouts: SmtpTimeouts): Promise<string> {
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    // Plain SMTP on 127.0.0.1 (tests, a local relay) may offer no STARTTLS; elsewhere nodemailer upgrades when offered.
    ...(settings.user ? { auth: { user: settings.user, pass: password ?? '' } } : {}),
    connectionTimeout: timeouts.connectionTimeout,
    greetingTimeout: timeouts.greetingTimeout,
    socketTimeout: timeouts.socketTimeout,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const info = await transport.sendMail({
      from: { name: message.fromName, address: message.from },
      to: message.toName ? { name: message.toName, address: message.to } : message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      attachments: message.attachments,
      ...(message.headers ? { headers: message.headers } : {}),
    });
    if (info.rejected.length > 0) throw new SmtpError(`The server refused the recipient ${message.to}`, true);
    return info.messageId;
  } catch (error) {
    throw toSmtpError(error);
  } finally {
    transport.close();
  }
}

/** The server's own answer ("550 5.1.1 No such user"), or what went wrong on the way ("timed out"). */
export function toSmtpError(error: unknown): SmtpError {
  if (error instanceof SmtpError) return error;
  const e = error as { message?: string; code?: string; response?: string; responseCode?: number; command?: string };
  if (e.response) {
    const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
    const during = e.command ? ` (after ${e.command.split(' ')[0]})` : '';
    return new SmtpError(`The mail server answered: ${e.response}${during}`, permanent);
  }
  if (e.code === 'ETIMEDOUT') return new SmtpError(`The mail server did not answer in time (${e.message ?? 'timeout'})`, false);
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET') return new SmtpError(`Could not talk to the mail server: ${e.message ?? e.code}`, false);
  if (e.code === 'EENVELOPE') return new SmtpError(`The recipient was refused: ${e.message ?? ''}`, true);
  if (e.code === 'EAUTH') return new SmtpError(`The mail server refused the login: ${e.message ?? ''}`, true);
  return new SmtpError(`Sending failed: ${e.message ?? String(error)}`, false);
}

export async function smtpReady(db: BusinessDb, secrets: SecretStore): Promise<{ settings: SmtpSettings; password: string | null }> {
  const settings = readSmtpSettings(db);
  if (!settings) throw conflict('Email is not set up: the owner enters the SMTP server in Settings > Email (or `recurra email settings`)');
  const password = await secrets.get(smtpPasswordAccount(db.businessId));
  return { settings, password };
}
