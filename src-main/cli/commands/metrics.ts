import type { Command } from 'commander';
import { metricsDocument, type MetricsSummary } from '@shared/contract/metrics';
import { amountRows } from '../billing-text';
import type { CliContext } from '../context';
import { formatFields, moneyText, type CommandOutput } from '../output';
import { parseDate } from '../parse';
import type { Runner } from '../program';

export function registerMetricsCommands(program: Command, run: Runner): void {
  program
    .command('metrics')
    .description("the dashboard's numbers as of a date (spec/billing.md 8): MRR, subscribers, churn, revenue and movements of that date's month, AR aging")
    .requiredOption('--as-of <date>', 'the day, YYYY-MM-DD; the month is the month of that day, up to it')
    .action(run(showMetrics));
}

async function showMetrics(ctx: CliContext, opts: { asOf: string }): Promise<CommandOutput> {
  const asOf = parseDate(opts.asOf, 'asOf', '--as-of');
  await ctx.login();
  const m = await ctx.call('metrics.summary', { asOf }, { asOf: '--as-of' });
  return { json: metricsJson(m), human: metricsText(m) };
}

/** Exactly the document of spec/cli.md (src-shared, so GET /v1/metrics answers the same). */
export const metricsJson = metricsDocument;

/** The same numbers for people: money formatted, the churn rate as a percentage (n/a when nobody was paying at the month's start). */
export function metricsText(m: MetricsSummary): string {
  const money = (minor: number) => moneyText(minor, m.currency);
  const { movements: mv, arAging: ar } = m;
  const indent = (text: string) => text.replace(/^/gm, '  ');
  return [
    `Metrics as of ${m.asOf} (${m.currency})`,
    formatFields([
      ['MRR', money(m.mrr)],
      ['ARR', money(m.arr)],
      ['Active subscribers', String(m.activeSubscribers)],
      ['Trialing subscribers', String(m.trialingSubscribers)],
      [`Churn rate (${m.month})`, formatPercent(m.churnRate)],
      [`Revenue (${m.month})`, money(m.revenue)],
    ]),
    '',
    `MRR movements in ${m.month}:`,
    indent(
      amountRows([
        ['New', money(mv.new)],
        ['Reactivation', money(mv.reactivation)],
        ['Expansion', money(mv.expansion)],
        ['Contraction', money(-mv.contraction)],
        ['Churn', money(-mv.churn)],
        ['Net', money(mv.net)],
      ]),
    ),
    '',
    'Accounts receivable by days past due:',
    indent(
      amountRows([
        ['Current', money(ar.current)],
        ['1-30 days', money(ar.d1to30)],
        ['31-60 days', money(ar.d31to60)],
        ['61-90 days', money(ar.d61to90)],
        ['Over 90 days', money(ar.over90)],
      ]),
    ),
  ].join('\n');
}

/** A churn rate for people: "3.45%", or "n/a" when nobody could churn. */
function formatPercent(rate: number | null): string {
  return rate === null ? 'n/a' : `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(rate)}%`;
}
