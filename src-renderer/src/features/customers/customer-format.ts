import type { Customer } from '@shared/domain/customers';

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateOnlyUtc = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const count = new Intl.NumberFormat();

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

/** A calendar date stored as midnight UTC ("2026-03-01T00:00:00.000Z"), shown as that same date everywhere. */
export function formatCalendarDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnlyUtc.format(date);
}

export function formatCount(n: number): string {
  return count.format(n);
}

/** "1 customer", "2,310 customers". */
export function customersCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'customer' : 'customers'}`;
}

/** The business's money format: amounts are integer minor units of the business currency. */
/** The postal address as lines, leaving out what is empty. */
export function addressLines(c: Pick<Customer, 'addressLine1' | 'addressLine2' | 'city' | 'region' | 'postalCode' | 'country'>): string[] {
  const cityLine = [c.city, [c.region, c.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [c.addressLine1, c.addressLine2, cityLine, c.country].filter((line) => line.trim() !== '');
}
