import type { Invoice, Payment, Subscription } from '@shared/domain/billing';

// Billing states in the words an owner uses, with the badge colour for each.

export const SUBSCRIPTION_STATUS: Record<Subscription['status'], { label: string; color: string }> = {
  trialing: { label: 'Trial', color: 'cyan' },
  active: { label: 'Active', color: 'green' },
  past_due: { label: 'Past due', color: 'orange' },
  paused: { label: 'Paused', color: 'gray' },
  canceled: { label: 'Canceled', color: 'gray' },
};

export const INVOICE_STATUS: Record<Invoice['status'], { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'gray' },
  open: { label: 'Open', color: 'blue' },
  paid: { label: 'Paid', color: 'green' },
  void: { label: 'Void', color: 'gray' },
  uncollectible: { label: 'Uncollectible', color: 'red' },
};

export const PAYMENT_METHOD: Record<Payment['method'], string> = {
  card: 'Card',
  cash: 'Cash',
  bank_transfer: 'Bank transfer',
  other: 'Other',
};

const UNIT: Record<Subscription['interval'], string> = { day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' };

/** "per month", "every 3 months". */
export function perInterval(interval: Subscription['interval'], count: number): string {
  return count === 1 ? `per ${UNIT[interval]}` : `every ${count} ${UNIT[interval]}s`;
}
