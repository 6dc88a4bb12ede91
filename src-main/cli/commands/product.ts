import type { Command, OptionValues } from 'commander';
import type { Input } from '@shared/contract';
import type { Product, StockMovementDto } from '@shared/contract/products';
import { allPages, isOneOf, loginToBusiness } from '../billing-support';
import type { CliContext, FlagNames } from '../context';
import { usageError, validationError } from '../errors';
import { formatFields, formatTable, moneyText, type CommandOutput } from '../output';
import { parseWholeNumber } from '../parse';
import type { Runner } from '../program';

// Products sold at the counter (issue 14): `product create|list|update|archive|unarchive|show|stock|history`.

interface FieldOptions {
  sku?: string;
  name?: string;
  price?: string;
  stock?: string;
  lowStockAt?: string;
  category?: string;
  description?: string;
}

const FLAGS: FlagNames = {
  sku: '--sku',
  name: '--name',
  price: '--price',
  stock: '--stock',
  lowStockAt: '--low-stock-at',
  category: '--category',
  description: '--description',
  adjust: '--adjust',
  counted: '--counted',
  reason: '--reason',
  note: '--note',
  search: '--search',
};

// Here, not imported from the contract: importing it would build its schemas at start.
const STOCK_ADJUST_REASONS = ['received', 'count', 'damaged', 'other'] as const;

const quantity = (text: string, field: string, flag: string) => parseWholeNumber(text, field, flag, 'Give a whole number, like 12');

export function registerProductCommands(program: Command, run: Runner): void {
  const product = program.command('product').description('products sold at the counter, and their stock');

  product
    .command('create')
    .description('add a product (staff or owner); without --stock its stock is not tracked')
    .requiredOption('--sku <sku>', 'the code on the label or barcode; unique, whatever the case')
    .requiredOption('--name <name>', 'the name on receipts')
    .requiredOption('--price <amount>', 'the price in the business currency, like 4.50')
    .option('--stock <n>', 'the stock on hand now (recorded as received)')
    .option('--low-stock-at <n>', 'warn when the stock is at or below this')
    .option('--category <category>', 'a category, like Drinks')
    .option('--description <text>', 'what it is')
    .action(run(createProduct));

  product
    .command('list')
    .description('the products, by name')
    .option('--search <text>', 'a SKU prefix, words of the name, or the category')
    .option('--category <category>', 'only this category')
    .option('--low-stock', 'only products at or below their low-stock level')
    .option('--include-archived', 'list archived products too')
    .action(run(listProducts));

  product.command('show').description('one product').argument('<id>', 'the product id or its SKU').action(run(showProduct));

  product
    .command('update')
    .description('change a product; only the options given change (staff or owner); stock changes with `product stock`')
    .argument('<id>', 'the product id')
    .option('--sku <sku>', 'a new SKU')
    .option('--name <name>', 'a new name')
    .option('--price <amount>', 'a new price, like 4.50')
    .option('--low-stock-at <n>', 'warn at or below this; "none" for no warning')
    .option('--category <category>', 'a category')
    .option('--description <text>', 'what it is')
    .action(run(updateProduct));

  product
    .command('archive')
    .description('stop selling a product; its sales and stock history stay (staff or owner)')
    .argument('<id>', 'the product id')
    .action(run(archiveOrNot(true)));

  product.command('unarchive').description('sell an archived product again (staff or owner)').argument('<id>', 'the product id').action(run(archiveOrNot(false)));

  product
    .command('stock')
    .description('adjust the stock on hand, saying why (staff or owner)')
    .argument('<id>', 'the product id')
    .option('--adjust <n>', 'signed: --adjust 12 received, --adjust -3 damaged')
    .option('--counted <n>', 'with --reason count: the quantity counted; the difference is recorded')
    .requiredOption('--reason <reason>', 'received, count, damaged or other')
    .option('--note <text>', 'why, in a few words')
    .action(run(adjustStock));

  product
    .command('history')
    .description("a product's stock movements, newest first")
    .argument('<id>', 'the product id')
    .action(run(productHistory));
}

async function createProduct(ctx: CliContext, opts: FieldOptions): Promise<CommandOutput> {
  const stock = opts.stock === undefined ? null : quantity(opts.stock, 'stock', '--stock');
  const lowStockAt = opts.lowStockAt === undefined ? null : quantity(opts.lowStockAt, 'lowStockAt', '--low-stock-at');
  const money = await loginToBusiness(ctx);
  const input: Input<'products.create'> = { sku: opts.sku ?? '', name: opts.name ?? '', price: money.amount(opts.price ?? '', 'price', '--price'), stock, lowStockAt };
  if (opts.category !== undefined) input.category = opts.category;
  if (opts.description !== undefined) input.description = opts.description;
  const product = await ctx.call('products.create', input, FLAGS);
  return { json: { product }, human: `Created product ${product.sku}.\n${describeProduct(product)}` };
}

async function listProducts(ctx: CliContext, opts: { search?: string; category?: string; lowStock?: boolean; includeArchived?: boolean }): Promise<CommandOutput> {
  await ctx.login();
  const filter: Input<'products.list'> = { lowStock: opts.lowStock === true, includeArchived: opts.includeArchived === true };
  if (opts.search !== undefined) filter.search = opts.search;
  if (opts.category !== undefined) filter.category = opts.category;
  const products = await allPages((page) => ctx.call('products.list', { ...filter, ...page }, FLAGS));
  const empty = opts.lowStock ? 'No product is at or below its low-stock level.' : opts.search || opts.category ? 'No product matches.' : 'No products yet. Add one with: recurra product create --help';
  return { json: products, human: products.length ? productTable(products) : empty };
}

