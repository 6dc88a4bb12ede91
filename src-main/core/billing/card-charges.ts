import type { CustomerBilling } from './invoice-writer';

/**
 * A card charge, as the billing run makes it: the amount and the idempotency
 * key of (invoice id, attempt) that a payment provider deduplicates by, so a
 * charge made twice (two PCs that both believed they were the billing PC, a
 * retry after a lost answer) is taken once. No provider is connected yet: the
 * outcome follows the customer's payment method (`card` pays, `card_declining`
 * is declined), as billing.md specifies for the simulated cards. A real
 * provider replaces this function and keeps its signature.
 */
export function chargeCard(paymentMethod: Exclude<CustomerBilling['payment_method'], 'manual'>, charge: { idempotencyKey: string; amount: number }): 'succeeded' | 'failed' {
  if (!charge.idempotencyKey) throw new Error('a card charge needs an idempotency key');
  return paymentMethod === 'card' ? 'succeeded' : 'failed';
}
