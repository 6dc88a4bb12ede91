import { MOVEMENT_KINDS } from '@shared/contract/metrics';

// The dashboard's numbers in plain words, for owners who are not accountants
// (the definitions are spec/billing.md section 8).

export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export { MOVEMENT_KINDS };

export const METRIC_HELP = {
  mrr: 'Monthly recurring revenue: what your paying subscriptions bring in each month. Yearly, quarterly and weekly plans are converted to a monthly amount; discounts are taken off, tax is not included. Free trials, paused and canceled subscriptions do not count.',
  arr: 'Annual run rate: your MRR × 12. What a year of subscriptions brings in if nothing changes.',
  active:
    'Customers with at least one paid subscription running today, including those whose last card payment failed and is being retried. Customers in a free trial are counted separately.',
  churn:
    'Of the customers who were paying at the start of the month, the share who have stopped paying since. Lower is better. It is blank when nobody was paying at the start of the month.',
  revenue:
    'Money actually received in the month: card and manual payments, minus refunds. Unlike MRR it is cash in the bank, not a monthly promise.',
  arpa: 'Average revenue per account: MRR divided by the number of active subscribers. What a typical paying customer is worth to you each month.',
  ltv: 'Lifetime value: roughly what a customer pays you over their whole time with you, estimated as ARPA ÷ the average monthly churn rate of the last 12 months. It needs at least one customer to have left in those months, and it is a rough guide, not a promise.',
  netMrrChurn:
    'Recurring revenue lost from existing customers this month (cancellations and downgrades) minus what existing customers added (upgrades), as a share of MRR at the start of the month. Lower is better; below zero means upgrades more than made up for what was lost.',
  mrrAtRisk: 'The monthly revenue of the subscriptions behind these invoices: it is lost if the payment keeps failing and the subscription is canceled.',
  arAging: 'What customers owe you on unpaid invoices, grouped by how long ago the invoice was due.',
  trials: 'Customers trying a plan for free. They count in no revenue figure until their first paid period starts.',
} as const;

export const MOVEMENT_LABELS: Record<MovementKind, string> = {
  new: 'New',
  reactivation: 'Reactivation',
  expansion: 'Expansion',
  contraction: 'Contraction',
  churn: 'Churn',
};

/** What each movement means, in a line. */
export const MOVEMENT_HELP: Record<MovementKind, string> = {
  new: 'Customers paying for the first time.',
  reactivation: 'Customers who had left and are paying again.',
  expansion: 'Existing customers now paying more (an upgrade, more seats).',
  contraction: 'Existing customers now paying less (a downgrade, fewer seats).',
  churn: 'Customers who stopped paying (canceled, or their payment failed for good).',
};

/** Gains add to MRR, losses take from it. */
export const MOVEMENT_SIGN: Record<MovementKind, 1 | -1> = { new: 1, reactivation: 1, expansion: 1, contraction: -1, churn: -1 };

/** "churned in", "new in"…: for "No customers churned in Mar 2026". */
export const MOVEMENT_VERBS: Record<MovementKind, string> = {
  new: 'started paying in',
  reactivation: 'came back in',
  expansion: 'upgraded in',
  contraction: 'downgraded in',
  churn: 'churned in',
};

export function isMovementKind(value: string | null | undefined): value is MovementKind {
  return (MOVEMENT_KINDS as readonly string[]).includes(value ?? '');
}
