import { z } from 'zod';
import { method } from './define';
import { isoDateSchema } from '../domain/fields';

/**
 * The reports of the Reports page and of `recurra export`. What `from` and
 * `to` (inclusive) select, and what an omitted bound means:
 * - customers (created), subscriptions (started), invoices (issued),
 *   payments (payments and refunds by their date), sales (sold): the records
 *   dated in the range; an omitted bound is open (everything).
 * - revenue and mrr-movements: one row per month of the range (the first and
 *   last months cut to the range); omitted: the 12 months ending with `to`,
 *   and `to` is today in the business's time zone.
 * - mrr-movements-by-customer: each customer's movement in each month of the
 *   range; omitted: the month of `to` (default today).
 * - ar-aging: the invoices open at the end of `to` (default today); `from` is not used.
 */
export const REPORT_KINDS = [
  'customers',
  'subscriptions',
  'invoices',
  'payments',
  'revenue',
  'mrr-movements',
  'mrr-movements-by-customer',
  'ar-aging',
  'sales',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** money: integer minor units of the business currency; percent: a number like 33.33; date: YYYY-MM-DD. */
export const REPORT_COLUMN_TYPES = ['text', 'money', 'date', 'number', 'percent'] as const;
export type ReportColumnType = (typeof REPORT_COLUMN_TYPES)[number];

export const reportColumnSchema = z.object({ key: z.string(), label: z.string(), type: z.enum(REPORT_COLUMN_TYPES) });
export type ReportColumn = z.infer<typeof reportColumnSchema>;

/** A row: column key -> value; null is an empty cell. */
export const reportRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type ReportRow = z.infer<typeof reportRowSchema>;

const reportRange = {
  kind: z.enum(REPORT_KINDS, { message: `Choose a report: ${REPORT_KINDS.join(', ')}` }),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
};

export const reportsContract = {
  /** One page of a report for the table. */
  'reports.view': method({
    input: z.object({
      ...reportRange,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
      /** Count the rows and sum the columns too (the first page); later pages of a scroll skip it. */
      withTotals: z.boolean().default(true),
    }),
    output: z.object({
      kind: z.enum(REPORT_KINDS),
      /** The range the report covers once defaults are applied; null: open. */
      from: isoDateSchema.nullable(),
      to: isoDateSchema.nullable(),
      currency: z.string(),
      columns: z.array(reportColumnSchema),
      rows: z.array(reportRowSchema),
      /** null when withTotals was false. */
      total: z.number().int().nullable(),
      /** Sums of the report's money columns (and counts), keyed like the rows; null when it has none or withTotals was false. */
      totals: reportRowSchema.nullable(),
    }),
    access: 'viewer',
    write: false,
  }),
  /** The same rows as a CSV file through the caller's export destination (money as exact decimals, the currency in the header). */
  'reports.export': method({
    input: z.object({ ...reportRange, bom: z.boolean().default(false) }),
    output: z.object({
      kind: z.enum(REPORT_KINDS),
      rows: z.number().int(),
      /** Where the file went, or null when the save was cancelled. */
      path: z.string().nullable(),
      /** In the browser host: a one-time URL the page downloads. */
      downloadUrl: z.string().nullable(),
    }),
    access: 'viewer',
    write: false,
  }),
} as const;
