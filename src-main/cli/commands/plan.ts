import type { Command, OptionValues } from 'commander';
import type { Input } from '@shared/contract';
import type { Interval } from '@shared/domain/periods';
import { isOneOf, loginToBusiness, type BillingBusiness } from '../billing-support';
import { describePlan, planPriceText, planTable } from '../billing-text';
import type { CliContext, FlagNames } from '../context';
import { usageError, validationError } from '../errors';
import type { CommandOutput } from '../output';
import { parseWholeNumber } from '../parse';
import type { Runner } from '../program';

interface CreateOptions {
  name: string;
  price?: string;
  interval: string;
  intervalCount?: string;
  trialDays?: string;
  setupFee?: string;
  code?: string;
  description?: string;
  features?: string;
  tiers?: string;
  pricing?: string;
  maxMachines?: string;
}

type UpdateOptions = Partial<Pick<CreateOptions, 'name' | 'price' | 'trialDays' | 'setupFee' | 'code' | 'description' | 'features' | 'maxMachines'>>;

const PRICING_MODELS = ['flat', 'graduated', 'volume'] as const;

const CREATE_FLAGS: FlagNames = {
  name: '--name',
  price: '--price',
  interval: '--interval',
  intervalCount: '--interval-count',
  trialDays: '--trial-days',
  setupFee: '--setup-fee',
  code: '--code',
  description: '--description',
  features: '--features',
  tiers: '--tiers',
  pricingModel: '--pricing',
  maxMachines: '--max-machines',
};

export function registerPlanCommands(program: Command, run: Runner): void {
  const plan = program.command('plan').description('what the business sells: a price per interval');

  plan
    .command('create')
    .description('add a plan (staff or owner)')
    .requiredOption('--name <name>', 'plan name, shown on invoices')
    // Required unless --tiers gives the price (checked in createPlan, as a usage error like commander's).
    .option('--price <amount>', 'price per interval in the business currency, like 29.00')
    // Not commander .choices(): a bad value is the core's validation error (exit 1), as in the app.
    .requiredOption('--interval <interval>', 'day, week, month, quarter or year')
    .option('--interval-count <n>', 'bill every n intervals, like 2 for every 2 weeks (default 1)')
    .option('--trial-days <days>', 'free days before the first invoice (default 0)')
    .option('--setup-fee <amount>', 'charged once, on the first invoice')
    .option('--code <code>', 'a short unique code (default: made from the name)')
    .option('--description <text>', 'what the plan includes')
    .option('--features <list>', 'features separated by commas, like "Unlimited classes,Towel"')
    .option('--tiers <tiers>', 'per-unit tiers, "UP_TO:PRICE" separated by commas, * for the last: "10:5.00,*:4.00"')
    .option('--pricing <model>', 'with --tiers: graduated (each tier its own price, the default) or volume (one tier for all units)')
    .option('--max-machines <n>', 'machines one license key of the plan may activate (default: unlimited)')
    .action(run(createPlan));

  plan
    .command('update')
    .description('change a plan; only the options given change (price only while nobody subscribed) (staff or owner)')
    .argument('<id>', 'the plan id')
    .option('--name <name>', 'plan name, shown on invoices')
    .option('--price <amount>', 'price per interval, like 29.00 (only while the plan has no subscriptions)')
    .option('--trial-days <days>', 'free days before the first invoice')
    .option('--setup-fee <amount>', 'charged once, on the first invoice')
    .option('--code <code>', 'a short unique code')
    .option('--description <text>', 'what the plan includes')
    .option('--features <list>', 'features separated by commas (replaces them all)')
    .option('--max-machines <n>', 'machines one license key may activate, or "unlimited"')
    .action(run(updatePlan));

  plan
    .command('list')
    .description('the plans, cheapest first')
    .option('--include-archived', 'list archived plans too')
    .action(run(listPlans));

  plan.command('show').description('one plan').argument('<id>', 'the plan id (`recurra plan list` shows them)').action(run(showPlan));

  plan
    .command('archive')
    .description('stop offering a plan; its subscriptions go on (staff or owner)')
    .argument('<id>', 'the plan id')
    .action(run(archivePlan));
}

