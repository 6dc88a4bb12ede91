import type { Command, OptionValues } from 'commander';
import type { Input } from '@shared/contract';
import type { ChangeMode, Subscription } from '@shared/domain/billing';
import { SUBSCRIPTION_STATUSES } from '@shared/domain/kinds';
import { allPages, isOneOf } from '../billing-support';
import { describeSubscription, licenseText, plural, previewText, subscriptionAmountText, subscriptionTable } from '../billing-text';
import type { CliContext, FlagNames } from '../context';
import { usageError, validationError } from '../errors';
import { formatTable, moneyText, type CommandOutput } from '../output';
import { parseDate, parseWholeNumber } from '../parse';
import type { Runner } from '../program';

interface CreateOptions {
  customer: string;
  plan: string;
  start: string;
  quantity?: string;
  coupon?: string;
  trialDays?: string;
  license?: boolean;
  licenseKey?: string;
}

interface ChangeOptions {
  plan?: string;
  quantity?: string;
  on: string;
  mode?: string;
}

interface CancelOptions {
  on: string;
  atPeriodEnd?: boolean;
  prorate?: boolean;
}

interface ListOptions {
  status?: string;
  customer?: string;
  plan?: string;
  search?: string;
}

const CREATE_FLAGS: FlagNames = {
  customerId: '--customer',
  planId: '--plan',
  startDate: '--start',
  quantity: '--quantity',
  couponCode: '--coupon',
  trialDays: '--trial-days',
  licenseKey: '--license-key',
  withLicenseKey: '--license',
};

const CHANGE_FLAGS: FlagNames = { planId: '--plan', quantity: '--quantity', on: '--on', mode: '--mode' };
const CANCEL_FLAGS: FlagNames = { on: '--on', atPeriodEnd: '--at-period-end', prorate: '--prorate' };
const LIST_FLAGS: FlagNames = { status: '--status', customerId: '--customer', planId: '--plan', search: '--search' };

/** A refusal about the subscription itself ("This subscription is canceled") names it for people. */
const withId = (flags: FlagNames, id: string): FlagNames => ({ ...flags, id: `subscription ${id}` });

export function registerSubscriptionCommands(program: Command, run: Runner): void {
  const subscription = program.command('subscription').description('customers on plans, billed every period');

  subscription
    .command('create')
    .description('subscribe a customer to a plan (staff or owner)')
    .requiredOption('--customer <id>', 'the customer id (`recurra customer list` shows them)')
    .requiredOption('--plan <id>', 'the plan id (`recurra plan list` shows them)')
    .requiredOption('--start <date>', 'the first day, YYYY-MM-DD (a past date bills as if created then)')
    .option('--quantity <n>', 'units, seats or people (default 1)')
    .option('--coupon <code>', 'a coupon code, applied from the start date')
    .option('--trial-days <days>', "free days before the first invoice, instead of the plan's (0 for none)")
    .option('--license', 'issue a generated license key (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX) with the subscription')
    .option('--license-key <key>', "issue this license key (the business's own format; unique)")
    .action(run(createSubscription));

  addChangeOptions(
    subscription
      .command('change')
      .description('change the plan or quantity (staff or owner); `preview-change` shows the result first')
      .argument('<id>', 'the subscription id'),
  ).action(run(changeSubscription));

  addChangeOptions(
    subscription
      .command('preview-change')
      .description('what `change` with the same flags would invoice, line by line; changes nothing')
      .argument('<id>', 'the subscription id'),
  ).action(run(previewChange));

  subscription
    .command('cancel')
    .description('cancel now, or at the end of the current period (staff or owner)')
    .argument('<id>', 'the subscription id')
    .requiredOption('--on <date>', 'the day it is canceled, YYYY-MM-DD')
    .option('--at-period-end', 'keep it until the current period ends, then cancel; nothing more is invoiced')
    .option('--prorate', "credit the unused part of the current period to the customer's balance")
    .action(run(cancelSubscription));

  subscription
    .command('pause')
    .description('stop invoicing from a date until resumed (staff or owner)')
    .argument('<id>', 'the subscription id')
    .requiredOption('--on <date>', 'the day the pause starts, YYYY-MM-DD')
    .action(run(pauseOrResume('pause')));

  subscription
    .command('resume')
    .description('invoice again from the first period starting on or after the date (staff or owner)')
    .argument('<id>', 'the subscription id')
    .requiredOption('--on <date>', 'the day it resumes, YYYY-MM-DD')
    .action(run(pauseOrResume('resume')));

  subscription
    .command('list')
    .description('every subscription, newest first')
    .option('--status <status>', `only this status: ${SUBSCRIPTION_STATUSES.join(', ')}`)
    .option('--customer <id>', "only this customer's")
    .option('--plan <id>', 'only those on this plan')
    .option('--search <text>', 'customer name or email, or plan name')
    .action(run(listSubscriptions));

  subscription
    .command('show')
    .description('one subscription, its license key and machines, and its history')
    .argument('<id>', 'the subscription id')
    .action(run(showSubscription));
}

