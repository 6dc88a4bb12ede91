import type { Command, OptionValues } from 'commander';
import type { Input } from '@shared/contract';
import type { DayReport, Sale, SaleRefund } from '@shared/contract/sales';
import { MoneyParseError, parsePercentToPpm } from '@shared/domain/money';
import { SALE_METHODS, SALE_STATUSES } from '@shared/contract/sales';
import { allPages, isOneOf, loginToBusiness, type BillingBusiness } from '../billing-support';
import type { CliContext, FlagNames } from '../context';
import { validationError } from '../errors';
import { moneyText, type CommandOutput } from '../output';
import { parseDate } from '../parse';
import type { Runner } from '../program';
import { checkedOutFile } from './export';

// Counter sales (spec/cli.md "Sales, email and campaigns"): amounts in major
// units like every other command ("25.00"), turned into minor units here.

interface CreateOptions {
  item: string[];
  customer?: string;
  discount?: string;
  method: string;
  tendered?: string;
  split?: string;
  on: string;
  note?: string;
}

interface ListOptions {
  from?: string;
  to?: string;
  customer?: string;
  method?: string;
  status?: string;
}

interface RefundOptions {
  item: string[];
  on: string;
  method?: string;
  reason?: string;
}

const CREATE_FLAGS: FlagNames = {
  items: '--item',
  customerId: '--customer',
  discount: '--discount',
  payments: '--method',
  'payments.0.amount': '--split',
  'payments.1.tendered': '--tendered',
  'payments.1.amount': '--split',
  tendered: '--tendered',
  on: '--on',
  note: '--note',
};
const LIST_FLAGS: FlagNames = { from: '--from', to: '--to', customerId: '--customer', method: '--method', status: '--status' };
const REFUND_FLAGS: FlagNames = { items: '--item', on: '--on', method: '--method', reason: '--reason' };
const withId = (flags: FlagNames, id: string): FlagNames => ({ ...flags, id: `sale ${id}` });
const collect = (value: string, previous: string[]) => [...previous, value];

export function registerSaleCommands(program: Command, run: Runner): void {
  const sale = program.command('sale').description('sales at the counter: products sold, paid at once, with a receipt');

  sale
    .command('create')
    .description('record a sale in one transaction: stock goes down, a receipt number is taken (staff or owner)')
    .requiredOption('--item <SKU:QTY[@PRICE]>', 'a product and how many, like MAT-1:2 or TEA:1@3.00 (a price of your own); repeat for more', collect, [])
    .option('--customer <id>', 'who bought it (needed for an invoice later)')
    .option('--discount <amount|percent%>', 'a discount on the whole sale: an amount like 5.00, or a percentage like 10%')
    .requiredOption('--method <method>', `how it was paid: ${SALE_METHODS.join(', ')}`)
    .option('--tendered <amount>', 'cash handed over, like 50.00: the change is given back')
    .option('--split <METHOD:AMOUNT>', 'pay part by another method first, like card:10.00; --method pays the rest')
    .requiredOption('--on <date>', 'the day of the sale, YYYY-MM-DD')
    .option('--note <text>', 'a note on the sale')
    .action(run(createSale));

  sale
    .command('list')
    .description('sales, newest first')
    .option('--from <date>', 'sold on or after, YYYY-MM-DD')
    .option('--to <date>', 'sold on or before, YYYY-MM-DD')
    .option('--customer <id>', "only this customer's")
    .option('--method <method>', `only those paid (in part) by: ${[...SALE_METHODS, 'split'].join(', ')}`)
    .option('--status <status>', `only: ${SALE_STATUSES.join(', ')}`)
    .action(run(listSales));

  sale
    .command('show')
    .description('one sale with its lines, payments and refunds')
    .argument('<id>', 'the sale id or receipt number, like R-000001')
    .action(run(showSale));

  sale
    .command('refund')
    .description('give back the whole sale, or some lines with --item; stock comes back (owner only)')
    .argument('<id>', 'the sale id or receipt number')
    .option('--item <SKU:QTY>', 'a line and how many to give back; repeat for more (none: the whole sale)', collect, [])
    .requiredOption('--on <date>', 'the day of the refund, YYYY-MM-DD')
    .option('--method <method>', "how the money goes back (default: as it was paid)")
    .option('--reason <text>', 'why, for the records')
    .action(run(refundSale));

  sale
    .command('receipt')
    .description('save the receipt as a PDF')
    .argument('<id>', 'the sale id or receipt number')
    .requiredOption('--out <file>', 'the PDF file to write (replaced if it exists)')
    .option('--format <format>', '80mm (a receipt printer roll) or a4', '80mm')
    .action(run(saleReceipt));

  sale
    .command('email')
    .description("emails the receipt with its PDF attached, to the sale's customer or --to (staff or owner; email set up)")
    .argument('<id>', 'the sale id or receipt number')
    .option('--to <address>', "who gets it (default: the sale's customer's email)")
    .action(run(saleEmail));

  sale
    .command('invoice')
    .description('an invoice (already paid) for a sale to a business customer')
    .argument('<id>', 'the sale id or receipt number')
    .action(run(saleInvoice));
}

