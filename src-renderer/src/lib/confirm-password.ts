import { z } from 'zod';

/**
 * A form's rules plus "type the password again": `confirmPassword` must match
 * the field `passwordField` (checked once both are filled in).
 */
export function withConfirmedPassword<S extends z.ZodObject>(schema: S, passwordField: keyof z.infer<S> & string, emptyMessage = 'Type the new password again') {
  return schema
    .extend({ confirmPassword: z.string().min(1, emptyMessage) })
    .refine((values) => values.confirmPassword === '' || (values as Record<string, unknown>)[passwordField] === values.confirmPassword, {
      message: 'The two passwords are not the same',
      path: ['confirmPassword'],
    });
}