async function showProduct(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const product = await findProduct(ctx, id);
  return { json: { product }, human: describeProduct(product) };
}

/** An id, or failing that a SKU (what is printed on the label). */
async function findProduct(ctx: CliContext, idOrSku: string): Promise<Product> {
  try {
    return await ctx.call('products.get', { id: idOrSku }, { id: `product ${idOrSku}` });
  } catch (error) {
    if ((error as { code?: string }).code !== 'not_found') throw error;
    return ctx.call('products.bySku', { sku: idOrSku }, { sku: `product ${idOrSku}` });
  }
}

async function updateProduct(ctx: CliContext, opts: FieldOptions, [id = '']: string[]): Promise<CommandOutput> {
  if (Object.values(opts).every((v) => v === undefined)) throw usageError('Say what to change, like --price or --name (see recurra product update --help)');
  const input: Input<'products.update'> = { id };
  if (opts.lowStockAt !== undefined) input.lowStockAt = /^\s*none\s*$/i.test(opts.lowStockAt) ? null : quantity(opts.lowStockAt, 'lowStockAt', '--low-stock-at');
  if (opts.sku !== undefined) input.sku = opts.sku;
  if (opts.name !== undefined) input.name = opts.name;
  if (opts.category !== undefined) input.category = opts.category;
  if (opts.description !== undefined) input.description = opts.description;
  const money = await loginToBusiness(ctx);
  if (opts.price !== undefined) input.price = money.amount(opts.price, 'price', '--price');
  const product = await ctx.call('products.update', input, { ...FLAGS, id: `product ${id}` });
  return { json: { product }, human: `Updated product ${product.sku}.\n${describeProduct(product)}` };
}

function archiveOrNot(archive: boolean) {
  return async (ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> => {
    await ctx.login();
    const product = await ctx.call(archive ? 'products.archive' : 'products.unarchive', { id }, { id: `product ${id}` });
    return { json: { product }, human: `${archive ? 'Archived' : 'Unarchived'} product ${product.sku}.\n${describeProduct(product)}` };
  };
}

async function adjustStock(ctx: CliContext, opts: { adjust?: string; counted?: string; reason: string; note?: string }, [id = '']: string[]): Promise<CommandOutput> {
  const reason = opts.reason.trim();
  if (!isOneOf(reason, STOCK_ADJUST_REASONS)) throw validationError('reason', 'Reason must be received, count, damaged or other', '--reason');
  if (opts.adjust === undefined && opts.counted === undefined) throw usageError("required option '--adjust <n>' not specified (or --counted <n> with --reason count)");
  const input: Input<'products.adjustStock'> = { id, reason };
  if (opts.adjust !== undefined) input.adjust = parseWholeNumber(opts.adjust, 'adjust', '--adjust', 'Give a whole number other than 0, like 12 or -3');
  if (opts.counted !== undefined) input.counted = quantity(opts.counted, 'counted', '--counted');
  if (opts.note !== undefined) input.note = opts.note;
  await ctx.login();
  const { product, movement } = await ctx.call('products.adjustStock', input, { ...FLAGS, id: `product ${id}` });
  return {
    json: { product, movement },
    human: `${signed(movement.quantity)} ${product.sku} (${movement.kind}${movement.reason ? `: ${movement.reason}` : ''}); stock on hand now ${product.stock}.`,
  };
}

async function productHistory(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const rows = await allPages((page) => ctx.call('products.movements', { id, ...page }, { id: `product ${id}` }));
  return { json: rows, human: rows.length ? movementTable(rows) : 'No stock movements: its stock is not tracked yet.' };
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const stockText = (p: Product) => (p.stock === null ? 'not tracked' : `${p.stock}${p.lowStock ? ' (low)' : ''}`);

function productTable(products: readonly Product[]): string {
  return formatTable(products, [
    { header: 'SKU', value: (p) => p.sku },
    { header: 'NAME', value: (p) => p.name + (p.archived ? ' (archived)' : '') },
    { header: 'CATEGORY', value: (p) => p.category },
    { header: 'PRICE', value: (p) => moneyText(p.price, p.currency), align: 'right' },
    { header: 'STOCK', value: stockText, align: 'right' },
    { header: 'ID', value: (p) => p.id },
  ]);
}

function movementTable(rows: readonly StockMovementDto[]): string {
  return formatTable(rows, [
    { header: 'DATE', value: (m) => m.occurredOn },
    { header: 'KIND', value: (m) => m.kind },
    { header: 'QTY', value: (m) => signed(m.quantity), align: 'right' },
    { header: 'AFTER', value: (m) => String(m.stockAfter), align: 'right' },
    { header: 'WHO', value: (m) => m.userName ?? '' },
    { header: 'WHY', value: (m) => m.reason },
  ]);
}

function describeProduct(p: Product): string {
  return formatFields([
    ['SKU', p.sku],
    ['Name', p.name],
    ['Category', p.category || '-'],
    ['Price', moneyText(p.price, p.currency)],
    ['Stock', stockText(p)],
    ['Low stock at', p.lowStockAt === null ? '-' : String(p.lowStockAt)],
    ['Archived', p.archived ? 'yes' : 'no'],
    ['Id', p.id],
  ]);
}
