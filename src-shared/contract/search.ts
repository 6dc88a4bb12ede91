import { z } from 'zod';
import { INVOICE_STATUSES, SUBSCRIPTION_STATUSES } from '../domain/billing';
import { method } from './define';

/** The most results of one kind the search-anything box asks for. */
export const SEARCH_MAX_PER_KIND = 10;

export const searchResultsSchema = z.object({
  customers: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), company: z.string() })),
  invoices: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      customerName: z.string(),
      status: z.enum(INVOICE_STATUSES),
      issueDate: z.string(),
      total: z.number().int(),
      currency: z.string(),
    }),
  ),
  subscriptions: z.array(
    z.object({ id: z.string(), customerName: z.string(), planName: z.string(), status: z.enum(SUBSCRIPTION_STATUSES) }),
  ),
  /** Nothing matched a customer exactly; the customers are close matches (typos). */
  fuzzy: z.boolean(),
});
export type SearchResults = z.infer<typeof searchResultsSchema>;

export const searchContract = {
  /**
   * The search-anything box (Ctrl+K): customers by name, email or company
   * (the full-text index, typos tolerated), invoices by number, and the
   * invoices and subscriptions of the customers found. Every query is
   * index-backed and capped at `limit` rows per kind.
   */
  'search.anything': method({
    input: z.object({
      query: z.string().trim().min(1, 'Type something to search for').max(100),
      limit: z.number().int().min(1).max(SEARCH_MAX_PER_KIND).default(8),
    }),
    output: searchResultsSchema,
    access: 'viewer',
    write: false,
  }),
} as const;
