import { useCustomerStats } from '../api/use-customer-stats';
import { formatCount } from '../customer-format';

/** The page's subtitle: how many customers, how many active, how many new this month. */
export function CustomersSummary() {
  const stats = useCustomerStats();
  if (!stats.data || stats.data.total === 0) return 'The people and companies you bill.';
  const { total, active, newThisMonth, withSubscriptions } = stats.data;
  return [
    `${formatCount(total)} in all`,
    `${formatCount(active)} active`,
    `${formatCount(withSubscriptions)} with a subscription`,
    `${formatCount(newThisMonth)} new this month`,
  ].join(' · ');
}