function addChangeOptions(command: Command): Command {
  return command
    .option('--plan <id>', 'the new plan id')
    .option('--quantity <n>', 'the new quantity')
    .requiredOption('--on <date>', 'the day the change is made, YYYY-MM-DD, within the current period')
    .option('--mode <mode>', 'prorate (the default: credit and charge on the next invoice), invoice_now or at_period_end');
}

async function createSubscription(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  const input: Input<'subscriptions.create'> = {
    customerId: opts.customer,
    planId: opts.plan,
    startDate: parseDate(opts.start, 'startDate', '--start'),
  };
  if (opts.quantity !== undefined) input.quantity = quantityOf(opts.quantity);
  if (opts.coupon !== undefined) input.couponCode = opts.coupon;
  if (opts.trialDays !== undefined) {
    input.trialDays = parseWholeNumber(opts.trialDays, 'trialDays', '--trial-days', 'Give a whole number of days, like 14');
  }
  if (opts.license) input.withLicenseKey = true;
  if (opts.licenseKey !== undefined) input.licenseKey = opts.licenseKey;
  await ctx.login();
  const subscription = await ctx.call('subscriptions.create', input, CREATE_FLAGS);
  const trial = subscription.status === 'trialing' ? `, in trial; first invoice on ${subscription.anchorDate}` : '';
  return {
    json: { subscription },
    human: `Subscribed ${subscription.customerName} to ${subscription.planName} (${subscriptionAmountText(subscription)}${trial}).\n${describeSubscription(subscription)}`,
  };
}

const quantityOf = (text: string) => parseWholeNumber(text, 'quantity', '--quantity', 'Give a whole number, like 3');

/** The change request, checked before logging in. */
function changeRequest(opts: ChangeOptions, id: string): Input<'subscriptions.change'> {
  if (opts.plan === undefined && opts.quantity === undefined) throw usageError('Nothing to change: give --plan, --quantity or both');
  const request: Input<'subscriptions.change'> = { id, on: parseDate(opts.on, 'on', '--on') };
  if (opts.plan !== undefined) request.planId = opts.plan;
  if (opts.quantity !== undefined) request.quantity = quantityOf(opts.quantity);
  if (opts.mode !== undefined) request.mode = opts.mode.trim() as ChangeMode;
  return request;
}

async function previewChange(ctx: CliContext, opts: ChangeOptions, [id = '']: string[]): Promise<CommandOutput> {
  const request = changeRequest(opts, id);
  await ctx.login();
  const preview = await ctx.call('subscriptions.previewChange', request, withId(CHANGE_FLAGS, id));
  return { json: { preview }, human: `Preview (nothing is changed).\n${previewText(preview)}` };
}

async function changeSubscription(ctx: CliContext, opts: ChangeOptions, [id = '']: string[]): Promise<CommandOutput> {
  const request = changeRequest(opts, id);
  await ctx.login();
  const flags = withId(CHANGE_FLAGS, id);
  // Worked out first (it is what the change will write) so people see the proration a prorated change leaves pending.
  const preview = await ctx.call('subscriptions.previewChange', request, flags);
  const { subscription, invoice } = await ctx.call('subscriptions.change', request, flags);
  const lines = [`Changed the subscription of ${subscription.customerName}: now ${subscription.planName}${subscription.quantity > 1 ? ` x ${subscription.quantity}` : ''}.`];
  if (subscription.scheduledChange) {
    const s = subscription.scheduledChange;
    lines[0] = `Scheduled for ${s.on}: ${s.planName}${s.quantity > 1 ? ` x ${s.quantity}` : ''} for ${subscription.customerName}.`;
  }
  if (invoice) {
    lines.push(`Invoiced now: ${invoice.number}, ${moneyText(invoice.total, invoice.currency)}, ${invoice.status}.`);
  } else if (preview.prorationLines.length && preview.nextInvoice) {
    const net = preview.prorationLines.reduce((sum, l) => sum + l.amount, 0);
    lines.push(`Proration of ${moneyText(net, preview.currency)} goes on the next invoice, ${preview.nextInvoice.issueDate}.`);
  }
  lines.push(describeSubscription(subscription));
  // `invoice` is always present: the invoice the change issued at once (invoice_now, or a new interval), else null.
  return { json: { subscription, invoice }, human: lines.join('\n') };
}