export function registerReportCommands(program: Command, run: Runner): void {
  const report = program.command('report').description('reports of the counter');
  report
    .command('day')
    .description('the end-of-day (Z) report: sales, refunds and tax of the day, per payment method and per product')
    .requiredOption('--on <date>', 'the day, YYYY-MM-DD')
    .action(run(dayReport));
}

/** SKU:QTY[@PRICE] -> the contract's item; the SKU may itself hold a colon (the last one splits). */
function parseItem(text: string, i: number, money: BillingBusiness | null, withPrice: boolean) {
  const at = withPrice ? text.lastIndexOf('@') : -1;
  const head = at >= 0 ? text.slice(0, at) : text;
  const colon = head.lastIndexOf(':');
  const example = withPrice ? 'SKU:QTY or SKU:QTY@PRICE, like MAT-1:2' : 'SKU:QTY, like MAT-1:1';
  if (colon <= 0) throw validationError(`items.${i}`, `Write the item as ${example}`, '--item');
  const sku = head.slice(0, colon).trim();
  const qty = head.slice(colon + 1).trim();
  if (!/^-?\d+(\.\d+)?$/.test(qty)) throw validationError(`items.${i}.quantity`, `"${qty}" is not a quantity: write the item as ${example}`, '--item');
  const item: { sku: string; quantity: number; unitPrice?: number } = { sku, quantity: Number(qty) };
  if (at >= 0 && money) item.unitPrice = money.amount(text.slice(at + 1).trim(), `items.${i}.unitPrice`, '--item');
  return item;
}

async function createSale(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  const on = parseDate(opts.on, 'on', '--on');
  const method = opts.method.trim();
  if (!isOneOf(method, SALE_METHODS)) throw validationError('payments.0.method', `Method must be ${SALE_METHODS.join(', ')}`, '--method');
  if (opts.item.length === 0) throw validationError('items', 'Add at least one --item', '--item');
  const money = await loginToBusiness(ctx);
  const items = opts.item.map((text, i) => parseItem(text, i, money, true));
  const payment: Input<'sales.create'>['payments'][number] = { method };
  const payments: Input<'sales.create'>['payments'] = [payment];
  if (opts.split !== undefined) {
    const [other = '', amount = ''] = opts.split.split(':');
    const otherMethod = other.trim();
    if (!isOneOf(otherMethod, SALE_METHODS) || amount === '') throw validationError('payments.0', `Write the split as METHOD:AMOUNT, like card:10.00 (${SALE_METHODS.join(', ')})`, '--split');
    payments.unshift({ method: otherMethod, amount: money.amount(amount.trim(), 'payments.0.amount', '--split') });
  }
  if (opts.tendered !== undefined) payment.tendered = money.amount(opts.tendered, payments.length > 1 ? 'payments.1.tendered' : 'tendered', '--tendered');
  const input: Input<'sales.create'> = { items, payments, on };
  if (opts.customer !== undefined) input.customerId = opts.customer;
  if (opts.note !== undefined) input.note = opts.note;
  if (opts.discount !== undefined) input.discount = parseDiscount(opts.discount, money);
  const sale = await ctx.call('sales.create', input, CREATE_FLAGS);
  return { json: { sale }, human: `Recorded sale ${sale.number}.\n\n${describeSale(sale, [])}` };
}

