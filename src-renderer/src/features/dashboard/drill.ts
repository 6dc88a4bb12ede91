import type { ReportKind } from '@shared/contract/reports';
import { addDays } from '@shared/domain/dates';
import { addMonths } from '@shared/domain/periods';

// Where a click on a number leads: the customers, invoices or report behind it.

/** The customer list narrowed to customers with a running subscription (read by the customers page). */
export const SUBSCRIBED_CUSTOMERS = '/customers?subscribed=yes';
/** The invoice list narrowed to open invoices (read by the invoices page). */
export const OPEN_INVOICES = '/invoices?status=open';

/** The days of a month the figures cover: its first day to its last, or to the as-of date for the month in progress. */
export function monthRange(month: string, asOf: string): { from: string; to: string } {
  const from = `${month}-01`;
  const last = addDays(addMonths(from, 1), -1);
  return { from, to: asOf < last ? asOf : last };
}

/** A report on the Reports page, for a range (or as of `to`). */
export function reportLink(kind: ReportKind, range: { from?: string; to?: string }): string {
  const params = new URLSearchParams({ kind });
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  return `/reports?${params.toString()}`;
}
