import type { Command } from 'commander';
import type { Input } from '@shared/contract';
import { allPages, isOneOf, loginToBusiness } from '../billing-support';
import { paymentListTable, plural } from '../billing-text';
import type { CliContext, FlagNames } from '../context';
import { validationError } from '../errors';
import { moneyText, type CommandOutput } from '../output';
import { parseDate } from '../parse';
import type { Runner } from '../program';

interface RefundOptions {
  amount?: string;
  on: string;
  reason?: string;
}

interface ListOptions {
  customer?: string;
  invoice?: string;
  status?: string;
  kind?: string;
  from?: string;
  to?: string;
}

const PAYMENT_STATUSES = ['succeeded', 'failed'] as const;
const ROW_KINDS = ['payment', 'refund'] as const;
const REFUND_FLAGS: FlagNames = { amount: '--amount', on: '--on', reason: '--reason' };
const LIST_FLAGS: FlagNames = { customerId: '--customer', invoiceId: '--invoice', status: '--status', kind: '--kind', from: '--from', to: '--to' };

export function registerPaymentCommands(program: Command, run: Runner): void {
  const payment = program.command('payment').description('money received: card attempts and payments recorded by hand');

  payment
    .command('refund')
    .description('give back all or part of a successful payment (owner only)')
    .argument('<id>', 'the payment id (`recurra invoice show` and `recurra payment list` show them)')
    .option('--amount <amount>', 'how much, like 10.00 (default: all that is not refunded yet)')
    .requiredOption('--on <date>', 'the day of the refund, YYYY-MM-DD')
    .option('--reason <text>', 'why, for the records')
    .action(run(refundPayment));

  payment
    .command('list')
    .description('payments, failed attempts and refunds (a row each, negative), newest first')
    .option('--customer <id>', "only this customer's")
    .option('--invoice <id>', 'only those for this invoice id')
    .option('--status <status>', 'succeeded (money that moved: payments and refunds) or failed')
    .option('--kind <kind>', 'payment or refund')
    .option('--from <date>', 'on or after, YYYY-MM-DD')
    .option('--to <date>', 'on or before, YYYY-MM-DD')
    .action(run(listPayments));
}

async function refundPayment(ctx: CliContext, opts: RefundOptions, [id = '']: string[]): Promise<CommandOutput> {
  const on = parseDate(opts.on, 'on', '--on');
  const money = await loginToBusiness(ctx);
  const input: Input<'payments.refund'> = { id, on };
  if (opts.amount !== undefined) input.amount = money.amount(opts.amount, 'amount', '--amount');
  if (opts.reason !== undefined) input.reason = opts.reason;
  const { refund, payment } = await ctx.call('payments.refund', input, { ...REFUND_FLAGS, id: `payment ${id}` });
  const left = payment.amount - payment.amountRefunded;
  return {
    // The spec's {refund}, with the payment as it now stands beside it.
    json: { refund, payment },
    human:
      `Refunded ${moneyText(refund.amount, refund.currency)} on ${refund.refundedOn} of the ${moneyText(payment.amount, payment.currency)} ` +
      `payment from ${payment.customerName}${payment.invoiceNumber ? ` for ${payment.invoiceNumber}` : ''}; ` +
      `${left ? `${moneyText(left, payment.currency)} of it is not refunded` : 'it is now refunded in full'}.\nRefund id: ${refund.id}`,
  };
}

async function listPayments(ctx: CliContext, opts: ListOptions): Promise<CommandOutput> {
  const filter: Omit<Input<'payments.list'>, 'offset' | 'limit'> = {};
  if (opts.customer !== undefined) filter.customerId = opts.customer;
  if (opts.invoice !== undefined) filter.invoiceId = opts.invoice;
  if (opts.status !== undefined) {
    const status = opts.status.trim();
    if (!isOneOf(status, PAYMENT_STATUSES)) throw validationError('status', 'Status must be succeeded or failed', '--status');
    filter.status = status;
  }
  if (opts.kind !== undefined) {
    const kind = opts.kind.trim();
    if (!isOneOf(kind, ROW_KINDS)) throw validationError('kind', 'Kind must be payment or refund', '--kind');
    filter.kind = kind;
  }
  if (opts.from !== undefined) filter.from = parseDate(opts.from, 'from', '--from');
  if (opts.to !== undefined) filter.to = parseDate(opts.to, 'to', '--to');
  await ctx.login();
  const rows = await allPages((page) => ctx.call('payments.list', { ...filter, ...page }, LIST_FLAGS));
  return {
    json: rows,
    human: rows.length ? `${paymentListTable(rows)}\n${rowCount(rows)}.` : 'No payments match.',
  };
}

/** "3 payments" or "3 payments and 1 refund". */
function rowCount(rows: readonly { kind: 'payment' | 'refund' }[]): string {
  const refunds = rows.filter((r) => r.kind === 'refund').length;
  const payments = plural(rows.length - refunds, 'payment');
  return refunds ? `${payments} and ${plural(refunds, 'refund')}` : payments;
}