function parseDiscount(text: string, money: BillingBusiness): NonNullable<Input<'sales.create'>['discount']> {
  const trimmed = text.trim();
  if (trimmed.endsWith('%')) {
    try {
      return { percentPpm: parsePercentToPpm(trimmed) };
    } catch (error) {
      if (error instanceof MoneyParseError) throw validationError('discount', error.message, '--discount');
      throw error;
    }
  }
  return { amount: money.amount(trimmed, 'discount', '--discount') };
}

async function listSales(ctx: CliContext, opts: ListOptions): Promise<CommandOutput> {
  const filter: Omit<Input<'sales.list'>, 'offset' | 'limit'> = {};
  if (opts.from !== undefined) filter.from = parseDate(opts.from, 'from', '--from');
  if (opts.to !== undefined) filter.to = parseDate(opts.to, 'to', '--to');
  if (opts.customer !== undefined) filter.customerId = opts.customer;
  if (opts.method !== undefined) {
    const method = opts.method.trim();
    const methods = [...SALE_METHODS, 'split'] as const;
    if (!isOneOf(method, methods)) throw validationError('method', `Method must be ${methods.join(', ')}`, '--method');
    filter.method = method;
  }
  if (opts.status !== undefined) {
    const status = opts.status.trim();
    if (!isOneOf(status, SALE_STATUSES)) throw validationError('status', `Status must be ${SALE_STATUSES.join(', ')}`, '--status');
    filter.status = status;
  }
  await ctx.login();
  const rows = await allPages((page) => ctx.call('sales.list', { ...filter, ...page }, LIST_FLAGS));
  if (rows.length === 0) return { json: rows, human: 'No sales match.' };
  const currency = rows[0]!.currency;
  const lines = rows.map((s) => `${s.number}  ${s.soldOn}  ${moneyText(s.total, s.currency).padStart(12)}  ${s.method.padEnd(13)}  ${s.status}${s.customerName ? `  ${s.customerName}` : ''}`);
  const total = rows.reduce((sum, s) => sum + s.total, 0);
  return { json: rows, human: `${lines.join('\n')}\n${rows.length} ${rows.length === 1 ? 'sale' : 'sales'}, ${moneyText(total, currency)} in all.` };
}

async function showSale(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const { sale, refunds } = await ctx.call('sales.get', { id }, withId({}, id));
  return { json: { sale, refunds }, human: describeSale(sale, refunds) };
}

async function refundSale(ctx: CliContext, opts: RefundOptions, [id = '']: string[]): Promise<CommandOutput> {
  const on = parseDate(opts.on, 'on', '--on');
  const input: Input<'sales.refund'> = { id, on };
  if (opts.item.length > 0) input.items = opts.item.map((text, i) => parseItem(text, i, null, false));
  if (opts.method !== undefined) {
    const method = opts.method.trim();
    if (!isOneOf(method, SALE_METHODS)) throw validationError('method', `Method must be ${SALE_METHODS.join(', ')}`, '--method');
    input.method = method;
  }
  if (opts.reason !== undefined) input.reason = opts.reason;
  await ctx.login();
  const { sale, refund } = await ctx.call('sales.refund', input, withId(REFUND_FLAGS, id));
  return {
    json: { sale, refund },
    human: `Refunded ${moneyText(refund.amount, refund.currency)} (${refund.method.replace('_', ' ')}) of sale ${sale.number} on ${refund.refundedOn}; the sale is now ${sale.status.replace('_', ' ')}.\nRefund id: ${refund.id}`,
  };
}

