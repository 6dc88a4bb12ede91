import { useMemo } from 'react';
import { formatDay, formatMonth, formatPeriod } from '@shared/domain/date-format';
import { dateInTimeZone } from '@shared/domain/dates';
import { useSession } from './auth';

// Billing dates are formatted by the shared formatters (the invoice PDF uses the same ones).
export { formatDay, formatMonth, formatPeriod, isoPeriod } from '@shared/domain/date-format';

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
