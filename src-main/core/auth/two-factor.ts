import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type * as Otplib from 'otplib';
import type { VerifyResult as TotpResult } from 'otplib';
import type * as QrCode from 'qrcode';
import { writeAudit, type Actor } from '../audit/audit';
import type { BusinessDb } from '../db/open';
import { users } from '../db/schema';
import { readSetting, writeSetting } from '../db/settings';
import { stmt } from '../db/statements';
import { AppError } from '../errors';
import { lazyRequire } from '../lazy-require';

// Two-factor login (RFC 6238 TOTP through otplib, ARCHITECTURE.md "Two-factor login").
// The confirmed secret lives in users.totp_secret and syncs (the user logs in
// on every PC of the business with the same authenticator entry); a set-up not
// yet confirmed stays on this PC. An accepted time step is kept twice: in
// users.totp_last_step (this PC's, raised atomically in SQL) and as a settings
// row of its own that syncs, so a PC that has synced refuses a code another PC
// already accepted (offline, it cannot know: README "Two-factor login").

const otplib = lazyRequire<typeof Otplib>('otplib');
const qrcode = lazyRequire<typeof QrCode>('qrcode');

export const TOTP_ISSUER = 'Recurra';
const PERIOD_S = 30;
/** ±1 step of clock drift is accepted (RFC 6238 section 5.2 recommends at most one). */
const TOLERANCE_S = PERIOD_S;
/** A code that matches further off than this is still refused, but the message says to check the PC's clock. */
const DRIFT_PROBE_S = 15 * 60;
export const RECOVERY_CODE_COUNT = 10;
const REQUIRE_KEY = 'security.requireTwoFactor';

// Crockford's base32 (no I, L, O, U): 16 characters = 80 random bits per recovery code.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A recovery code's settings key: one row per code (its SHA-256), so two PCs spending two codes offline merge cleanly. */
const recoveryPrefix = (userId: string) => `2fa.recovery.${userId}.`;

/**
 * An accepted TOTP step's settings key: one row per step, inserted and never updated, so the
 * merge of two PCs' rows is their union and the latest step is their max, whatever order the
 * changes arrive in (one row updated by both would keep the later writer's, which may be lower).
 */
const stepPrefix = (userId: string) => `2fa.step.${userId}.`;
/** Step rows this far behind the newest are deleted: a code is good for ±1 step only. */
const STEPS_KEPT = 10;

/** The latest step accepted for the user on any PC this one has synced with, or null. */
function syncedLastStep(db: BusinessDb, userId: string): number | null {
  const prefix = stepPrefix(userId);
  // The keys between "<prefix>" and the same with its final "." as "/" (the next character).
  const above = `${prefix.slice(0, -1)}/`;
  return stmt(db.sqlite, 'SELECT max(CAST(substr(key, ?) AS INTEGER)) FROM settings WHERE key > ? AND key < ?').pluck().get(prefix.length + 1, prefix, above) as number | null;
}

function lastStepOf(db: BusinessDb, u: UserTotp): number | null {
  const synced = syncedLastStep(db, u.id);
  return u.totpLastStep === null ? synced : synced === null ? u.totpLastStep : Math.max(u.totpLastStep, synced);
}

interface UserTotp {
  id: string;
  email: string;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number | null;
  totpEnabledAt: string | null;
}

