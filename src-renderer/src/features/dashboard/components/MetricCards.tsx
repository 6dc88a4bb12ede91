import { SimpleGrid } from '@mantine/core';
import type { Dashboard } from '@shared/contract/metrics';
import { addDays } from '@shared/domain/dates';
import { useDates } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { SUBSCRIBED_CUSTOMERS, monthRange, reportLink } from '../drill';
import { describeChange, formatRate, metricChange, type Better, type MetricUnit } from '../metric-change';
import { METRIC_HELP, type MovementKind } from '../metric-help';
import { MetricCard } from './MetricCard';

interface MetricCardsProps {
  dashboard: Dashboard;
  /** Whether the as-of date is in the current month ("this month") or a past one ("in Mar 2026"). */
  current: boolean;
  onMovements: (month: string, kind: MovementKind | null) => void;
}

/** The eight headline numbers, each with its change since last month and a click down to the customers behind it. */
export function MetricCards({ dashboard, current, onMovements }: MetricCardsProps) {
  const money = useMoney();
  const dates = useDates();
  const { summary, previous, asOf } = dashboard;
  const month = summary.month;
  const inMonth = current ? 'this month' : `in ${dates.month(month)}`;
  const lastMonth = dates.month(previous.month);
  const lastMonthName = monthName(previous.month, money.locale);

  const compare = (now: number | null, before: number | null, unit: MetricUnit, better: Better, show: (v: number | null) => string) => {
    const change = metricChange(now, before, unit, better);
    const versus = before === null ? `No figure for ${lastMonthName}` : `vs ${show(before)} in ${lastMonthName}`;
    return { change, changeText: describeChange(change, unit, money.format), previousText: `Last month (${lastMonth}): ${show(before)}`, versus };
  };
  const moneyText = (v: number | null) => (v === null ? '—' : money.format(v));
  // Part of a month (the one in progress) against the same days of last month (the 1st to the same day), not the whole of it.
  const partMonth = addDays(asOf, 1).slice(0, 7) === asOf.slice(0, 7);
  const compareSameDays = () => {
    const before = dashboard.revenueSameDaysLastMonth;
    const change = metricChange(summary.revenue, before, 'money', 'up');
    const days = `${lastMonthName} 1–${Number(asOf.slice(8, 10))}`;
    return { change, changeText: describeChange(change, 'money', money.format), previousText: `${days}: ${moneyText(before)}`, versus: `vs ${moneyText(before)} in ${days}` };
  };
  const countText = (v: number | null) => (v === null ? '—' : v.toLocaleString(money.locale));

  return (
    <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md" data-testid="metric-cards">
      <MetricCard
        testId="metric-mrr"
        label="MRR"
        help={METRIC_HELP.mrr}
        value={money.format(summary.mrr)}
        sub={`Monthly recurring revenue on ${dates.day(asOf)}`}
        {...compare(summary.mrr, previous.mrr, 'money', 'up', moneyText)}
        onOpen={() => onMovements(month, null)}
        openLabel={`See what moved MRR ${inMonth}, customer by customer`}
      />
      <MetricCard
        testId="metric-arr"
        label="ARR"
        help={METRIC_HELP.arr}
        value={money.format(summary.arr)}
        sub="MRR × 12"
        {...compare(summary.arr, previous.arr, 'money', 'up', moneyText)}
        onOpen={() => onMovements(month, null)}
        openLabel={`See what moved MRR ${inMonth}, customer by customer`}
      />
      <MetricCard
        testId="metric-active"
        label="Active subscribers"
        help={METRIC_HELP.active}
        value={countText(summary.activeSubscribers)}
        sub={summary.trialingSubscribers > 0 ? `+ ${countText(summary.trialingSubscribers)} in a free trial` : 'No one in a free trial'}
        {...compare(summary.activeSubscribers, previous.activeSubscribers, 'count', 'up', countText)}
        to={SUBSCRIBED_CUSTOMERS}
        openLabel="See who has a subscription"
      />
      <MetricCard
        testId="metric-churn"
        label="Churn rate"
        help={METRIC_HELP.churn}
        value={formatRate(summary.churnRate)}
        sub={summary.churnRate === null ? 'Nobody was paying at the start of the month' : `Of the customers paying on ${dates.day(addDays(`${month}-01`, -1))}`}
        {...compare(summary.churnRate, previous.churnRate, 'percent', 'down', formatRate)}
        onOpen={() => onMovements(month, 'churn')}
        openLabel={`See who churned ${inMonth}`}
      />
      <MetricCard
        testId="metric-revenue"
        label={current ? 'Revenue this month' : `Revenue, ${dates.month(month)}`}
        help={METRIC_HELP.revenue}
        value={money.format(summary.revenue)}
        sub={`Payments less refunds, ${dates.month(month)} ${current ? 'so far' : ''}`.trim()}
        {...(partMonth ? compareSameDays() : compare(summary.revenue, previous.revenue, 'money', 'up', moneyText))}
        to={reportLink('payments', monthRange(month, asOf))}
        openLabel={`See the payments and refunds ${inMonth}`}
      />
      <MetricCard
        testId="metric-arpa"
        label="ARPA"
        help={METRIC_HELP.arpa}
        value={money.format(summary.arpa)}
        sub="Average MRR per active subscriber"
        {...compare(summary.arpa, previous.arpa, 'money', 'up', moneyText)}
        to={SUBSCRIBED_CUSTOMERS}
        openLabel="See who has a subscription"
      />
      <MetricCard
        testId="metric-ltv"
        label="LTV"
        help={METRIC_HELP.ltv}
        value={moneyText(summary.ltv)}
        sub={summary.ltv === null ? 'Needs a customer to have churned in the last 12 months' : 'ARPA ÷ monthly churn over 12 months'}
        {...compare(summary.ltv, previous.ltv, 'money', 'up', moneyText)}
        onOpen={() => onMovements(month, 'churn')}
        openLabel={`See who churned ${inMonth}`}
      />
      <MetricCard
        testId="metric-net-mrr-churn"
        label="Net MRR churn"
        help={METRIC_HELP.netMrrChurn}
        value={formatRate(summary.netMrrChurn)}
        sub={summary.netMrrChurn === null ? 'No MRR at the start of the month' : `Of ${money.format(summary.mrrAtStart)} MRR at the start of the month`}
        {...compare(summary.netMrrChurn, previous.netMrrChurn, 'percent', 'down', formatRate)}
        onOpen={() => onMovements(month, null)}
        openLabel={`See the upgrades, downgrades and cancellations ${inMonth}`}
      />
    </SimpleGrid>
  );
}

/** "2026-03" -> "March": last month, named. */
function monthName(month: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}
