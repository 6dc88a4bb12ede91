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
});
export type Session = z.infer<typeof sessionSchema>;

export const loginInputSchema = z.object({
  businessId: idSchema,
  email: emailSchema,
  password: loginPasswordSchema,
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
  /** When the current recovery key was made, and by whom (never the key). */
  'auth.recoveryKeyInfo': method({
    input: z.object({}).strict(),
    output: z.object({ createdAt: z.string(), createdBy: z.string() }).nullable(),
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
} as const;