function userTotp(db: BusinessDb, userId: string): UserTotp {
  const row = db.orm
    .select({
      id: users.id,
      email: users.email,
      totpSecret: users.totpSecret,
      totpPendingSecret: users.totpPendingSecret,
      totpLastStep: users.totpLastStep,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) throw new AppError('not_found', 'That user was not found');
  return row;
}

export function isTwoFactorRequired(db: BusinessDb): boolean {
  return readSetting<boolean>(db, REQUIRE_KEY) === true;
}

export function setTwoFactorRequired(db: BusinessDb, required: boolean, at: string): { before: boolean; after: boolean } {
  const before = isTwoFactorRequired(db);
  writeSetting(db, REQUIRE_KEY, required, at);
  return { before, after: required };
}

/** Whether this user must set up two-factor before anything else works (the owner requires it, they have none). */
export function mustSetUpTwoFactor(db: BusinessDb, userId: string): boolean {
  // One cached statement: the dispatcher asks before every call of a logged-in window.
  const must = stmt(
    db.sqlite,
    `SELECT totp_secret IS NULL AND EXISTS (SELECT 1 FROM settings WHERE key = '${REQUIRE_KEY}' AND value = 'true') FROM users WHERE id = ?`,
  )
    .pluck()
    .get(userId) as number | undefined;
  return must === 1;
}

export function twoFactorStatus(db: BusinessDb, userId: string) {
  const u = userTotp(db, userId);
  const left = stmt(db.sqlite, "SELECT count(*) FROM settings WHERE key LIKE ? ESCAPE '\\' AND json_extract(value, '$.usedAt') IS NULL")
    .pluck()
    .get(likePrefix(recoveryPrefix(userId))) as number;
  return {
    enabled: u.totpSecret !== null,
    enabledAt: u.totpEnabledAt,
    recoveryCodesLeft: u.totpSecret === null ? 0 : left,
    requiredForEveryone: isTwoFactorRequired(db),
  };
}

/** Starts (or restarts) a set-up: a new secret kept aside until a code proves the authenticator has it. */
export function startTwoFactorSetup(db: BusinessDb, userId: string, businessName: string, at: string) {
  const u = userTotp(db, userId);
  if (u.totpSecret !== null) {
    throw new AppError('conflict', 'Two-factor login is already on. Turn it off first to set it up again.');
  }
  const secret = otplib().generateSecret({ length: 20 }); // 160 bits, RFC 4226's recommendation
  db.orm.update(users).set({ totpPendingSecret: secret, updatedAt: at }).where(eq(users.id, userId)).run();
  // "Business/email": a colon would end the issuer prefix in some authenticator apps.
  const otpauthUrl = otplib().generateURI({ issuer: TOTP_ISSUER, label: `${businessName}/${u.email}`, secret });
  return { secret, otpauthUrl, qrDataUrl: qrSvgDataUrl(otpauthUrl) };
}

/** Turns two-factor on with one good code of the pending secret; returns the ten recovery codes, shown once. */
export function confirmTwoFactor(db: BusinessDb, userId: string, code: string, now: Date): { recoveryCodes: string[] } {
  const u = userTotp(db, userId);
  if (u.totpSecret !== null) throw new AppError('conflict', 'Two-factor login is already on.');
  if (u.totpPendingSecret === null) {
    throw new AppError('validation', 'Start the set-up first: there is no secret waiting to be confirmed.', 'code');
  }
  const check = checkTotp(u.totpPendingSecret, code, now, null);
  if (!check.ok) throw new AppError('validation', check.message, 'code');
  const at = now.toISOString();
  db.orm
    .update(users)
    .set({ totpSecret: u.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: at, totpLastStep: check.step, updatedAt: at })
    .where(eq(users.id, userId))
    .run();
  return { recoveryCodes: replaceRecoveryCodes(db, userId, at) };
}

/** Turns two-factor off: the secret and the recovery codes are deleted. */
export function clearTwoFactor(db: BusinessDb, userId: string, at: string): void {
  db.orm
    .update(users)
    .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: at })
    .where(eq(users.id, userId))
    .run();
  stmt(db.sqlite, "DELETE FROM settings WHERE key LIKE ? ESCAPE '\\'").run(likePrefix(recoveryPrefix(userId)));
  stmt(db.sqlite, "DELETE FROM settings WHERE key LIKE ? ESCAPE '\\'").run(likePrefix(stepPrefix(userId)));
}

type TotpCheck = { ok: true; kind: 'totp'; step: number } | { ok: false; message: string };

export type CodeCheck =
  | { ok: true; kind: 'totp'; step: number }
  | { ok: true; kind: 'recovery'; key: string }
  | { ok: false; message: string };

/**
 * Checks a code typed by a user who has two-factor on: a current TOTP code
 * (±1 step, never one of a step already accepted) or an unused recovery code.
 * Writes nothing: the caller spends it (`spendCode`) in its transaction.
 */
export function checkLoginCode(db: BusinessDb, userId: string, typed: string, now: Date): CodeCheck {
  return checkCode(db, userId, typed, now, true);
}

/**
 * The code that turns two-factor off: current (±1 step) or an unused recovery
 * code. A TOTP code just used to log in is accepted (the caller is that
 * session: a CLI run logs in and disables with the one RECURRA_TOTP).
 */
export function checkDisableCode(db: BusinessDb, userId: string, typed: string, now: Date): CodeCheck {
  return checkCode(db, userId, typed, now, false);
}

function checkCode(db: BusinessDb, userId: string, typed: string, now: Date, refuseReplay: boolean): CodeCheck {
  const u = userTotp(db, userId);
  if (u.totpSecret === null) return { ok: false, message: 'Two-factor login is not on for this user.' };
  const compact = typed.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(compact)) return checkTotp(u.totpSecret, compact, now, refuseReplay ? lastStepOf(db, u) : null);
  const key = recoveryPrefix(userId) + hashRecoveryCode(compact);
  const stored = readSetting<{ usedAt: string | null }>(db, key);
  if (stored === null) {
    return { ok: false, message: 'That is neither a 6-digit code nor one of your recovery codes.' };
  }
  if (stored.usedAt !== null) {
    return { ok: false, message: 'That recovery code was already used. Each one works once: use another, or a code from your app.' };
  }
  return { ok: true, kind: 'recovery', key };
}

