import { keepPreviousData } from '@tanstack/react-query';
import type { ReportKind } from '@shared/contract/reports';
import { useRpcQuery } from '../../../lib/query';
import type { DateRange } from '../report-range';

export const REPORT_PAGE = 50;

/**
 * One page of a report. The first page also counts the rows and sums the
 * columns (later pages skip it and the page keeps the first page's totals).
 * `reports.` queries refresh on any change to the business's data (lib/query.ts).
 */
export function useReportPage(kind: ReportKind, range: DateRange, page: number, enabled: boolean) {
  const input = { kind, ...range, offset: page * REPORT_PAGE, limit: REPORT_PAGE, withTotals: page === 0 };
  return useRpcQuery('reports.view', input, { placeholderData: keepPreviousData, enabled, staleTime: 0 });
}
