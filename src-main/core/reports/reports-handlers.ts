import type { ReportKind } from '@shared/contract/reports';
import { dateInTimeZone } from '@shared/domain/dates';
import type { CurrencyCode } from '@shared/domain/money';
import { getBusinessRow } from '../business/business-service';
import { exportFileName } from '../customers/customer-export';
import { defineHandlers } from '../define-handlers';
import type { SessionContext } from '../rpc';
import { resolveRange } from './range';
import { recordOf } from './report';
import { openReport } from './reports';
import { writeReportCsv } from './report-csv';

export const reportsHandlers = defineHandlers({
  'reports.view': (ctx, input) => {
    const { report, range, business } = reportFor(ctx, input);
    return {
      kind: input.kind,
      ...range,
      currency: business.currency,
      columns: [...report.columns],
      // Only the report's columns leave main, by key (rows carry their paging keys after them).
      rows: report.page(input.offset, input.limit).map((row) => recordOf(report.columns, row)),
      total: input.withTotals ? report.count() : null,
      totals: input.withTotals ? report.totals() : null,
    };
  },
  'reports.export': async (ctx, input) => {
    // The range is checked before a file is asked for: a refused export leaves no empty file behind.
    const { report, business, today } = reportFor(ctx, input);
    const file = await ctx.exports.open(exportFileName(business.name, input.kind, today));
    if (!file) return { kind: input.kind, rows: 0, path: null, downloadUrl: null };
    const rows = await writeReportCsv(file, report.columns, business.currency as CurrencyCode, report.batches(), { bom: input.bom });
    return { kind: input.kind, rows, path: file.path, downloadUrl: file.downloadUrl };
  },
});

/** The report of a request, its range once defaults are applied (today is the business's). */
function reportFor(ctx: SessionContext, input: { kind: ReportKind; from?: string | undefined; to?: string | undefined }) {
  const business = getBusinessRow(ctx.db.orm);
  const today = dateInTimeZone(ctx.now, business.timezone);
  const range = resolveRange(input.kind, input, today);
  const report = openReport({ db: ctx.db, kind: input.kind, ...range, today, timezone: business.timezone });
  return { report, range, business, today };
}
