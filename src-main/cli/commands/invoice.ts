import type { Command, OptionValues } from 'commander';
import type { Input } from '@shared/contract';
import type { Invoice } from '@shared/domain/billing';
import { INVOICE_STATUSES } from '@shared/domain/kinds';
import { allPages, isOneOf, loginToBusiness } from '../billing-support';
import { describeInvoice, invoiceTable, plural } from '../billing-text';
import type { CliContext, FlagNames } from '../context';
import { validationError } from '../errors';
import { moneyText, type CommandOutput } from '../output';
import { parseDate, parseWholeNumber } from '../parse';
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
  const invoice = program.command('invoice').description('what customers owe: issued by billing runs, changes and by hand (one-off), and credit notes');

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
    .command('create')
    .description('a one-off invoice for any customer: free lines and/or products, numbered now, due by the net terms (staff or owner)')
    .requiredOption('--customer <id>', 'the customer it is for')
    .option('--line <DESC:QTY@PRICE>', 'a free line, like "Private class:2@40.00" (QTY defaults to 1: "Setup:@25.00"); repeat for more', collect, [])
    .option('--product <SKU:QTY>', 'a product line priced from the product, like MAT-1:2 (QTY defaults to 1); repeat for more', collect, [])
    .option('--discount <amount>', 'an amount off before tax, like 10.00')
    .option('--date <date>', "the issue date, YYYY-MM-DD (default: today in the business's time zone)")
    .action(run(createInvoice));

  invoice
    .command('credit')
    .description('a credit note against an issued invoice: all that is left, some lines, or an amount (owner only)')
    .argument('<id>', 'the invoice id or number')
    .requiredOption('--settle <how>', 'invoice (off what it owes), credit (to the customer balance) or refund (of its payments)')
    .option('--amount <amount>', 'an amount, tax included, like 15.00')
    .option('--line <POS[:QTY]>', 'a line of the invoice by position (0 is the first), and how many of it; repeat for more', collect, [])
    .option('--date <date>', "the credit note's date, YYYY-MM-DD (default: today)")
    .option('--reason <text>', 'why, printed on the credit note')
    .option('--restock', 'put every credited product line back in stock (default: tracked products, except on a sale\'s invoice)')
    .option('--no-restock', 'put nothing back in stock')
    .action(run(creditInvoice));

  invoice
    .command('credit-note-pdf')
    .description('save a credit note as a PDF')
    .argument('<id>', 'the credit note id or number, like CN-000001')
    .requiredOption('--out <file>', 'the PDF file to write (replaced if it exists)')
    .action(run(creditNotePdf));

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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface CreateOptions {
  customer: string;
  line: string[];
  product: string[];
  discount?: string;
  date?: string;
}

/** "Private class:2@40.00": the description is everything before the last colon; QTY may be left out ("Setup:@25"). */
const FREE_LINE = /^(.*):\s*(-?\d*)\s*@\s*(.+)$/;

async function createInvoice(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  const date = opts.date === undefined ? undefined : parseDate(opts.date, 'issueDate', '--date');
  const money = await loginToBusiness(ctx);
  const lines: NonNullable<Input<'invoices.create'>['lines']> = [];
  const flags: Record<string, string> = { customerId: '--customer', discount: '--discount', issueDate: '--date', lines: '--line or --product' };
  opts.line.forEach((text) => {
    const i = lines.length;
    const flag = `--line "${text}"`;
    for (const f of ['description', 'quantity', 'unitAmount']) flags[`lines.${i}.${f}`] = flag;
    const m = FREE_LINE.exec(text);
    if (!m) throw validationError(`lines.${i}`, 'Write a line as DESC:QTY@PRICE, like "Private class:2@40.00"', flag);
    const quantity = m[2] ? parseWholeNumber(m[2], `lines.${i}.quantity`, flag, 'The quantity is a whole number, like 2') : 1;
    lines.push({ description: m[1]!.trim(), quantity, unitAmount: money.amount(m[3]!, `lines.${i}.unitAmount`, flag) });
  });
  opts.product.forEach((text) => {
    const i = lines.length;
    const flag = `--product ${text}`;
    for (const f of ['sku', 'quantity']) flags[`lines.${i}.${f}`] = flag;
    const at = text.lastIndexOf(':');
    const sku = (at < 0 ? text : text.slice(0, at)).trim();
    const quantity = at < 0 ? 1 : parseWholeNumber(text.slice(at + 1), `lines.${i}.quantity`, flag, 'The quantity is a whole number, like 2');
    lines.push({ sku, quantity });
  });
  const input: Input<'invoices.create'> = { customerId: opts.customer, lines };
  if (opts.discount !== undefined) input.discount = money.amount(opts.discount, 'discount', '--discount');
  if (date !== undefined) input.issueDate = date;
  const invoice = await ctx.call('invoices.create', input, flags);
  return { json: { invoice }, human: `Issued ${invoice.number} for ${moneyText(invoice.total, invoice.currency)}, due ${invoice.dueDate}.\n\n${describeInvoice(invoice)}` };
}

interface CreditOptions {
  settle: string;
  amount?: string;
  line: string[];
  date?: string;
  reason?: string;
  restock?: boolean;
}

const SETTLEMENTS = ['invoice', 'credit', 'refund'] as const;

async function creditInvoice(ctx: CliContext, opts: CreditOptions, [id = '']: string[]): Promise<CommandOutput> {
  const settlement = opts.settle.trim();
  if (!isOneOf(settlement, SETTLEMENTS)) throw validationError('settlement', 'Settle with invoice, credit or refund', '--settle');
  const date = opts.date === undefined ? undefined : parseDate(opts.date, 'issueDate', '--date');
  const money = await loginToBusiness(ctx);
  const input: Input<'creditNotes.create'> = { invoiceId: id, settlement };
  if (opts.amount !== undefined) input.amount = money.amount(opts.amount, 'amount', '--amount');
  if (opts.line.length) {
    input.lines = opts.line.map((text, i) => {
      const [pos = '', qty] = text.split(':');
      const position = parseWholeNumber(pos, `lines.${i}.position`, '--line', 'Give the line by its position, like 0 or 0:2');
      return qty === undefined ? { position } : { position, quantity: parseWholeNumber(qty, `lines.${i}.quantity`, '--line', 'The quantity is a whole number, like 2') };
    });
  }
  if (date !== undefined) input.issueDate = date;
  if (opts.reason !== undefined) input.reason = opts.reason;
  if (opts.restock !== undefined) input.restock = opts.restock;
  const note = await ctx.call('creditNotes.create', input, {
    ...withId({ settlement: '--settle', amount: '--amount', lines: '--line', issueDate: '--date', reason: '--reason', restock: '--restock' }, id),
    invoiceId: `invoice ${id}`,
  });
  const how = { invoice: `off what ${note.invoiceNumber} owes`, credit: "on the customer's credit balance", refund: 'refunded' }[note.settlement];
  return { json: { creditNote: note }, human: `Credit note ${note.number} for ${moneyText(note.total, note.currency)} on ${note.invoiceNumber}, ${how}.` };
}

async function creditNotePdf(ctx: CliContext, opts: { out: string }, [id = '']: string[]): Promise<CommandOutput> {
  const out = checkedOutFile(opts.out);
  await ctx.login();
  ctx.exportTo(out);
  const { path } = await ctx.call('creditNotes.pdf', { id }, { id: `credit note ${id}` });
  const file = path ?? out;
  return { json: { path: file }, human: `Saved credit note ${id} as ${file}.` };
}
