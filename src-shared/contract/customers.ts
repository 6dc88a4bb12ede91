import { z } from 'zod';
import { method } from './define';
import { idSchema, isoDateSchema, lineText, multilineText } from '../domain/fields';
import {
  CUSTOMER_SORT_COLUMNS,
  IMPORT_FIELDS,
  customerChangesSchema,
  customerFieldsSchema,
  customerFilterSchema,
  customerSchema,
  tagSchema,
} from '../domain/customers';

export const customerListInputSchema = customerFilterSchema.extend({
  sort: z.enum(CUSTOMER_SORT_COLUMNS).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
  /** Count the matches too (the first page of a filter); later pages of a scroll skip it. */
  withTotal: z.boolean().default(true),
});

export const customerStatsSchema = z.object({
  currency: z.string(),
  total: z.number().int(),
  active: z.number().int(),
  inactive: z.number().int(),
  newThisWeek: z.number().int(),
  newThisMonth: z.number().int(),
  withSubscriptions: z.number().int(),
  totalRevenue: z.number().int(),
  averageRevenuePerCustomer: z.number().int(),
});

/** A customer's page: the record plus what billing knows of them. */
export const customerDetailSchema = z.object({
  customer: customerSchema,
  activeSubscriptions: z.number().int(),
  openInvoices: z.number().int(),
  amountDue: z.number().int(),
  totalPaid: z.number().int(),
  canDelete: z.boolean(),
  /** Why it cannot be deleted, for people. */
  deleteBlockedReason: z.string().nullable(),
});

export const ACTIVITY_KINDS = ['note', 'call', 'email'] as const;

export const timelineEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(['note', 'call', 'email', 'system']),
  subtype: z.string(),
  title: z.string(),
  body: z.string(),
  occurredAt: z.string(),
  userName: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const bulkActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('addTag'), tag: tagSchema }),
  z.object({ action: z.literal('removeTag'), tag: tagSchema }),
  z.object({ action: z.literal('setSegment'), segment: lineText(60) }),
  z.object({ action: z.literal('setStatus'), status: z.enum(['active', 'inactive']) }),
]);

export const importMappingSchema = z.record(z.string(), z.enum([...IMPORT_FIELDS, 'ignore']));

export const importInputSchema = z.object({
  /** The CSV file's text (UTF-8; a BOM is fine). */
  csv: z.string().min(1, 'The file is empty').max(64 * 1024 * 1024, 'The file is larger than 64 MB'),
  /** CSV header → customer field; omitted: guessed from the headers. */
  mapping: importMappingSchema.optional(),
  dryRun: z.boolean().default(false),
});

export const importResultSchema = z.object({
  headers: z.array(z.string()),
  mapping: importMappingSchema,
  rows: z.number().int(),
  created: z.number().int(),
  skipped: z.number().int(),
  dryRun: z.boolean(),
  errors: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() })),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const exportResultSchema = z.object({
  rows: z.number().int(),
  /** Where the file went (the app's save dialog), or null when cancelled. */
  path: z.string().nullable(),
  /** In the browser host: a one-time URL the page downloads. */
  downloadUrl: z.string().nullable(),
});

const byId = z.object({ id: idSchema });

export const customersContract = {
  'customers.list': method({
    input: customerListInputSchema,
    output: z.object({
      rows: z.array(customerSchema),
      /** null when withTotal was false. */
      total: z.number().int().nullable(),
      /** Nothing matched exactly; these are close matches (typos). */
      fuzzy: z.boolean(),
    }),
    access: 'viewer',
    write: false,
  }),
  'customers.get': method({ input: byId, output: customerDetailSchema, access: 'viewer', write: false }),
  'customers.create': method({ input: customerFieldsSchema, output: customerSchema, access: 'staff', write: true }),
  'customers.update': method({
    input: customerChangesSchema.extend({ id: idSchema }),
    output: customerSchema,
    access: 'staff',
    write: true,
  }),
  'customers.delete': method({ input: byId, output: z.object({ deleted: z.string() }), access: 'owner', write: true }),
  'customers.stats': method({ input: z.object({}), output: customerStatsSchema, access: 'viewer', write: false }),
  /** Segments and tags in use, for filter menus. */
  'customers.facets': method({
    input: z.object({}),
    output: z.object({ segments: z.array(z.string()), tags: z.array(z.string()) }),
    access: 'viewer',
    write: false,
  }),
  'customers.timeline': method({
    input: z.object({ id: idSchema, limit: z.number().int().min(1).max(200).default(50), before: z.string().max(64).optional() }),
    output: z.object({ entries: z.array(timelineEntrySchema), hasMore: z.boolean() }),
    access: 'viewer',
    write: false,
  }),
  'customers.logActivity': method({
    input: z.object({
      customerId: idSchema,
      kind: z.enum(ACTIVITY_KINDS, { message: 'Choose note, call or email' }),
      title: lineText(200, 'Keep the title under 200 characters').default(''),
      body: multilineText(5000, 'Keep it under 5000 characters').pipe(z.string().min(1, 'Write what happened')),
      occurredOn: isoDateSchema.optional(),
    }),
    output: timelineEntrySchema,
    access: 'staff',
    write: true,
  }),
  'customers.bulk': method({
    input: z.object({
      /** Either these ids, or everyone matching the filter but `except`. */
      ids: z.array(idSchema).max(100_000).optional(),
      filter: customerFilterSchema.optional(),
      except: z.array(idSchema).max(100_000).optional(),
      change: bulkActionSchema,
    }),
    output: z.object({ updated: z.number().int() }),
    access: 'staff',
    write: true,
  }),
  'customers.import': method({ input: importInputSchema, output: importResultSchema, access: 'staff', write: true }),
  'customers.export': method({
    input: customerFilterSchema.extend({
      ids: z.array(idSchema).max(100_000).optional(),
      /** Without ids: everyone matching the filter but these. */
      except: z.array(idSchema).max(100_000).optional(),
      /** The order of the list on screen, so the file reads as the person saw it. */
      sort: z.enum(CUSTOMER_SORT_COLUMNS).default('name'),
      direction: z.enum(['asc', 'desc']).default('asc'),
      bom: z.boolean().default(false),
    }),
    output: exportResultSchema,
    access: 'viewer',
    write: false,
  }),
} as const;
