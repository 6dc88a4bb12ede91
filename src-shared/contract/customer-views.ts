import { z } from 'zod';
import { method } from './define';
import { idSchema, lineText } from '../domain/fields';
import { CUSTOMER_SORT_COLUMNS, customerFilterSchema } from '../domain/customers';

/** How many saved views a business keeps: a menu, not a second database. */
export const MAX_CUSTOMER_VIEWS = 50;

/** A customer list someone named to come back to: its search, filters and order. */
export const customerViewSchema = z.object({
  id: idSchema,
  name: z.string(),
  filter: customerFilterSchema,
  sort: z.enum(CUSTOMER_SORT_COLUMNS),
  direction: z.enum(['asc', 'desc']),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

/** Saved customer lists ("Owes money in Retail"), shared by everyone in the business. */
export const customerViewsContract = {
  'customerViews.list': method({
    input: z.object({}),
    output: z.object({ views: z.array(customerViewSchema) }),
    access: 'viewer',
    write: false,
  }),
  /** Saves the list under a name; a name already taken replaces that view when `replace` is set. */
  'customerViews.save': method({
    input: z.object({
      name: lineText(60, 'Keep the name under 60 characters').pipe(z.string().min(1, 'Give the view a name')),
      filter: customerFilterSchema,
      sort: z.enum(CUSTOMER_SORT_COLUMNS).default('name'),
      direction: z.enum(['asc', 'desc']).default('asc'),
      replace: z.boolean().default(false),
    }),
    output: customerViewSchema,
    access: 'staff',
    write: true,
  }),
  'customerViews.delete': method({
    input: z.object({ id: idSchema }),
    output: z.object({ ok: z.literal(true) }),
    access: 'staff',
    write: true,
  }),
} as const;