async function createPlan(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  // Everything but the amounts is checked before logging in; amounts need the business currency.
  if (opts.price === undefined && opts.tiers === undefined) throw usageError("required option '--price <amount>' not specified");
  const whole = (text: string | undefined, field: string, flag: string, message: string) =>
    text === undefined ? undefined : parseWholeNumber(text, field, flag, message);
  const intervalCount = whole(opts.intervalCount, 'intervalCount', '--interval-count', 'Give a whole number, like 2');
  const trialDays = whole(opts.trialDays, 'trialDays', '--trial-days', 'Give a whole number of days, like 14');
  const pricingModel = pricingOf(opts);
  const money = await loginToBusiness(ctx);
  const input: Input<'plans.create'> = {
    name: opts.name,
    price: opts.price === undefined ? 0 : money.amount(opts.price, 'price', '--price'),
    interval: opts.interval.trim() as Interval,
    pricingModel,
  };
  if (intervalCount !== undefined) input.intervalCount = intervalCount;
  if (trialDays !== undefined) input.trialDays = trialDays;
  if (opts.setupFee !== undefined) input.setupFee = money.amount(opts.setupFee, 'setupFee', '--setup-fee');
  if (opts.code !== undefined) input.code = opts.code;
  if (opts.description !== undefined) input.description = opts.description;
  if (opts.features !== undefined) input.features = opts.features.split(',').map((f) => f.trim()).filter(Boolean);
  if (opts.tiers !== undefined) input.tiers = parseTiers(opts.tiers, money);
  if (opts.maxMachines !== undefined) input.maxMachines = maxMachinesOf(opts.maxMachines);
  const plan = await ctx.call('plans.create', input, CREATE_FLAGS);
  return { json: { plan }, human: `Created plan ${plan.name}: ${planPriceText(plan)}.\n${describePlan(plan)}` };
}

/** "3" -> 3; "unlimited" (or "none") -> null. */
function maxMachinesOf(text: string): number | null {
  if (/^\s*(unlimited|none)\s*$/i.test(text)) return null;
  return parseWholeNumber(text, 'maxMachines', '--max-machines', 'Give a whole number of machines, like 3, or "unlimited"');
}

async function updatePlan(ctx: CliContext, opts: UpdateOptions, [id = '']: string[]): Promise<CommandOutput> {
  if (Object.values(opts).every((v) => v === undefined)) throw usageError('Say what to change, like --name or --max-machines (see recurra plan update --help)');
  const input: Input<'plans.update'> = { id };
  if (opts.trialDays !== undefined) input.trialDays = parseWholeNumber(opts.trialDays, 'trialDays', '--trial-days', 'Give a whole number of days, like 14');
  if (opts.maxMachines !== undefined) input.maxMachines = maxMachinesOf(opts.maxMachines);
  if (opts.name !== undefined) input.name = opts.name;
  if (opts.code !== undefined) input.code = opts.code;
  if (opts.description !== undefined) input.description = opts.description;
  if (opts.features !== undefined) input.features = opts.features.split(',').map((f) => f.trim()).filter(Boolean);
  const money = await loginToBusiness(ctx);
  if (opts.price !== undefined) input.price = money.amount(opts.price, 'price', '--price');
  if (opts.setupFee !== undefined) input.setupFee = money.amount(opts.setupFee, 'setupFee', '--setup-fee');
  const plan = await ctx.call('plans.update', input, { ...CREATE_FLAGS, id: `plan ${id}` });
  return { json: { plan }, human: `Updated plan ${plan.name}.\n${describePlan(plan)}` };
}

function pricingOf(opts: CreateOptions): Input<'plans.create'>['pricingModel'] {
  // Tiers without a model are graduated: the usual meaning of "the first 10 at $5, the rest at $4".
  const model = opts.pricing?.trim() ?? (opts.tiers === undefined ? 'flat' : 'graduated');
  if (!isOneOf(model, PRICING_MODELS)) throw validationError('pricingModel', 'Pricing must be flat, graduated or volume', '--pricing');
  return model;
}

/** "10:5.00,*:4.00" -> up to 10 units at 500, the rest at 400; "10:5.00+20.00" adds a flat 2000 for the tier. */
function parseTiers(text: string, money: BillingBusiness): Input<'plans.create'>['tiers'] {
  const message = 'Write tiers like 10:5.00,*:4.00 (up to 10 units at 5.00, the rest at 4.00)';
  return text.split(',').map((item) => {
    const match = /^\s*(\d+|\*)\s*:\s*([^+\s]+)\s*(?:\+\s*(\S+)\s*)?$/.exec(item);
    if (!match) throw validationError('tiers', message, '--tiers');
    const [, upTo = '', unit = '', flat] = match;
    return {
      upTo: upTo === '*' ? null : parseWholeNumber(upTo, 'tiers', '--tiers', message),
      unitAmount: money.amount(unit, 'tiers', '--tiers'),
      flatAmount: flat === undefined ? 0 : money.amount(flat, 'tiers', '--tiers'),
    };
  });
}

async function listPlans(ctx: CliContext, opts: { includeArchived?: boolean }): Promise<CommandOutput> {
  await ctx.login();
  const plans = await ctx.call('plans.list', { includeArchived: opts.includeArchived === true });
  return {
    json: plans,
    human: plans.length ? planTable(plans) : 'No plans yet. Add one with: recurra plan create --help',
  };
}

async function showPlan(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const plan = await ctx.call('plans.get', { id }, { id: `plan ${id}` });
  return { json: { plan }, human: `${plan.name}\n${describePlan(plan)}` };
}

async function archivePlan(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const plan = await ctx.call('plans.archive', { id }, { id: `plan ${id}` });
  return {
    json: { plan },
    human: `Archived plan ${plan.name}: no new subscriptions can use it; its ${plan.activeSubscriptions} active subscriptions go on.\n${describePlan(plan)}`,
  };
}
