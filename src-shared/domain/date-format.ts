import { addDays } from './dates';

// Billing dates are calendar dates (YYYY-MM-DD) in the business's time zone.
// They are shown as that same day everywhere, so they are formatted in UTC.
// Shared by the renderer and the invoice PDF, so both say a date the same way.

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

const ISO_RANGE = /\s*\((\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})\)/;
const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/g;

/**
 * An invoice line's description as people read it. Billing writes proration
 * lines with their ISO dates ("Unused time on Gold (2026-06-15 to 2026-07-05)",
 * the last day included); where the line's period is shown beside it the range
 * is dropped, else it is formatted, and any other ISO date is formatted ("Jun 15, 2026").
 */
export function readableDescription(line: { description: string; periodStart: string | null; periodEnd: string | null }, locale = 'en-US'): string {
  const range = ISO_RANGE.exec(line.description);
  let text = line.description;
  if (range) {
    const [whole, from, to] = range as unknown as [string, string, string];
    const shownBeside = line.periodStart !== null && line.periodEnd !== null;
    // The description's range names its last day; formatPeriod takes the day after.
    const readable = shownBeside ? '' : ` (${formatPeriod(from, addDays(to, 1), locale)})`;
    text = text.replace(whole, readable);
  }
  return text.replace(ISO_DAY, (day) => formatDay(day, locale));
}

/** A tax rate in parts per million as a percentage: 82500 -> "8.25%". */
export function formatTaxRate(ppm: number, locale = 'en-US'): string {
  return `${(ppm / 10_000).toLocaleString(locale, { maximumFractionDigits: 4 })}%`;
}

/** The tax line's label with its rate: "Tax (8.25%)"; the label alone when the rate is unknown or already in it. */
export function taxLabel(label: string, ppm: number | null | undefined, locale = 'en-US'): string {
  return ppm && !label.includes('%') ? `${label} (${formatTaxRate(ppm, locale)})` : label;
}
