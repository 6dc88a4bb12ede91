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
} as const;
