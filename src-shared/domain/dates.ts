// Billing dates are calendar dates (YYYY-MM-DD) in the business's time zone.
// They are handled as plain strings and day counts, never as local Date objects.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

// The date functions below run a few times per subscription in a billing run (periods, due dates,
// retries): plain integer arithmetic, no Date objects and no arrays, so they cost next to nothing.
// tests/unit/shared/dates-and-ids.test.ts checks them against Date for every day of 1600-2400.

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** The year, month and day of a YYYY-MM-DD string, read digit by digit. */
function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + (text.charCodeAt(i) - 48);
  return n;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** YYYY-MM-DD from its parts (a year of four digits). */
export function formatDate(year: number, month: number, day: number): string {
  return `${year < 1000 ? String(year).padStart(4, '0') : year}-${pad2(month)}-${pad2(day)}`;
}

/** The parts of a YYYY-MM-DD date. */
export function dateParts(date: string): [year: number, month: number, day: number] {
  return [digits(date, 0, 4), digits(date, 5, 2), digits(date, 8, 2)];
}

/** Today's calendar date in a time zone, for the instant given (the only clock read is the caller's). */
// Building an Intl.DateTimeFormat costs more than a small write (the dispatcher asks for today on every call with a date): one per zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function dateInTimeZone(instant: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dayFormats.size >= 64) dayFormats.clear();
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Names already asked of Intl (a new Intl.DateTimeFormat per call cost a license validation 0.7 ms). */
const knownZones = new Map<string, boolean>();

export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  let known = knownZones.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size >= 1000) knownZones.clear();
    knownZones.set(name, known);
  }
  return known;
}

/** Days since 1970-01-01 for a YYYY-MM-DD date (exact integer day arithmetic). */
export function toDayNumber(date: string): number {
  // Days from civil (H. Hinnant's algorithm): years start in March, so the leap day is the last.
  const m = digits(date, 5, 2);
  const y = digits(date, 0, 4) - (m <= 2 ? 1 : 0);
  const d = digits(date, 8, 2);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function fromDayNumber(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return formatDate(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Number of days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** The UTC instant at which a calendar date begins in a time zone. */
export function startOfDayInstant(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Correct the guess by the zone's offset at that moment, twice for DST edges.
  let instant = guess;
  for (let i = 0; i < 2; i++) instant = guess - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

// One per zone, as dayFormats: the dashboard asks for 14 instants (customer growth), two formats each.
const instantFormats = new Map<string, Intl.DateTimeFormat>();

function offsetMs(instant: Date, timeZone: string): number {
  let format = instantFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (instantFormats.size >= 64) instantFormats.clear();
    instantFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Monday of the week of a date (ISO weeks). */
export function startOfWeek(date: string): string {
  const day = toDayNumber(date);
  const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday; 0 = Monday
  return fromDayNumber(day - weekday);
}

export function startOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}