async function cancelSubscription(ctx: CliContext, opts: CancelOptions, [id = '']: string[]): Promise<CommandOutput> {
  const input: Input<'subscriptions.cancel'> = {
    id,
    on: parseDate(opts.on, 'on', '--on'),
    atPeriodEnd: opts.atPeriodEnd === true,
    prorate: opts.prorate === true,
  };
  await ctx.login();
  const subscription = await ctx.call('subscriptions.cancel', input, withId(CANCEL_FLAGS, id));
  const lines = [
    subscription.status === 'canceled'
      ? `Canceled the subscription of ${subscription.customerName} to ${subscription.planName} on ${subscription.canceledAt ?? input.on}.`
      : `The subscription of ${subscription.customerName} to ${subscription.planName} ends on ${subscription.cancelAt ?? ''}; nothing more is invoiced.`,
  ];
  if (input.prorate) {
    const { customer } = await ctx.call('customers.get', { id: subscription.customerId });
    lines.push(`The unused time is credited: ${customer.name}'s credit balance is now ${moneyText(customer.creditBalance, customer.currency)}.`);
  }
  lines.push(describeSubscription(subscription));
  return { json: { subscription }, human: lines.join('\n') };
}

function pauseOrResume(action: 'pause' | 'resume') {
  return async (ctx: CliContext, opts: { on: string }, [id = '']: string[]): Promise<CommandOutput> => {
    const on = parseDate(opts.on, 'on', '--on');
    await ctx.login();
    const method = action === 'pause' ? 'subscriptions.pause' : 'subscriptions.resume';
    const subscription = await ctx.call(method, { id, on }, withId({ on: '--on' }, id));
    const what =
      action === 'pause'
        ? `Paused the subscription of ${subscription.customerName} from ${on}: no period starting while paused is invoiced.`
        : `Resumed the subscription of ${subscription.customerName}; the next invoice is on ${subscription.nextInvoiceDate ?? 'no date yet'}.`;
    return { json: { subscription }, human: `${what}\n${describeSubscription(subscription)}` };
  };
}

async function listSubscriptions(ctx: CliContext, opts: ListOptions): Promise<CommandOutput> {
  const filter: Omit<Input<'subscriptions.list'>, 'offset' | 'limit'> = {};
  if (opts.status !== undefined) {
    const status = opts.status.trim();
    if (!isOneOf(status, SUBSCRIPTION_STATUSES)) throw validationError('status', `Status must be ${SUBSCRIPTION_STATUSES.join(', ')}`, '--status');
    filter.status = status;
  }
  if (opts.customer !== undefined) filter.customerId = opts.customer;
  if (opts.plan !== undefined) filter.planId = opts.plan;
  if (opts.search !== undefined) filter.search = opts.search;
  await ctx.login();
  const rows = await allPages((page) => ctx.call('subscriptions.list', { ...filter, ...page }, LIST_FLAGS));
  return { json: rows, human: listText(rows) };
}

function listText(rows: Subscription[]): string {
  if (!rows.length) return 'No subscriptions match. Subscribe a customer with: recurra subscription create --help';
  return `${subscriptionTable(rows)}\n${plural(rows.length, 'subscription')}.`;
}

async function showSubscription(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const { subscription, history, pendingItems, license } = await ctx.call('subscriptions.get', { id }, { id: `subscription ${id}` });
  const historyText = formatTable(history, [
    { header: 'DATE', value: (h) => h.effectiveDate },
    { header: 'EVENT', value: (h) => h.event },
    { header: 'STATUS', value: (h) => h.status },
    { header: 'PLAN', value: (h) => h.planName },
    { header: 'QTY', value: (h) => String(h.quantity), align: 'right' },
    { header: 'AMOUNT', value: (h) => moneyText(h.recurringAmount, subscription.currency), align: 'right' },
  ]);
  const pendingText = pendingItems.length
    ? `\n\nWaiting for the next invoice:\n${formatTable(pendingItems, [
        { header: 'LINE', value: (p) => p.description },
        { header: 'AMOUNT', value: (p) => moneyText(p.amount, subscription.currency), align: 'right' },
      ])}`
    : '';
  const licenseBlock = license ? `\n\n${licenseText(license)}` : '';
  return {
    json: { subscription, history, pendingItems, license },
    human: `${describeSubscription(subscription, { withLicense: false })}${licenseBlock}\n\nHistory:\n${historyText}${pendingText}`,
  };
}