async function saleReceipt(ctx: CliContext, opts: { out: string; format: string }, [id = '']: string[]): Promise<CommandOutput> {
  const format = opts.format.trim().toLowerCase();
  if (!isOneOf(format, ['80mm', 'a4'] as const)) throw validationError('format', 'Format must be 80mm or a4', '--format');
  const out = checkedOutFile(opts.out);
  await ctx.login();
  ctx.exportTo(out);
  const { path } = await ctx.call('sales.receipt', { id, format }, withId({}, id));
  const file = path ?? out;
  return { json: { path: file }, human: `Saved the receipt of sale ${id} as ${file}.` };
}

async function saleEmail(ctx: CliContext, opts: { to?: string }, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const input: Input<'sales.emailReceipt'> = { id };
  if (opts.to !== undefined) input.to = opts.to;
  const result = await ctx.call('sales.emailReceipt', input, withId({ to: '--to' }, id));
  const human = result.sent
    ? `Receipt of sale ${id} emailed to ${result.to} with its PDF.`
    : `Receipt of sale ${id} queued for ${result.to}, not sent yet: ${result.error ?? 'it waits in the outbox'}.`;
  return { json: { queued: true, to: result.to }, human };
}

async function saleInvoice(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const { invoice, sale } = await ctx.call('sales.invoice', { id }, withId({ customerId: '--customer (on sale create)' }, id));
  return { json: { invoice }, human: `Invoice ${invoice.number} made out to ${invoice.customerName} for sale ${sale.number} (${moneyText(invoice.total, invoice.currency)}, paid).` };
}

async function dayReport(ctx: CliContext, opts: { on: string }): Promise<CommandOutput> {
  const on = parseDate(opts.on, 'on', '--on');
  await ctx.login();
  const z = await ctx.call('sales.dayReport', { on }, { on: '--on' });
  return { json: z, human: describeDay(z) };
}

function describeSale(sale: Sale, refunds: SaleRefund[]): string {
  const m = (n: number) => moneyText(n, sale.currency);
  const out = [`Sale ${sale.number}, ${sale.soldOn}${sale.customerName ? `, ${sale.customerName}` : ''} (${sale.status.replace('_', ' ')})`];
  for (const l of sale.lines) {
    out.push(`  ${l.sku.padEnd(12)} ${l.name.slice(0, 28).padEnd(28)} ${String(l.quantity).padStart(4)} x ${m(l.unitPrice).padStart(10)}${l.discount ? `  -${m(l.discount)}` : ''}  ${m(l.amount).padStart(11)}`);
  }
  out.push(`  Subtotal ${m(sale.subtotal)}${sale.discount ? `, discount -${m(sale.discount)}` : ''}, tax ${m(sale.tax)}, total ${m(sale.total)}`);
  out.push(`  Paid: ${sale.payments.map((p) => `${p.method.replace('_', ' ')} ${m(p.amount)}${p.tendered !== null ? ` (tendered ${m(p.tendered)}, change ${m(p.change)})` : ''}`).join(' + ') || 'nothing'}`);
  for (const r of refunds) out.push(`  Refunded ${m(r.amount)} on ${r.refundedOn} (${r.method.replace('_', ' ')})`);
  return out.join('\n');
}

function describeDay(z: DayReport): string {
  const m = (n: number) => moneyText(n, z.currency);
  const out = [
    `Day ${z.date}: ${z.count} ${z.count === 1 ? 'sale' : 'sales'}, ${m(z.sales)}; refunds ${m(z.refunds)}; net ${m(z.net)} (tax ${m(z.tax)})`,
    `  Cash ${m(z.byMethod.cash)}, card ${m(z.byMethod.card)}, bank transfer ${m(z.byMethod.bank_transfer)}, other ${m(z.byMethod.other)}`,
    `  Cash tendered ${m(z.cashTendered)}, change given ${m(z.changeGiven)}`,
  ];
  for (const p of z.byProduct) out.push(`  ${p.sku.padEnd(12)} ${String(p.quantity).padStart(5)}  ${m(p.amount).padStart(12)}  ${p.name}`);
  return out.join('\n');
}
