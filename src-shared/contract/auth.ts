import { z } from 'zod';
import { method } from './define';
import { emailSchema, idSchema, loginPasswordSchema, passwordSchema, roleSchema } from '../domain/fields';

export const sessionUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
});

/** The caller's session as the UI needs it. */
export const sessionSchema = z.object({
  business: z.object({ id: z.string(), name: z.string(), currency: z.string(), timezone: z.string(), locale: z.string() }),
  user: sessionUserSchema,
  /** Two-factor login: on for this user; `setupRequired` when the owner requires it and this user must set it up before anything else. */
  twoFactor: z.object({ enabled: z.boolean(), setupRequired: z.boolean() }).optional(),
});
export type Session = z.infer<typeof sessionSchema>;

/** A TOTP code ("123 456") or a recovery code ("7K2M-Q9XD-4HFA-0ZRT"), as typed. */
export const twoFactorCodeSchema = z.string().trim().min(1, 'Enter the code').max(40, 'That is longer than a code');

export const twoFactorStatusSchema = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
  requiredForEveryone: z.boolean(),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

export const loginInputSchema = z.object({
  businessId: idSchema,
  email: emailSchema,
  password: loginPasswordSchema,
  /** With two-factor on: the 6-digit code of the authenticator app, or a recovery code. */
  code: twoFactorCodeSchema.optional(),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const changePasswordInputSchema = z.object({
  currentPassword: loginPasswordSchema,
  newPassword: passwordSchema,
});

/** A session that comes with a recovery key to show once (sign-up, recovery). */
export const sessionWithKeySchema = sessionSchema.extend({ recoveryKey: z.string() });
export type SessionWithKey = z.infer<typeof sessionWithKeySchema>;

export const recoverInputSchema = z.object({
  businessId: idSchema,
  email: emailSchema,
  recoveryKey: z.string().trim().min(1, 'Enter your recovery key').max(100, 'That is longer than a recovery key'),
  newPassword: passwordSchema,
});

export const authContract = {
  'auth.login': method({ input: loginInputSchema, output: sessionSchema, access: 'public', write: true }),
  'auth.logout': method({ input: z.object({}).strict(), output: z.object({ ok: z.literal(true) }), access: 'public', write: false }),
  /** The current session, or null when nobody is logged in on this connection. */
  'auth.session': method({ input: z.object({}).strict(), output: sessionSchema.nullable(), access: 'public', write: false }),
  'auth.changePassword': method({
    input: changePasswordInputSchema,
    output: z.object({ ok: z.literal(true) }),
    access: 'viewer',
    write: true,
  }),
  /** An owner who forgot their password sets a new one with the business's recovery key, and is logged in. */
  'auth.recover': method({ input: recoverInputSchema, output: sessionWithKeySchema, access: 'public', write: true }),
  /**
   * When the current recovery key was made, and by whom (never the key); `unlocksBooks`: it can also
   * unlock the encrypted file on this PC should the keychain lose its key (false until typed once for a
   * file encrypted on upgrade, restored from a backup or joined from another PC: `business.unlock`).
   */
  'auth.recoveryKeyInfo': method({
    input: z.object({}).strict(),
    output: z.object({ createdAt: z.string(), createdBy: z.string(), unlocksBooks: z.boolean() }).nullable(),
    access: 'owner',
    write: false,
  }),
  /** A new recovery key in place of the old one (lost, or seen by someone). */
  'auth.newRecoveryKey': method({
    input: z.object({ currentPassword: loginPasswordSchema }),
    output: z.object({ recoveryKey: z.string() }),
    access: 'owner',
    write: true,
  }),
  /** Two-factor login of the caller: on or off, recovery codes left, whether the owner requires it. */
  'auth.twoFactorStatus': method({ input: z.object({}).strict(), output: twoFactorStatusSchema, access: 'viewer', write: false }),
  /** Starts two-factor for the caller: a new secret (shown once, with its QR code) that `confirm` turns on. */
  'auth.twoFactorSetup': method({
    input: z.object({}).strict(),
    output: z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() }),
    access: 'viewer',
    write: true,
  }),
  /** Turns two-factor on with one good code; the ten recovery codes are returned this once. */
  'auth.twoFactorConfirm': method({
    input: z.object({ code: twoFactorCodeSchema }),
    output: z.object({ enabled: z.literal(true), recoveryCodes: z.array(z.string()) }),
    access: 'viewer',
    write: true,
  }),
  /**
   * Turns two-factor off with a current code (or a recovery code). Public in the
   * contract only so a wrong code can be counted toward the lockout outside the
   * call's transaction: the handler requires the caller's session itself.
   */
  'auth.twoFactorDisable': method({
    input: z.object({ code: twoFactorCodeSchema }),
    output: z.object({ enabled: z.literal(false) }),
    access: 'public',
    write: true,
  }),
  /** Owner: require two-factor for every user (those without it set it up at their next login, before anything else). */
  'auth.setTwoFactorRequired': method({
    input: z.object({ required: z.boolean() }),
    output: z.object({ requiredForEveryone: z.boolean() }),
    access: 'owner',
    write: true,
  }),
} as const;