/**
 * Spends an accepted code, inside the caller's transaction. A TOTP step is
 * written only if it is later than the last one accepted, in SQL, so two
 * processes given the same code at once accept it once; its synced row tells
 * the other PCs. Returns false if the code was spent meanwhile.
 */
export function spendCode(db: BusinessDb, actor: Actor, userId: string, check: CodeCheck & { ok: true }, now: Date): boolean {
  if (check.kind === 'totp') {
    const synced = syncedLastStep(db, userId);
    if (synced !== null && synced >= check.step) return false; // another PC's, arrived meanwhile
    const r = stmt(db.sqlite, 'UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)').run(
      check.step,
      userId,
      check.step,
    );
    if (r.changes !== 1) return false;
    const prefix = stepPrefix(userId);
    writeSetting(db, `${prefix}${check.step}`, { usedAt: now.toISOString() }, now.toISOString());
    stmt(db.sqlite, 'DELETE FROM settings WHERE key > ? AND key < ? AND CAST(substr(key, ?) AS INTEGER) < ?').run(
      prefix,
      `${prefix.slice(0, -1)}/`,
      prefix.length + 1,
      check.step - STEPS_KEPT,
    );
    return true;
  }
  const stored = readSetting<{ usedAt: string | null }>(db, check.key);
  if (stored?.usedAt !== null) return false;
  writeSetting(db, check.key, { usedAt: now.toISOString() }, now.toISOString());
  const left = twoFactorStatus(db, userId).recoveryCodesLeft;
  writeAudit(db.orm, actor, now, { action: 'auth.recoveryCodeUsed', entity: 'user', entityId: userId, after: { recoveryCodesLeft: left } });
  return true;
}

export const REPLAYED_CODE = 'That code was already used. Wait for the next one in your app (codes change every 30 seconds).';

function checkTotp(secret: string, typed: string, now: Date, lastStep: number | null): TotpCheck {
  const token = typed.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, message: 'Enter the 6-digit code from your authenticator app.' };
  const epoch = Math.floor(now.getTime() / 1000);
  // The functional API's result is typed for HOTP or TOTP; with a secret and no counter it is TOTP's.
  const verify = (tolerance: number) => otplib().verifySync({ secret, token, epoch, epochTolerance: tolerance }) as TotpResult;
  const result = verify(TOLERANCE_S);
  if (result.valid) {
    if (lastStep !== null && result.timeStep <= lastStep) return { ok: false, message: REPLAYED_CODE };
    return { ok: true, kind: 'totp', step: result.timeStep };
  }
  const far = verify(DRIFT_PROBE_S);
  if (far.valid) {
    const minutes = Math.max(1, Math.round(Math.abs(far.epoch - epoch) / 60));
    return {
      ok: false,
      message: `That code belongs to a time about ${minutes} minute${minutes === 1 ? '' : 's'} away from this PC's clock. Check the PC's clock (date, time and time zone; set it automatically), and the phone's, then try a new code.`,
    };
  }
  return { ok: false, message: 'Wrong code. Enter the current 6-digit code from your authenticator app.' };
}

function replaceRecoveryCodes(db: BusinessDb, userId: string, at: string): string[] {
  stmt(db.sqlite, "DELETE FROM settings WHERE key LIKE ? ESCAPE '\\'").run(likePrefix(recoveryPrefix(userId)));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  for (const code of codes) writeSetting(db, recoveryPrefix(userId) + hashRecoveryCode(code), { usedAt: null }, at);
  return codes;
}

/** "7K2M-Q9XD-4HFA-0ZRT": 80 random bits, so a plain SHA-256 of it cannot be searched back (no slow hash needed). */
export function generateRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]!).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** As typed: any case, dashes or spaces; O read as 0, I and L as 1. */
function hashRecoveryCode(typed: string): string {
  const normalized = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return createHash('sha256').update(normalized).digest('hex');
}

function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The otpauth URL as an SVG QR code, as a data URL (drawn here, synchronously: it is made inside the set-up's write). */
function qrSvgDataUrl(text: string): string {
  const { modules } = qrcode().create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const quiet = 4;
  let path = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (modules.get(y, x)) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }
  const full = size + quiet * 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges"><rect width="${full}" height="${full}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
