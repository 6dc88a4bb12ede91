import type { ReportKind } from '@shared/contract/reports';
import { addDays, daysInMonth } from '@shared/domain/dates';
import { addMonths } from '@shared/domain/periods';
import { validation } from '../errors';

/** A monthly report longer than this is a mistake (a year typed wrong), not a request: 20 years. */
export const MAX_MONTHS = 240;

const MONTHLY: readonly ReportKind[] = ['revenue', 'mrr-movements', 'mrr-movements-by-customer'];

/**
 * The range a report covers, defaults applied (see REPORT_KINDS in the
 * contract): lists are open where a bound is omitted; monthly reports end
 * today and cover 12 months (one month by customer); AR aging is as of `to`.
 */
export function resolveRange(kind: ReportKind, given: { from?: string | undefined; to?: string | undefined }, today: string): { from: string | null; to: string | null } {
  if (given.from !== undefined && given.to !== undefined && given.to < given.from) {
    throw validation('to', `The range ends (${given.to}) before it starts (${given.from})`);
  }
  if (kind === 'ar-aging') return { from: null, to: given.to ?? today };
  if (!MONTHLY.includes(kind)) return { from: given.from ?? null, to: given.to ?? null };
  const to = given.to ?? today;
  if (given.from !== undefined && given.from > to) throw validation('from', `The range starts (${given.from}) after today (${to}): give an end date too`);
  const from = given.from ?? addMonths(`${to.slice(0, 7)}-01`, kind === 'mrr-movements-by-customer' ? 0 : -11);
  if (monthsOf(from, to).length > MAX_MONTHS) throw validation('from', `A monthly report covers at most ${MAX_MONTHS} months: choose a shorter range`);
  return { from, to };
}

/** Each month touching [from, to], as its part of the range: the first and last cut to the range. */
export function monthsOf(from: string, to: string): { month: string; first: string; last: string }[] {
  const out: { month: string; first: string; last: string }[] = [];
  for (let first = `${from.slice(0, 7)}-01`; first <= to; first = addMonths(first, 1)) {
    const [y, m] = first.split('-').map(Number) as [number, number];
    const end = addDays(first, daysInMonth(y, m) - 1);
    out.push({ month: first.slice(0, 7), first: first < from ? from : first, last: end > to ? to : end });
    if (out.length > MAX_MONTHS) break; // enough to refuse the range
  }
  return out;
}
