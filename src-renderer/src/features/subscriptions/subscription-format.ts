import type { SubscriptionStatus } from '@shared/domain/billing';

export const STATUS_LABELS: Record<SubscriptionStatus, string> = {
  trialing: 'Trialing',
  active: 'Active',
  past_due: 'Past due',
  paused: 'Paused',
  canceled: 'Canceled',
};

export const STATUS_COLORS: Record<SubscriptionStatus, string> = {
  trialing: 'cyan',
  active: 'green',
  past_due: 'orange',
  paused: 'gray',
  canceled: 'red',
};

export const STATUS_HINTS: Record<SubscriptionStatus, string> = {
  trialing: 'In the free trial: nothing is invoiced until it ends.',
  active: 'Billed at the start of every period.',
  past_due: 'A payment failed; it is retried on the dunning schedule.',
  paused: 'No period starting while paused is invoiced.',
  canceled: 'No longer billed.',
};

const EVENT_LABELS: Record<string, string> = {
  created: 'Subscribed',
  changed: 'Plan or quantity changed',
  trial_ended: 'Trial ended',
  payment_failed: 'Payment failed',
  recovered: 'Payment recovered',
  canceled: 'Canceled',
  canceled_at_period_end: 'Canceled at period end',
  canceled_unpaid: 'Canceled: unpaid after the last retry',
  paused: 'Paused',
  resumed: 'Resumed',
  reactivated: 'Reactivated',
};

/** A history event for people; unknown events are spelled out from their name. */
export function describeEvent(event: string): string {
  const known = EVENT_LABELS[event];
  if (known) return known;
  const words = event.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "Gold" or "Gold × 3". */
export function planWithQuantity(planName: string, quantity: number): string {
  return quantity > 1 ? `${planName} × ${quantity}` : planName;
}
