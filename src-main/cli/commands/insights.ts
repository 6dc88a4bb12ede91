import type { Command } from 'commander';
import type { ChurnResultDto, LtvResultDto } from '@shared/contract/insights';
import type { CliContext } from '../context';
import { formatTable, moneyText, type CommandOutput } from '../output';
import { parseDate, parseWholeNumber } from '../parse';
import type { Runner } from '../program';
import { addSalesInsightCommands } from './insights-sales';
import { addSummaryCommand } from './insights-summary';

// `recurra insights …` (spec/cli.md "Insights"): models computed on this PC from the
// business's own books. This file makes the group and its churn and ltv commands; other
// insights add theirs to the group it returns.

/** Creates the `insights` command group with `churn` and `ltv`, and returns it for more subcommands. */
export function insightsCommand(program: Command, run: Runner): Command {
  const group = program.command('insights').description("what the business's own books say: who may leave, what a customer is worth (computed on this PC, offline)");
  group
    .command('churn')
    .description('churn risk of each paying customer: the chance in % of canceling within 90 days, with its top 3 reasons')
    .option('--as-of <date>', 'the day, YYYY-MM-DD (default: today)')
    .option('--top <n>', 'only the N riskiest customers')
    .action(run(showChurn));
  group
    .command('ltv')
    .description('lifetime value of each paying customer (or one), with how it was worked out')
    .option('--customer <id>', 'only this customer')
    .action(run(showLtv));
  return group;
}

/** The AREAS entry of program.ts: churn and LTV here, the forecast, anomalies and products from insights-sales.ts. */
export function registerInsightsCommands(program: Command, run: Runner): void {
  const group = insightsCommand(program, run);
  addSalesInsightCommands(group, run);
  addSummaryCommand(group, run);
}

async function showChurn(ctx: CliContext, opts: { asOf?: string; top?: string }): Promise<CommandOutput> {
  const asOf = opts.asOf === undefined ? undefined : parseDate(opts.asOf, 'asOf', '--as-of');
  const top = opts.top === undefined ? undefined : parseWholeNumber(opts.top, 'top', '--top', 'Use a whole number of customers, 1 or more');
  await ctx.login();
  const result = await ctx.call('insights.churn', { ...(asOf ? { asOf } : {}), ...(top !== undefined ? { top } : {}) }, { asOf: '--as-of', top: '--top' });
  return { json: result, human: churnText(result) };
}

async function showLtv(ctx: CliContext, opts: { customer?: string }): Promise<CommandOutput> {
  await ctx.login();
  const result = await ctx.call('insights.ltv', opts.customer === undefined ? {} : { customerId: opts.customer }, { customerId: '--customer' });
  return { json: { asOf: result.asOf, customers: result.customers }, human: ltvText(result, opts.customer !== undefined) };
}

export function churnText(r: ChurnResultDto): string {
  if (!r.ready || !r.model) return `Churn risk as of ${r.asOf}: not ready.\n${r.reason ?? ''}`;
  const lines = [`Churn risk as of ${r.asOf}: the chance in % that each paying customer cancels within 90 days.`, r.model.bands.text, r.model.backtest, ''];
  if (r.customers.length === 0) lines.push('No paying customer on that day.');
  else {
    lines.push(
      formatTable(r.customers, [
        { header: 'Score', value: (c) => String(c.score), align: 'right' },
        { header: 'Risk', value: (c) => c.band },
        { header: 'Customer', value: (c) => c.name },
        { header: 'Why', value: (c) => c.factors.map((f) => f.text).join('; ') },
      ]),
    );
  }
  return lines.join('\n');
}

export function ltvText(r: LtvResultDto, oneCustomer: boolean): string {
  const lines = [`Lifetime value as of ${r.asOf}: what a paying customer is expected to bring in before leaving.`, ''];
  for (const c of r.customers) lines.push(`${c.customerId}  ${c.ltv === null ? 'n/a' : moneyText(c.ltv, c.currency)}`, `  ${c.basis}`);
  if (r.customers.length === 0) lines.push('No paying customer on that day.');
  if (!oneCustomer && r.segments.length > 0) {
    lines.push('', 'By segment:');
    for (const s of r.segments) lines.push(`  ${s.segment}: ${s.payingCustomers} paying; ${s.basis}`);
  }
  return lines.join('\n');
}
