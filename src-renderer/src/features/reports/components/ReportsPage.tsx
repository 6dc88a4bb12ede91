import { EmptyState, Group, Pagination, Paper, Select, Stack, Tabs, Text } from '@mantine/core';
import { IconChartBar, IconChartLine, IconTable } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { ReportKind } from '@shared/contract/reports';
import { CenteredLoader } from '../../../components/CenteredLoader';
import { PageHeader } from '../../../components/PageHeader';
import { QueryError } from '../../../components/QueryError';
import { useSession } from '../../../lib/auth';
import { useDates, useToday } from '../../../lib/dates';
import { useMoney } from '../../../lib/money';
import { REPORT_PAGE, useReportPage } from '../api/use-report';
import { describeRange, type CellFormat } from '../report-format';
import { KIND_ORDER, REPORTS } from '../report-kinds';
import { rangeInput, rangeProblem, readReportQuery, writeReportQuery, type ReportQuery } from '../report-range';
import { ExportReportButton } from './ExportReportButton';
import { ForecastPanel } from './ForecastPanel';
import { ReportRangePicker } from './ReportRangePicker';
import { ReportTable } from './ReportTable';

const KIND_GROUPS = [
  { group: 'Figures', items: KIND_ORDER.filter((k) => REPORTS[k].mode !== 'records').map((k) => ({ value: k, label: REPORTS[k].label })) },
  { group: 'Records', items: KIND_ORDER.filter((k) => REPORTS[k].mode === 'records').map((k) => ({ value: k, label: REPORTS[k].label })) },
];

/** Pick a report and a range, page through it, export it whole as CSV. `accountantExport`: the zip of everything, offered beside. */
export function ReportsPage({ accountantExport }: { accountantExport?: ReactNode }) {
  const today = useToday();
  const money = useMoney();
  const dates = useDates();
  const { business } = useSession();
  const [params, setParams] = useSearchParams();
  const query = readReportQuery(params, today);
  const queryKey = writeReportQuery(query).toString();
  const [paging, setPaging] = useState({ key: queryKey, page: 0 });
  const page = paging.key === queryKey ? paging.page : 0;
  const problem = rangeProblem(query);
  const range = rangeInput(query);
  const forecastView = params.get('view') === 'forecast';
  const first = useReportPage(query.kind, range, 0, problem === null && !forecastView);
  const later = useReportPage(query.kind, range, page, problem === null && page > 0 && !forecastView);
  const shown = page === 0 ? first : later;
  const total = first.data?.total ?? 0;

  const choose = (next: ReportQuery) => setParams(writeReportQuery(next), { replace: false });
  const chooseKind = (kind: ReportKind) => choose(readReportQuery(new URLSearchParams({ kind }), today));
  const format: CellFormat = { money: money.format, day: dates.day, month: dates.month, locale: business.locale || 'en-US' };
  const info = REPORTS[query.kind];
  const data = shown.data;

  return (
    <>
      <PageHeader title="Reports" description="Your revenue, growth and churn over time, and every record, ready to export as CSV." actions={accountantExport} />
      <Tabs value={forecastView ? 'forecast' : 'reports'} onChange={(v) => setParams(v === 'forecast' ? { view: 'forecast' } : writeReportQuery(query))} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="reports" leftSection={<IconTable size={15} />}>
            Reports
          </Tabs.Tab>
          <Tabs.Tab value="forecast" leftSection={<IconChartLine size={15} />}>
            Forecast
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="forecast">
          <ForecastPanel />
        </Tabs.Panel>
        <Tabs.Panel value="reports">
          <Stack gap="md">
            <Paper withBorder radius="md" p="md">
              <Group align="flex-end" gap="md" wrap="wrap">
                <Select
                  label="Report"
                  data={KIND_GROUPS}
                  value={query.kind}
                  onChange={(value) => value && chooseKind(value as ReportKind)}
                  allowDeselect={false}
                  w={290}
                  comboboxProps={{ width: 320 }}
                />
                <ReportRangePicker query={query} today={today} onChange={choose} error={problem} />
              </Group>
              <Text size="sm" c="dimmed" mt="sm">
                {info.description}
              </Text>
            </Paper>

            {first.isPending && problem === null && <CenteredLoader label="Loading the report" />}
            {first.isError && <QueryError title="Could not load the report" error={first.error} onRetry={() => void first.refetch()} />}
            {later.isError && <QueryError title="Could not load this page" error={later.error} onRetry={() => void later.refetch()} />}
            {first.data && data && (
              <Paper withBorder radius="md" opacity={shown.isPlaceholderData || first.isPlaceholderData ? 0.6 : 1} data-testid="report">
                <Group justify="space-between" px="md" py="sm" gap="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
                  <div>
                    <Text size="sm" fw={600}>
                      {REPORTS[first.data.kind].label}
                      <Text span c="dimmed" fw={400} size="sm">
                        {' · '}
                        {REPORTS[first.data.kind].mode === 'as-of' ? `as of ${first.data.to ? dates.day(first.data.to) : ''}` : describeRange(first.data.from, first.data.to, dates.day)}
                      </Text>
                    </Text>
                    <Text size="xs" c="dimmed" data-testid="report-count">
                      {total.toLocaleString(format.locale)} {total === 1 ? 'row' : 'rows'}
                      {total > REPORT_PAGE && ` · showing ${(page * REPORT_PAGE + 1).toLocaleString(format.locale)}–${Math.min(total, (page + 1) * REPORT_PAGE).toLocaleString(format.locale)}`}
                    </Text>
                  </div>
                  <ExportReportButton query={query} disabled={problem !== null || total === 0} />
                </Group>
                {total === 0 ? (
                  <EmptyState
                    py={48}
                    icon={<IconChartBar size={26} />}
                    title="Nothing in this range"
                    description="Try a longer range, or another report."
                    mx="auto"
                    maw={420}
                  />
                ) : (
                  <ReportTable columns={data.columns} rows={data.rows} totals={first.data.totals} format={format} />
                )}
              </Paper>
            )}
            {total > REPORT_PAGE && (
              <Group justify="flex-end">
                <Pagination total={Math.ceil(total / REPORT_PAGE)} value={page + 1} onChange={(p) => setPaging({ key: queryKey, page: p - 1 })} size="sm" />
              </Group>
            )}
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
