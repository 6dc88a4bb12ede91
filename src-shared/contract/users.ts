import { z } from 'zod';
import { method } from './define';
import { emailSchema, idSchema, nameSchema, passwordSchema, roleSchema } from '../domain/fields';

export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  active: z.boolean(),
  locked: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  /** Two-factor login: on for this user; `setupRequired` when the owner requires it of everyone and this user has not set it up. */
  twoFactor: z.object({ enabled: z.boolean(), setupRequired: z.boolean() }),
});
export type User = z.infer<typeof userSchema>;

export const userCreateSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  role: roleSchema,
  password: passwordSchema,
});
export type UserCreate = z.infer<typeof userCreateSchema>;

const byId = z.object({ id: idSchema });

export const usersContract = {
  'users.list': method({ input: z.object({}).strict(), output: z.array(userSchema), access: 'owner', write: false }),
  'users.create': method({ input: userCreateSchema, output: userSchema, access: 'owner', write: true }),
  'users.update': method({
    input: z.object({ id: idSchema, name: nameSchema.optional(), role: roleSchema.optional() }),
    output: userSchema,
    access: 'owner',
    write: true,
  }),
  'users.resetPassword': method({
    input: z.object({ id: idSchema, password: passwordSchema }),
    output: userSchema,
    access: 'owner',
    write: true,
  }),
  'users.deactivate': method({ input: byId, output: userSchema, access: 'owner', write: true }),
  'users.reactivate': method({ input: byId, output: userSchema, access: 'owner', write: true }),
  'users.delete': method({ input: byId, output: z.object({ deleted: z.string() }), access: 'owner', write: true }),
} as const;
