import type { Payment } from '@shared/domain/billing';

const METHODS: Record<Payment['method'], string> = { card: 'Card', cash: 'Cash', bank_transfer: 'Bank transfer', other: 'Other' };

/**
 * How a payment was made, in an owner's words. A card payment with an attempt
 * number was charged by a billing run (or a dunning retry); one without was
 * recorded by hand (a card taken at the desk). A refund goes back the way
 * the payment came: its method alone.
 */
export function paymentMethodLabel(payment: Pick<Payment, 'method' | 'attempt'> & { kind?: 'payment' | 'refund' }): string {
  if (payment.method === 'card' && payment.kind !== 'refund') return payment.attempt !== null ? 'Card (automatic)' : 'Card (by hand)';
  return METHODS[payment.method];
}

/** The status of a payment row: a refund, a failed attempt, or how much of a payment is still kept. */
export function paymentStatus(payment: Pick<Payment, 'status' | 'amount' | 'amountRefunded'> & { kind?: 'payment' | 'refund' }): {
  label: string;
  color: string;
} {
  if (payment.kind === 'refund') return { label: 'Refund', color: 'grape' };
  if (payment.status === 'failed') return { label: 'Failed', color: 'red' };
  if (payment.amountRefunded === 0) return { label: 'Succeeded', color: 'green' };
  return payment.amountRefunded === payment.amount ? { label: 'Refunded', color: 'gray' } : { label: 'Partly refunded', color: 'gray' };
}
