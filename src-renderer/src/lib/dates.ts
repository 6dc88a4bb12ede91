import { useMemo } from 'react';
import { addDays, dateInTimeZone } from '@shared/domain/dates';
import { useSession } from './auth';

// Billing dates are calendar dates (YYYY-MM-DD) in the business's time zone.
// They are shown as that same day everywhere, so they are formatted in UTC.

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    formatters.set(key, f);
  }
  return f;
}

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** "2026-03-01" -> "Mar 1, 2026". */
export function formatDay(date: string, locale = 'en-US'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return formatter(locale, { dateStyle: 'medium' }).format(utc(date));
}

/** "2026-03" -> "Mar 2026". */
export function formatMonth(month: string, locale = 'en-US'): string {
  if (!/^\d{4}-\d{2}$/.test(month)) return month;
  return formatter(locale, { month: 'short', year: 'numeric' }).format(utc(`${month}-01`));
}

/**
 * A half-open period [start, end) as people read it, with its last day:
 * "2026-03-01".."2026-04-01" -> "Mar 1 – 31, 2026".
 */
export function formatPeriod(start: string, end: string, locale = 'en-US'): string {
  const last = end > start ? addDays(end, -1) : start;
  return formatter(locale, { dateStyle: 'medium' }).formatRange(utc(start), utc(last));
}

/** The ISO form of a period, for a tooltip: "2026-03-01 to 2026-03-31". */
export function isoPeriod(start: string, end: string): string {
  return `${start} to ${end > start ? addDays(end, -1) : start}`;
}

/** Today in the business's time zone (the renderer is an edge and may read the clock for defaults). */
export function useToday(): string {
  const { business } = useSession();
  return dateInTimeZone(new Date(), business.timezone);
}

/** Date formatting bound to the business's locale. */
export function useDates() {
  const { business } = useSession();
  const locale = business.locale || 'en-US';
  return useMemo(
    () => ({
      day: (date: string) => formatDay(date, locale),
      month: (month: string) => formatMonth(month, locale),
      period: (start: string, end: string) => formatPeriod(start, end, locale),
    }),
    [locale],
  );
}
