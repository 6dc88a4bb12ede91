import { formatMoney, isCurrencyCode } from '../domain/money';
import type { FeatureFacts, FeatureName } from './features';

// Each factor of a churn score in words, as the owner would say it.

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function moneyWords(minor: number, currency: string): string {
  return isCurrencyCode(currency) ? formatMoney(minor, currency) : `${minor} ${currency} (minor units)`;
}

function tenureWords(days: number): string {
  if (days < 61) return plural(days, 'day');
  if (days < 730) return plural(Math.floor(days / 30.44), 'month');
  return plural(Math.floor(days / 365.25), 'year');
}

/** What a feature's value is for this customer, in words ("2 failed payments in 60 days"). */
export function factWords(feature: FeatureName, f: FeatureFacts, currency: string): string {
  switch (feature) {
    case 'tenure':
      return `customer for ${tenureWords(f.tenureDays)}`;
    case 'monthlyPlan':
      return f.monthlyPlan ? 'pays monthly (or more often)' : 'pays by the quarter or the year';
    case 'mrr':
      return `pays ${moneyWords(f.mrr, currency)} a month`;
    case 'mrrChange': {
      const before = f.mrr90DaysBefore;
      if (before <= 0) return 'new in the last 90 days';
      if (before === f.mrr) return 'MRR unchanged in 90 days';
      const pct = Math.round((Math.abs(f.mrr - before) / before) * 100);
      return `MRR ${f.mrr < before ? 'down' : 'up'} ${pct}% in 90 days`;
    }
    case 'failedPayments':
      return f.failedPayments60 === 0 ? 'no failed payment in 60 days' : `${plural(f.failedPayments60, 'failed payment')} in 60 days`;
    case 'daysPastDue':
      return f.daysPastDue === 0 ? 'nothing past due' : `an invoice ${plural(f.daysPastDue, 'day')} past due`;
    case 'pauses':
      return f.pauses365 === 0 ? 'no pause in the last year' : `paused ${plural(f.pauses365, 'time')} in the last year`;
    case 'couponEnding':
      return f.couponEndsInDays === null ? 'no discount ending soon' : `a discount ends in ${plural(f.couponEndsInDays, 'day')}`;
    case 'notes':
      return f.notes90 === 0 ? 'no note, call or email logged in 90 days' : `${plural(f.notes90, 'note, call or email', 'notes, calls or emails')} logged in 90 days`;
    case 'daysSinceLastPayment':
      return f.daysSinceLastPayment === null ? 'no payment received yet' : `last payment ${plural(f.daysSinceLastPayment, 'day')} ago`;
    case 'salesActivity':
      return f.sales90 === 0 ? 'no counter purchase in 90 days' : `${plural(f.sales90, 'counter purchase')} in 90 days`;
  }
}

/** "… : +18 points"; under half a point, which way it leans ("…: lowers it by less than a point"). */
export function factorText(words: string, effect: number, exact = effect): string {
  if (effect === 0) return `${words}: ${exact < 0 ? 'lowers' : 'raises'} it by less than a point`;
  return `${words}: ${effect > 0 ? '+' : '−'}${plural(Math.abs(effect), 'point')}`;
}

/** A single feature used as a ranking rule, in words, for the backtest's baseline. */
export function ruleWords(feature: FeatureName, higherFirst: boolean): string {
  const rules: Record<FeatureName, [string, string]> = {
    tenure: ['the longest customers first', 'the newest customers first'],
    monthlyPlan: ['monthly payers first', 'quarterly and yearly payers first'],
    mrr: ['the biggest payers first', 'the smallest payers first'],
    mrrChange: ['the biggest MRR increases first', 'the biggest MRR drops (downgrades) first'],
    failedPayments: ['the most failed payments in 60 days first', 'the fewest failed payments first'],
    daysPastDue: ['the longest past due first', 'the least past due first'],
    pauses: ['the most pauses in a year first', 'the fewest pauses first'],
    couponEnding: ['a discount ending within 60 days first', 'no discount ending first'],
    notes: ['the most notes, calls and emails first', 'the fewest notes, calls and emails first'],
    daysSinceLastPayment: ['the longest since a payment first', 'the most recent payment first'],
    salesActivity: ['the most counter purchases first', 'the fewest counter purchases first'],
  };
  return rules[feature][higherFirst ? 0 : 1];
}
