import { z } from 'zod';
import { CONTROL_CHARACTER_MESSAGE, emailSchema, isMultilineText, isSingleLineText, nameSchema } from './fields';

export const PAYMENT_METHODS = ['card', 'card_declining', 'manual'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  card: 'Card',
  card_declining: 'Card (declining)',
  manual: 'Pays by hand',
};

export const CUSTOMER_STATUSES = ['active', 'inactive'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

const optionalText = (max: number, label: string, multiline = false) =>
  z
    .string()
    .trim()
    .max(max, `${label} is at most ${max} characters`)
    .refine(multiline ? isMultilineText : isSingleLineText, CONTROL_CHARACTER_MESSAGE);

export const phoneSchema = z
  .string()
  .trim()
  .max(40, 'A phone number is at most 40 characters')
  .regex(/^[0-9+()\-.\s/x]*$/i, 'Use digits, spaces and + ( ) - . only');

export const tagSchema = z
  .string()
  .trim()
  .min(1, 'A tag cannot be empty')
  .max(40, 'A tag is at most 40 characters')
  .regex(/^[^,]+$/, 'A tag cannot contain a comma')
  .refine(isSingleLineText, CONTROL_CHARACTER_MESSAGE);

export const tagsSchema = z
  .array(tagSchema)
  .max(30, 'At most 30 tags')
  .transform((tags) => [...new Set(tags.map((t) => t.trim()))]);

/** The fields a person edits; the same rules for the form, IPC, the CLI and CSV import. */
export const customerFieldRules = {
  name: nameSchema,
  email: emailSchema,
  phone: phoneSchema,
  company: optionalText(200, 'Company'),
  addressLine1: optionalText(200, 'Address'),
  addressLine2: optionalText(200, 'Address'),
  city: optionalText(100, 'City'),
  region: optionalText(100, 'Region'),
  postalCode: optionalText(20, 'Postal code'),
  country: optionalText(100, 'Country'),
  segment: optionalText(60, 'Segment'),
  tags: tagsSchema,
  notes: optionalText(5000, 'Notes', true),
  status: z.enum(CUSTOMER_STATUSES, { message: 'Status must be active or inactive' }),
  paymentMethod: z.enum(PAYMENT_METHODS, { message: 'Payment method must be card, card_declining or manual' }),
};

/** A new customer: everything but name and email has a default. */
export const customerFieldsSchema = z.object({
  ...customerFieldRules,
  phone: customerFieldRules.phone.default(''),
  company: customerFieldRules.company.default(''),
  addressLine1: customerFieldRules.addressLine1.default(''),
  addressLine2: customerFieldRules.addressLine2.default(''),
  city: customerFieldRules.city.default(''),
  region: customerFieldRules.region.default(''),
  postalCode: customerFieldRules.postalCode.default(''),
  country: customerFieldRules.country.default(''),
  segment: customerFieldRules.segment.default(''),
  tags: customerFieldRules.tags.default([]),
  notes: customerFieldRules.notes.default(''),
  status: customerFieldRules.status.default('active'),
  paymentMethod: customerFieldRules.paymentMethod.default('card'),
});

/** An edit: only the fields given change (no defaults, which would overwrite what is there). */
export const customerChangesSchema = z.object(customerFieldRules).partial();

export type CustomerFields = z.input<typeof customerFieldsSchema>;

export const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  company: z.string(),
  addressLine1: z.string(),
  addressLine2: z.string(),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string(),
  segment: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  status: z.enum(CUSTOMER_STATUSES),
  paymentMethod: z.enum(PAYMENT_METHODS),
  creditBalance: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof customerSchema>;

export const CUSTOMER_SORT_COLUMNS = [
  'name',
  'email',
  'company',
  'phone',
  'segment',
  'status',
  'paymentMethod',
  'creditBalance',
  'createdAt',
  /** Churn risk today (insights.churn's score); customers paying nothing have none and come last. */
  'risk',
] as const;
export type CustomerSortColumn = (typeof CUSTOMER_SORT_COLUMNS)[number];

/** A filter over the customer list: the same object drives the list, bulk actions and CSV export. */
export const customerFilterSchema = z.object({
  search: z.string().trim().max(200).default(''),
  status: z.enum(CUSTOMER_STATUSES, { message: 'Status must be active or inactive' }).optional(),
  segment: z.string().trim().max(60).optional(),
  tag: z.string().trim().max(40).optional(),
  hasActiveSubscription: z.boolean().optional(),
  hasUnpaidInvoices: z.boolean().optional(),
  /** Churn risk today in the medium or high band (insights.churn); false: low or no score. */
  atRisk: z.boolean().optional(),
});
export type CustomerFilter = z.input<typeof customerFilterSchema>;

/** Customer fields a CSV column can map to. */
export const IMPORT_FIELDS = [
  'name',
  'email',
  'phone',
  'company',
  'addressLine1',
  'addressLine2',
  'city',
  'region',
  'postalCode',
  'country',
  'segment',
  'tags',
  'notes',
  'status',
  'paymentMethod',
  /** When they became a customer (the created date), so an imported list keeps its history. */
  'customerSince',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
