import type { Command } from 'commander';
import type { Input } from '@shared/contract';
import type { AnomaliesOutput, ForecastOutput, ProductInsightsOutput } from '@shared/contract/insights-sales';
import type { CliContext, FlagNames } from '../context';
import { formatTable, moneyText, type CommandOutput } from '../output';
import { parseDate, parseWholeNumber } from '../parse';
import type { Runner } from '../program';

// `recurra insights forecast | anomalies | products` (spec/cli.md "Insights"):
// --json prints the documents of cli.md (with a few more fields: ready and
// reason, the backtest's details, the history); without it, the same in words.

const FORECAST_FLAGS: FlagNames = { months: '--months', asOf: '--as-of' };
const PERIOD_FLAGS: FlagNames = { from: '--from', to: '--to', customerId: '--customer' };

/** Adds forecast, anomalies and products to the `insights` command group. */
export function addSalesInsightCommands(group: Command, run: Runner): void {
  group
    .command('forecast')
    .description('monthly revenue (MRR + counter sales) for the next N months, with an 80% band and how well it did on your past')
    .requiredOption('--months <n>', 'how many months ahead (1-36)')
    .option('--as-of <date>', 'forecast from this day, YYYY-MM-DD (default: today)')
    .action(run(showForecast));
  group
    .command('anomalies')
    .description('days whose revenue, counter sales, refunds or failed payments were far from the usual for that weekday')
    .option('--from <date>', 'first day to check, YYYY-MM-DD (default: 90 days before --to)')
    .option('--to <date>', 'last day to check, YYYY-MM-DD (default: today)')
    .action(run(showAnomalies));
  group
    .command('products')
    .description('best sellers, weekly demand and stock running out, products bought together, and the next best products for a customer')
    .option('--customer <id>', 'suggest products for this customer')
    .option('--from <date>', 'best sellers from this day, YYYY-MM-DD (default: 90 days before --to)')
    .option('--to <date>', 'up to this day, YYYY-MM-DD (default: today)')
    .action(run(showProducts));
}

async function showForecast(ctx: CliContext, opts: { months: string; asOf?: string }): Promise<CommandOutput> {
  const input: Input<'insights.forecast'> = { months: parseWholeNumber(opts.months, 'months', '--months', 'Give a whole number of months, like 6') };
  if (opts.asOf !== undefined) input.asOf = parseDate(opts.asOf, 'asOf', '--as-of');
  await ctx.login();
  const f = await ctx.call('insights.forecast', input, FORECAST_FLAGS);
  return { json: forecastJson(f), human: forecastText(f) };
}

/** cli.md's `{asOf, method, months, backtest}` first, then ready/reason and the details. */
export function forecastJson(f: ForecastOutput) {
  return {
    asOf: f.asOf,
    method: f.method,
    months: f.months,
    backtest: f.backtest,
    ready: f.ready,
    ...(f.reason !== undefined ? { reason: f.reason } : {}),
    currency: f.currency,
    basis: f.basis,
    history: f.history,
  };
}

export function forecastText(f: ForecastOutput): string {
  if (!f.ready) return `No forecast as of ${f.asOf}: ${f.reason ?? ''}`;
  const money = (n: number) => moneyText(n, f.currency);
  const table = formatTable(f.months, [
    { header: 'Month', value: (m) => m.month },
    { header: 'Expected', value: (m) => money(m.mrr), align: 'right' },
    { header: 'Likely between (80%)', value: (m) => `${money(m.low)} – ${money(m.high)}` },
  ]);
  const last = f.history.at(-1);
  return [
    `Revenue forecast as of ${f.asOf} (${f.method === 'ets-damped-additive-seasonal' ? 'trend and yearly season' : 'trend'}, learnt from ${f.history.length} months)`,
    f.basis,
    last ? `Last complete month ${last.month}: ${money(last.mrr)}.` : '',
    '',
    table,
    '',
    'Each month has an 8-in-10 chance of landing between the two figures, if the business keeps behaving as it has.',
    f.backtest?.text ?? '',
  ]
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n');
}

