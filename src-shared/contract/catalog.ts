import { z } from 'zod';
import { method } from './define';
import { couponFieldsSchema, couponSchema, planChangesSchema, planFieldsSchema, planSchema } from '../domain/billing';
import { idSchema } from '../domain/fields';

const byId = z.object({ id: idSchema });

export const catalogContract = {
  'plans.list': method({
    input: z.object({ includeArchived: z.boolean().default(false) }),
    output: z.array(planSchema),
    access: 'viewer',
    write: false,
  }),
  'plans.get': method({ input: byId, output: planSchema, access: 'viewer', write: false }),
  'plans.create': method({ input: planFieldsSchema, output: planSchema, access: 'staff', write: true }),
  /** Name, description, features, trial and setup fee can always change; price, interval and tiers only while unused. */
  'plans.update': method({
    input: planChangesSchema.extend({ id: idSchema }),
    output: planSchema,
    access: 'staff',
    write: true,
  }),
  'plans.archive': method({ input: byId, output: planSchema, access: 'staff', write: true }),
  'plans.unarchive': method({ input: byId, output: planSchema, access: 'staff', write: true }),
  /** Only a plan nobody ever subscribed to; a used plan is archived instead. */
  'plans.delete': method({ input: byId, output: z.object({ deleted: z.string() }), access: 'owner', write: true }),

  'coupons.list': method({
    input: z.object({ includeArchived: z.boolean().default(false) }),
    output: z.array(couponSchema),
    access: 'viewer',
    write: false,
  }),
  'coupons.create': method({ input: couponFieldsSchema, output: couponSchema, access: 'staff', write: true }),
  'coupons.archive': method({ input: byId, output: couponSchema, access: 'staff', write: true }),
} as const;
