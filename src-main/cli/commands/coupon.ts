import { Option, type Command } from 'commander';
import type { Input } from '@shared/contract';
import { loginToBusiness } from '../billing-support';
import { couponTable, couponTerms, describeCoupon } from '../billing-text';
import type { CliContext, FlagNames } from '../context';
import { usageError } from '../errors';
import type { CommandOutput } from '../output';
import { parseDate, parseWholeNumber } from '../parse';
import type { Runner } from '../program';

interface CreateOptions {
  code: string;
  percentOff?: string;
  amountOff?: string;
  duration: string;
  months?: string;
  expiresOn?: string;
  maxRedemptions?: string;
  name?: string;
}

const CREATE_FLAGS: FlagNames = {
  code: '--code',
  name: '--name',
  percentOff: '--percent-off',
  amountOff: '--amount-off',
  duration: '--duration',
  durationMonths: '--months',
  expiresOn: '--expires-on',
  maxRedemptions: '--max-redemptions',
};

export function registerCouponCommands(program: Command, run: Runner): void {
  const coupon = program.command('coupon').description('discount codes given when subscribing');

  coupon
    .command('create')
    .description('add a coupon: --percent-off or --amount-off (staff or owner)')
    .requiredOption('--code <code>', 'what customers type, like SPRING20 (letters, digits, - and _)')
    // One or the other: giving both is a malformed command line (exit 2), like a missing required option.
    .addOption(new Option('--percent-off <percent>', 'a percentage of the subtotal, like 20 or 12.5').conflicts('amountOff'))
    .addOption(new Option('--amount-off <amount>', 'a fixed amount in the business currency, like 5.00'))
    // Not commander .choices(): a bad value is the core's validation error (exit 1), as in the app.
    .requiredOption('--duration <duration>', 'once (the first invoice), forever, or repeating (with --months)')
    .option('--months <n>', 'with --duration repeating: the months it applies, from the day it is applied')
    .option('--expires-on <date>', 'last day it can be applied, YYYY-MM-DD')
    .option('--max-redemptions <n>', 'how many subscriptions may use it')
    .option('--name <name>', 'a name for people, like "Spring sale"')
    .action(run(createCoupon));

  coupon
    .command('list')
    .description('the coupons, newest first')
    .option('--include-archived', 'list archived coupons too')
    .action(run(listCoupons));
}

async function createCoupon(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  if (opts.percentOff === undefined && opts.amountOff === undefined) throw usageError('Give --percent-off or --amount-off');
  const input: Input<'coupons.create'> = { code: opts.code, duration: opts.duration.trim() as Input<'coupons.create'>['duration'] };
  if (opts.percentOff !== undefined) input.percentOff = opts.percentOff;
  if (opts.months !== undefined) input.durationMonths = parseWholeNumber(opts.months, 'durationMonths', '--months', 'Give a whole number of months, like 3');
  if (opts.expiresOn !== undefined) input.expiresOn = parseDate(opts.expiresOn, 'expiresOn', '--expires-on');
  if (opts.maxRedemptions !== undefined) {
    input.maxRedemptions = parseWholeNumber(opts.maxRedemptions, 'maxRedemptions', '--max-redemptions', 'Give a whole number, like 100');
  }
  if (opts.name !== undefined) input.name = opts.name;
  const money = await loginToBusiness(ctx);
  if (opts.amountOff !== undefined) input.amountOff = money.amount(opts.amountOff, 'amountOff', '--amount-off');
  const coupon = await ctx.call('coupons.create', input, CREATE_FLAGS);
  return { json: { coupon }, human: `Created coupon ${coupon.code}: ${couponTerms(coupon)}.\n${describeCoupon(coupon)}` };
}

async function listCoupons(ctx: CliContext, opts: { includeArchived?: boolean }): Promise<CommandOutput> {
  await ctx.login();
  const coupons = await ctx.call('coupons.list', { includeArchived: opts.includeArchived === true });
  return {
    json: coupons,
    human: coupons.length ? couponTable(coupons) : 'No coupons yet. Add one with: recurra coupon create --help',
  };
}
