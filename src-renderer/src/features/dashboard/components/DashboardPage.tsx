import { Button, Grid, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconCalendarEvent } from '@tabler/icons-react';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { Dashboard } from '@shared/contract/metrics';
import { addDays } from '@shared/domain/dates';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { useSession } from '../../../lib/auth';
import { useDates, useToday } from '../../../lib/dates';
import { useCustomerStats } from '../api/use-customer-stats';
import { useDashboard } from '../api/use-dashboard';
import { usePlans } from '../api/use-plans';
import { visibleMonths } from '../chart-data';
import { asOfFrom, describeTrials, hasFigures } from '../dashboard-state';
import { METRIC_HELP, type MovementKind } from '../metric-help';
import { ArAging } from './ArAging';
import { FailedPayments } from './FailedPayments';
import { FirstRunGuide } from './FirstRunGuide';
import { ListPanel } from './ListPanel';
import { MetricCards } from './MetricCards';
import { MovementsDrawer } from './MovementsDrawer';
import { MrrBridge } from './MrrBridge';
import { TodaySales } from './TodaySales';
import { UpcomingRenewals } from './UpcomingRenewals';

// The charting library is large: the numbers show first, the charts follow.
const DashboardCharts = lazy(() => import('./DashboardCharts').then((m) => ({ default: m.DashboardCharts })));

/** How the business is doing as of a day (today unless picked): the numbers, the twelve months behind them, and what needs attention. */
export interface DashboardPageProps {
  /** Below the figures: the insights summary and alerts as of the day (the insights feature's, passed by the router). */
  insights?(asOf: string): ReactNode;
}

export function DashboardPage({ insights }: DashboardPageProps = {}) {
  const { business } = useSession();
  const today = useToday();
  const dates = useDates();
  const [params, setParams] = useSearchParams();
  const asOf = asOfFrom(params.get('asOf'), today);
  const dashboard = useDashboard(asOf);
  const [drawer, setDrawer] = useState<{ month: string; kind: MovementKind | null } | null>(null);
  const openMovements = (month: string, kind: MovementKind | null) => setDrawer({ month, kind });

  const pickAsOf = (value: string) => {
    const next = new URLSearchParams(params);
    if (!value || value >= today) next.delete('asOf');
    else next.set('asOf', value);
    setParams(next, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={asOf === today ? `How ${business.name} is doing today, ${dates.day(asOf)}.` : `How ${business.name} was doing on ${dates.day(asOf)}.`}
        actions={
          // Nothing to look back on yet: no date to pick.
          (!dashboard.data || hasFigures(dashboard.data)) && (
            <Group gap="xs" align="flex-end" wrap="nowrap">
              {asOf !== today && (
                <Button variant="subtle" size="sm" onClick={() => pickAsOf(today)}>
                  Back to today
                </Button>
              )}
              <TextInput
                type="date"
                label="As of"
                size="sm"
                value={asOf}
                max={today}
                onChange={(e) => pickAsOf(e.currentTarget.value)}
                leftSection={<IconCalendarEvent size={16} />}
                w={180}
              />
            </Group>
          )
        }
      />
      {dashboard.data && <TodaySales figures={dashboard.data.todaysSales} isToday={asOf === today} />}
      {dashboard.isPending && <CenteredLoader label="Counting" />}
      {dashboard.isError && <QueryError title="Could not work out the numbers" error={dashboard.error} onRetry={() => void dashboard.refetch()} />}
      {dashboard.data && !hasFigures(dashboard.data) && <FirstRun businessName={business.name} />}
      {dashboard.data && hasFigures(dashboard.data) && (
        <Stack gap="md" style={{ opacity: dashboard.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }} data-testid="dashboard" data-as-of={dashboard.data.asOf}>
          <MetricCards dashboard={dashboard.data} current={asOf.slice(0, 7) === today.slice(0, 7)} onMovements={openMovements} />
          {insights?.(asOf)}
          <Suspense fallback={<CenteredLoader label="Drawing the charts" />}>
            <DashboardCharts series={visibleMonths(dashboard.data.series)} asOf={dashboard.data.asOf} onMovements={openMovements} />
          </Suspense>
          {asOf !== today && (
            <Text size="sm" c="dimmed" data-testid="past-note">
              Failed payments and renewals come from today’s invoices and subscriptions; the figures, the charts and AR aging are as of{' '}
              {dates.day(asOf)}.
            </Text>
          )}
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Stack gap="md">
                <FailedPayments failed={dashboard.data.failedPayments} />
                <ListPanel
                  testId="upcoming-renewals"
                  title="Renewals in the next 30 days"
                  summary={`Invoices due by ${dates.day(addDays(dashboard.data.asOf, 30))}, before tax`}
                >
                  <UpcomingRenewals renewals={dashboard.data.upcomingRenewals} />
                </ListPanel>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Stack gap="md">
                <ListPanel testId="ar-aging" title="Unpaid invoices by age" help={METRIC_HELP.arAging} summary="Accounts receivable: click a line for the invoices">
                  <ArAging aging={dashboard.data.summary.arAging} asOf={dashboard.data.asOf} />
                </ListPanel>
                <ListPanel
                  testId="mrr-bridge"
                  title={`MRR in ${dates.month(dashboard.data.summary.month)}`}
                  summary="From the start of the month to now: click a line for its customers"
                >
                  <MrrBridge summary={dashboard.data.summary} onMovements={openMovements} />
                  <Trials dashboard={dashboard.data} />
                </ListPanel>
              </Stack>
            </Grid.Col>
          </Grid>
        </Stack>
      )}
      <MovementsDrawer target={drawer} asOf={asOf} onClose={() => setDrawer(null)} />
    </>
  );
}

function Trials({ dashboard }: { dashboard: Dashboard }) {
  const trialing = dashboard.summary.trialingSubscribers;
  const conversion = describeTrials(dashboard.trialConversion);
  return (
    <Text size="xs" c="dimmed" mt="sm" title={METRIC_HELP.trials} data-testid="trials">
      Free trials: {trialing === 0 ? 'nobody is in a trial now' : `${trialing} ${trialing === 1 ? 'customer' : 'customers'} trying a plan now`}
      {conversion ? ` · ${conversion} this month` : ''}
    </Text>
  );
}

/** The first-run guide, with the steps already done ticked. */
function FirstRun({ businessName }: { businessName: string }) {
  const plans = usePlans();
  const stats = useCustomerStats();
  return (
    <FirstRunGuide
      businessName={businessName}
      hasPlans={(plans.data?.length ?? 0) > 0}
      hasCustomers={(stats.data?.total ?? 0) > 0}
      hasSubscriptions={(stats.data?.withSubscriptions ?? 0) > 0}
    />
  );
}
