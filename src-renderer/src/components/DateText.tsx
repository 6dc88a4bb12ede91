import { formatDay, formatPeriod, isoPeriod } from '../lib/dates';
import { useSession } from '../lib/auth';

/** A billing date, readable ("Mar 1, 2026"), with the exact ISO date on hover. */
export function DateText({ date, fallback = '—' }: { date: string | null | undefined; fallback?: string }) {
  const { business } = useSession();
  if (!date) return <>{fallback}</>;
  return (
    <time dateTime={date} title={date}>
      {formatDay(date, business.locale)}
    </time>
  );
}

/** A half-open billing period shown with its last day ("Mar 1 – 31, 2026"), the ISO dates on hover. */
export function PeriodText({ start, end }: { start: string | null; end: string | null }) {
  const { business } = useSession();
  if (!start || !end) return <>—</>;
  return <span title={isoPeriod(start, end)}>{formatPeriod(start, end, business.locale)}</span>;
}