async function showAnomalies(ctx: CliContext, opts: { from?: string; to?: string }): Promise<CommandOutput> {
  const input: Input<'insights.anomalies'> = {};
  if (opts.from !== undefined) input.from = parseDate(opts.from, 'from', '--from');
  if (opts.to !== undefined) input.to = parseDate(opts.to, 'to', '--to');
  await ctx.login();
  const a = await ctx.call('insights.anomalies', input, PERIOD_FLAGS);
  return { json: anomaliesJson(a), human: anomaliesText(a) };
}

export function anomaliesJson(a: AnomaliesOutput) {
  return { anomalies: a.anomalies, from: a.from, to: a.to, ready: a.ready, ...(a.reason !== undefined ? { reason: a.reason } : {}), currency: a.currency, checkedDays: a.checkedDays };
}

export function anomaliesText(a: AnomaliesOutput): string {
  if (!a.ready) return `No anomalies checked from ${a.from} to ${a.to}: ${a.reason ?? ''}`;
  if (a.anomalies.length === 0) return `Nothing unusual from ${a.from} to ${a.to} (${a.checkedDays} days checked).`;
  return [`${a.anomalies.length} unusual ${a.anomalies.length === 1 ? 'day figure' : 'day figures'} from ${a.from} to ${a.to} (${a.checkedDays} days checked):`, ...a.anomalies.map((x) => `  ${x.date}  ${x.text}`)].join('\n');
}

async function showProducts(ctx: CliContext, opts: { customer?: string; from?: string; to?: string }): Promise<CommandOutput> {
  const input: Input<'insights.products'> = {};
  if (opts.customer !== undefined) input.customerId = opts.customer;
  if (opts.from !== undefined) input.from = parseDate(opts.from, 'from', '--from');
  if (opts.to !== undefined) input.to = parseDate(opts.to, 'to', '--to');
  await ctx.login();
  const p = await ctx.call('insights.products', input, PERIOD_FLAGS);
  return { json: productsJson(p), human: productsText(p) };
}

/** cli.md's `{bestSellers, nextBest, demand}` first, then the rest. */
export function productsJson(p: ProductInsightsOutput) {
  return {
    bestSellers: p.bestSellers,
    nextBest: p.nextBest,
    demand: p.demand,
    bundles: p.bundles,
    backtest: p.backtest,
    from: p.from,
    to: p.to,
    ready: p.ready,
    ...(p.reason !== undefined ? { reason: p.reason } : {}),
    currency: p.currency,
    customerId: p.customerId,
  };
}

export function productsText(p: ProductInsightsOutput): string {
  if (!p.ready) return `No product insights: ${p.reason ?? ''}`;
  const out: string[] = [];
  out.push(`Best sellers from ${p.from} to ${p.to}:`);
  out.push(
    p.bestSellers.length === 0
      ? '  none sold in the period'
      : formatTable(p.bestSellers, [
          { header: '  #', value: (b) => `  ${b.rankByRevenue}` },
          { header: 'SKU', value: (b) => b.sku },
          { header: 'Name', value: (b) => b.name },
          { header: 'Units', value: (b) => String(b.units), align: 'right' },
          { header: 'Revenue', value: (b) => moneyText(b.revenue, p.currency), align: 'right' },
        ]),
  );
  out.push('', 'Weekly demand (the next 4 weeks):');
  out.push(p.demand.length === 0 ? '  no product sold over 4 complete weeks yet' : p.demand.slice(0, 15).map((d) => `  ${d.sku}: ${d.text}`).join('\n'));
  out.push(`  ${p.backtest.demand.text}`);
  if (p.bundles.length > 0) out.push('', 'Bought together:', ...p.bundles.map((b) => `  ${b.text}`));
  if (p.customerId) {
    out.push('', `Next best products for customer ${p.customerId}:`);
    out.push(p.nextBest.length === 0 ? '  nothing to suggest (they have every product others buy)' : p.nextBest.map((n, i) => `  ${i + 1}. ${n.name} (${n.sku}): ${n.because}`).join('\n'));
  }
  out.push('', p.backtest.nextBest.text);
  return out.join('\n');
}
