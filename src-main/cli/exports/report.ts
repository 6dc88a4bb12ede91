import type { ReportKind } from '@shared/contract/reports';
import type { Exporter } from './exporter';

/**
 * A KIND the core's reports write (reports.export): --from and --to go to the
 * core as they are, which applies the defaults (contract REPORT_KINDS) and
 * checks the range, so the CLI and the Reports page can never disagree.
 */
export function reportExporter(kind: ReportKind, rangeMeans: string, opts: { usesFrom?: boolean } = {}): Exporter {
  return {
    rangeMeans,
    filters: [],
    usesFrom: opts.usesFrom ?? true,
    run: (ctx, { from, to, bom }) => ctx.call('reports.export', { kind, from, to, bom }, { from: '--from', to: '--to', kind: 'KIND' }),
  };
}

/** What --from and --to select for each report KIND, for `recurra export --help`. */
export const REPORT_EXPORTERS = {
  subscriptions: reportExporter('subscriptions', 'the subscriptions started in the range (default: all), with their MRR at its end (or today)'),
  invoices: reportExporter('invoices', 'the invoices issued in the range (default: all)'),
  payments: reportExporter('payments', 'the payments and refunds dated in the range (default: all); refunds are their own rows, negative'),
  revenue: reportExporter('revenue', 'the months of the range (default: the 12 months ending --to, which defaults to today)'),
  'mrr-movements': reportExporter('mrr-movements', 'the months of the range (default: the 12 months ending --to, which defaults to today)'),
  'ar-aging': reportExporter('ar-aging', 'the day: the invoices open at the end of --to (default: today); --from is refused', { usesFrom: false }),
  sales: reportExporter('sales', 'the sales made in the range (default: all)'),
  'mrr-movements-by-customer': reportExporter('mrr-movements-by-customer', "each customer's movement in each month of the range (default: the month of --to, which defaults to today)"),
} satisfies Partial<Record<ReportKind, Exporter>>;
