import type { Command, OptionValues } from 'commander';
import type { RunSummary } from '@shared/domain/billing';
import { dateInTimeZone } from '@shared/domain/dates';
import { loginToBusiness } from '../billing-support';
import { plural } from '../billing-text';
import type { CliContext } from '../context';
import { formatTable, moneyText, type CommandOutput } from '../output';
import { parseDate, parseWholeNumber } from '../parse';
import type { Runner } from '../program';

interface SimulateOptions {
  months: string;
  from?: string;
}

export function registerBillingCommands(program: Command, run: Runner): void {
  const billing = program.command('billing').description('issue invoices and collect payments, as the app does on its timer');

  billing
    .command('run')
    .description('run billing up to a date: invoices due, card attempts and retries, cancellations (staff or owner)')
    .requiredOption('--as-of <date>', 'everything due on or before this date, YYYY-MM-DD')
    .action(run(runBilling));

  billing
    .command('simulate')
    .description('the invoices and amounts of the coming months, writing nothing')
    .requiredOption('--months <n>', 'how many months, 1 to 36')
    .option('--from <date>', "the first day, YYYY-MM-DD (default: today in the business's time zone)")
    .action(run(simulateBilling));

  billing.command('status').description('whether billing is running, and the last runs').action(run(billingStatus));
}

async function runBilling(ctx: CliContext, opts: { asOf: string }): Promise<CommandOutput> {
  const asOf = parseDate(opts.asOf, 'asOf', '--as-of');
  await ctx.login();
  const summary = await ctx.call('billing.run', { asOf }, { asOf: '--as-of' });
  return { json: summary, human: runSentence(summary) };
}

/** "Billing as of 2026-03-01: 3 invoices issued, 1 payment succeeded, 1 failed, no subscription canceled." */
export function runSentence(s: RunSummary): string {
  const canceled = s.subscriptionsCanceled ? plural(s.subscriptionsCanceled, 'subscription') : 'no subscription';
  return (
    `Billing as of ${s.asOf}: ${plural(s.invoicesIssued, 'invoice')} issued, ` +
    `${plural(s.paymentsSucceeded, 'payment')} succeeded, ${s.paymentsFailed} failed, ${canceled} canceled.`
  );
}

async function simulateBilling(ctx: CliContext, opts: SimulateOptions): Promise<CommandOutput> {
  const months = parseWholeNumber(opts.months, 'months', '--months', 'Give a whole number of months, like 12');
  const given = opts.from === undefined ? undefined : parseDate(opts.from, 'from', '--from');
  const { business } = await loginToBusiness(ctx);
  // The CLI is an edge: it may read the clock, as the app's timer does, for "today" in the business's zone.
  const from = given ?? dateInTimeZone(new Date(), business.timezone);
  const result = await ctx.call('billing.simulate', { months, from }, { months: '--months', from: '--from' });
  const money = (minor: number) => moneyText(minor, result.currency);
  const total = result.months.reduce((sum, m) => ({ invoices: sum.invoices + m.invoices, amount: sum.amount + m.amount, collected: sum.collected + m.collected }), {
    invoices: 0,
    amount: 0,
    collected: 0,
  });
  const table = formatTable([...result.months, { month: 'Total', ...total }], [
    { header: 'MONTH', value: (m) => m.month },
    { header: 'INVOICES', value: (m) => String(m.invoices), align: 'right' },
    { header: 'AMOUNT', value: (m) => money(m.amount), align: 'right' },
    { header: 'COLLECTED', value: (m) => money(m.collected), align: 'right' },
  ]);
  return {
    json: result,
    human: `The next ${plural(months, 'month')} from ${result.from}, if nothing changes (nothing was written):\n${table}`,
  };
}

async function billingStatus(ctx: CliContext, _opts: OptionValues): Promise<CommandOutput> {
  await ctx.login();
  const status = await ctx.call('billing.status', {});
  const last = status.lastRun;
  const lastText = last
    ? `Last run: ${last.trigger} as of ${last.asOf}, ${last.status}${last.finishedAt ? ` at ${last.finishedAt}` : ''}${last.error ? ` (${last.error})` : ''}.\n${runSentence(last)}`
    : 'Billing has not run yet.';
  return { json: status, human: `${status.running ? 'Billing is running now.' : 'Billing is not running now.'}\n${lastText}` };
}
