import type { InsightTable } from '@shared/contract/insights-lists';
import type { Exporter } from './exporter';

/** An insight table (insights.export): the same rows as the app's table and `recurra insights … --json`. */
function insightExporter(table: InsightTable, rangeMeans: string, usesRange: boolean): Exporter {
  return {
    rangeMeans,
    filters: [],
    usesRange,
    run: (ctx, { from, to, bom }) => ctx.call('insights.export', { table, bom, ...(from ? { from } : {}), ...(to ? { to } : {}) }, { from: '--from', to: '--to', table: 'KIND' }),
  };
}

const PERIOD = 'the period looked at (default: the 90 days ending --to, which defaults to today)';

/** `recurra export insights-…`: every insight table as CSV. */
export const INSIGHT_EXPORTERS = {
  'insights-churn': insightExporter('churn', "nothing: today's churn risk of every paying customer", false),
  'insights-ltv': insightExporter('ltv', "nothing: today's lifetime value of every paying customer", false),
  'insights-best-sellers': insightExporter('best-sellers', PERIOD, true),
  'insights-demand': insightExporter('demand', `${PERIOD}; the weeks ahead follow it`, true),
  'insights-anomalies': insightExporter('anomalies', PERIOD, true),
  'insights-forecast': insightExporter('forecast', 'nothing: the history and the next 6 months as of today', false),
};
