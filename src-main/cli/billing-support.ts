import type { Business } from '@shared/contract/business';
import type { CurrencyCode } from '@shared/domain/money';
import type { CliContext } from './context';
import { parseAmount } from './parse';

// What the billing commands (plan, coupon, subscription, billing, invoice,
// payment) share: the business they act on, its money, and paging.

/** The core pages at most this many rows per call. */
const PAGE_SIZE = 500;

/** The logged-in business, whose currency turns "29.00" into minor units and whose time zone says what "today" is. */
export interface BillingBusiness {
  business: Business;
  /** "29.00" -> 2900 in the business currency, or a validation error naming the flag. */
  amount(text: string, field: string, flag: string): number;
}

/** Logs in and reads the business settings (any role may read them). */
export async function loginToBusiness(ctx: CliContext): Promise<BillingBusiness> {
  await ctx.login();
  const business = await ctx.call('business.get', {});
  const currency: CurrencyCode = business.currency;
  return { business, amount: (text, field, flag) => parseAmount(text, currency, field, flag, business.locale) };
}

/** A script asking for a list means all of it: pages are fetched until the core runs out. */
export async function allPages<T>(fetch: (page: { offset: number; limit: number }) => Promise<{ rows: T[]; total: number }>): Promise<T[]> {
  const rows: T[] = [];
  for (;;) {
    const page = await fetch({ offset: rows.length, limit: PAGE_SIZE });
    rows.push(...page.rows);
    if (page.rows.length < PAGE_SIZE || rows.length >= page.total) return rows;
  }
}

/** A choice checked here because the core's schema would answer with zod's generic enum message. */
export function isOneOf<T extends string>(value: string, choices: readonly T[]): value is T {
  return (choices as readonly string[]).includes(value);
}
