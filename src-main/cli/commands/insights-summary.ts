import type { Command } from 'commander';
import type { SummaryOutput } from '@shared/contract/insights-summary';
import type { CliContext } from '../context';
import type { CommandOutput } from '../output';
import { parseDate } from '../parse';
import type { Runner } from '../program';

// `recurra insights summary [--as-of D]` (spec/cli.md "Insights"): the dashboard's
// summary card; --json prints {text, facts}, each fact a figure of another command.

/** Adds `summary` to the `insights` command group. */
export function addSummaryCommand(group: Command, run: Runner): void {
  group
    .command('summary')
    .description("the dashboard's summary card in plain words, with the figures (facts) it cites")
    .option('--as-of <date>', 'the day, YYYY-MM-DD (default: today)')
    .action(run(showSummary));
}

async function showSummary(ctx: CliContext, opts: { asOf?: string }): Promise<CommandOutput> {
  const asOf = opts.asOf === undefined ? undefined : parseDate(opts.asOf, 'asOf', '--as-of');
  await ctx.login();
  const s = await ctx.call('insights.summary', asOf ? { asOf } : {}, { asOf: '--as-of' });
  return { json: { text: s.text, facts: s.facts }, human: summaryText(s) };
}

export function summaryText(s: SummaryOutput): string {
  return [`Summary as of ${s.asOf}`, '', ...s.sentences].join('\n');
}
