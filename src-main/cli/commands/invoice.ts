import type { Command, OptionValues } from 'commander';
import type { Input } from '@shared/contract';
import type { Invoice } from '@shared/domain/billing';
import { INVOICE_STATUSES } from '@shared/domain/kinds';
import { allPages, isOneOf, loginToBusiness } from '../billing-support';
import { describeInvoice, invoiceTable, plural } from '../billing-text';
import type { CliContext, FlagNames } from '../context';
import { validationError } from '../errors';
import { moneyText, type CommandOutput } from '../output';
import { parseDate } from '../parse';
import type { Runner } from '../program';
import { registerInvoiceSend } from './email';
import { checkedOutFile } from './export';

interface ListOptions {
  status?: string;
  customer?: string;
  subscription?: string;
  from?: string;
  to?: string;
  search?: string;
}

interface PayOptions {
  amount: string;
  method: string;
  on: string;
  reference?: string;
}

const LIST_FLAGS: FlagNames = { status: '--status', customerId: '--customer', subscriptionId: '--subscription', from: '--from', to: '--to', search: '--search' };
const PAY_FLAGS: FlagNames = { amount: '--amount', method: '--method', on: '--on', reference: '--reference' };

/** A refusal about the invoice itself ("This invoice is paid") names it as typed. */
const withId = (flags: FlagNames, id: string): FlagNames => ({ ...flags, id: `invoice ${id}` });

export function registerInvoiceCommands(program: Command, run: Runner): void {
  const invoice = program.command('invoice').description('what customers owe: issued by billing runs and changes');

  invoice
    .command('list')
    .description('every invoice, newest first')
    .option('--status <status>', `only this status: ${INVOICE_STATUSES.join(', ')}`)
    .option('--customer <id>', "only this customer's")
    .option('--subscription <id>', "only this subscription's")
    .option('--from <date>', 'issued on or after, YYYY-MM-DD')
    .option('--to <date>', 'issued on or before, YYYY-MM-DD')
    .option('--search <text>', 'invoice number or customer name')
    .action(run(listInvoices));

  invoice
    .command('show')
    .description('one invoice with its lines, totals, payments and refunds')
    .argument('<id>', 'the invoice id or number, like INV-000001')
    .action(run(showInvoice));

  invoice
    .command('pay')
    .description('record a payment made by hand; it may be partial (staff or owner)')
    .argument('<id>', 'the invoice id or number')
    .requiredOption('--amount <amount>', 'the amount received, like 29.00')
    // Not commander .choices(): a bad value is the core's validation error (exit 1), as in the app.
    .requiredOption('--method <method>', 'cash, bank_transfer, card or other')
    .requiredOption('--on <date>', 'the day it was received, YYYY-MM-DD')
    .option('--reference <text>', 'a cheque number, transfer reference...')
    .action(run(payInvoice));

  invoice
    .command('void')
    .description('cancel what an unpaid invoice asks for (owner only)')
    .argument('<id>', 'the invoice id or number')
    .option('--on <date>', "the day it is voided, YYYY-MM-DD (default: today in the business's time zone)")
    .action(run(voidInvoice));

  invoice
    .command('pdf')
    .description('save the invoice as a PDF to send to the customer')
    .argument('<id>', 'the invoice id or number')
    .requiredOption('--out <file>', 'the PDF file to write (replaced if it exists)')
    .action(run(invoicePdf));

  registerInvoiceSend(invoice, run);
}

async function listInvoices(ctx: CliContext, opts: ListOptions): Promise<CommandOutput> {
  const filter: Omit<Input<'invoices.list'>, 'offset' | 'limit'> = {};
  if (opts.status !== undefined) {
    const status = opts.status.trim();
    if (!isOneOf(status, INVOICE_STATUSES)) throw validationError('status', `Status must be ${INVOICE_STATUSES.join(', ')}`, '--status');
    filter.status = status;
  }
  if (opts.customer !== undefined) filter.customerId = opts.customer;
  if (opts.subscription !== undefined) filter.subscriptionId = opts.subscription;
  if (opts.from !== undefined) filter.from = parseDate(opts.from, 'from', '--from');
  if (opts.to !== undefined) filter.to = parseDate(opts.to, 'to', '--to');
  if (opts.search !== undefined) filter.search = opts.search;
  await ctx.login();
  const rows = await allPages((page) => ctx.call('invoices.list', { ...filter, ...page }, LIST_FLAGS));
  return { json: rows, human: listText(rows) };
}

function listText(rows: Invoice[]): string {
  if (!rows.length) return 'No invoices match. Billing issues them: recurra billing run --help';
  const due = rows.filter((i) => i.amountDue > 0);
  const currency = rows[0]?.currency ?? '';
  const owed = due.reduce((sum, i) => sum + i.amountDue, 0);
  return `${invoiceTable(rows)}\n${plural(rows.length, 'invoice')}; ${due.length ? `${moneyText(owed, currency)} due on ${plural(due.length, 'invoice')}` : 'nothing due'}.`;
}

async function showInvoice(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const invoice = await ctx.call('invoices.get', { id }, withId({}, id));
  return { json: { invoice }, human: describeInvoice(invoice) };
}

async function payInvoice(ctx: CliContext, opts: PayOptions, [id = '']: string[]): Promise<CommandOutput> {
  const on = parseDate(opts.on, 'on', '--on');
  const money = await loginToBusiness(ctx);
  const input: Input<'invoices.pay'> = {
    id,
    amount: money.amount(opts.amount, 'amount', '--amount'),
    method: opts.method.trim() as Input<'invoices.pay'>['method'],
    on,
  };
  if (opts.reference !== undefined) input.reference = opts.reference;
  const { invoice, payment } = await ctx.call('invoices.pay', input, withId(PAY_FLAGS, id));
  const settled = invoice.status === 'paid' ? 'paid in full' : `${moneyText(invoice.amountDue, invoice.currency)} still due`;
  return {
    json: { invoice, payment },
    human: `Recorded ${moneyText(payment.amount, payment.currency)} by ${payment.method} on ${payment.paidOn} for ${invoice.number}: ${settled}.\nPayment id: ${payment.id}\n\n${describeInvoice(invoice)}`,
  };
}

async function voidInvoice(ctx: CliContext, opts: { on?: string }, [id = '']: string[]): Promise<CommandOutput> {
  const on = opts.on === undefined ? undefined : parseDate(opts.on, 'on', '--on');
  await ctx.login();
  const invoice = await ctx.call('invoices.void', on === undefined ? { id } : { id, on }, withId({ on: '--on' }, id));
  return { json: { invoice }, human: `Voided ${invoice.number}: nothing is due on it.\n\n${describeInvoice(invoice)}` };
}

async function invoicePdf(ctx: CliContext, opts: { out: string }, [id = '']: string[]): Promise<CommandOutput> {
  const out = checkedOutFile(opts.out);
  await ctx.login();
  ctx.exportTo(out);
  const { path } = await ctx.call('invoices.pdf', { id }, withId({}, id));
  const file = path ?? out;
  return { json: { path: file }, human: `Saved invoice ${id} as ${file}.` };
}
