import type { Command, OptionValues } from 'commander';
import type { Input } from '@shared/contract';
import {
  CUSTOMER_SORT_COLUMNS,
  CUSTOMER_STATUSES,
  type Customer,
  type CustomerSortColumn,
  type CustomerStatus,
  type PaymentMethod,
} from '@shared/domain/customers';
import type { CliContext, FlagNames } from '../context';
import { usageError, validationError } from '../errors';
import { formatFields, formatTable, moneyText, type CommandOutput } from '../output';
import { parseWholeNumber } from '../parse';
import type { Runner } from '../program';

/** The customer fields as flags; commander names each option after its flag (--address-line1 -> addressLine1). */
interface FieldOptions {
  name?: string;
  email?: string;
  phone?: string;
  company?: string;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  segment?: string;
  tags?: string;
  notes?: string;
  status?: string;
  paymentMethod?: string;
}

type CustomerChanges = Omit<Input<'customers.update'>, 'id'>;

/** The list filters, shared with `recurra export customers`. */
export interface FilterOptions {
  search?: string;
  status?: string;
  segment?: string;
  tag?: string;
}

interface ListOptions extends FilterOptions {
  sort?: string;
  desc?: boolean;
  limit?: string;
  offset?: string;
}

const FIELD_FLAGS: FlagNames = {
  name: '--name',
  email: '--email',
  phone: '--phone',
  company: '--company',
  addressLine1: '--address-line1',
  addressLine2: '--address-line2',
  city: '--city',
  region: '--region',
  postalCode: '--postal-code',
  country: '--country',
  segment: '--segment',
  tags: '--tags',
  notes: '--notes',
  status: '--status',
  paymentMethod: '--payment-method',
};

export const FILTER_FLAGS: FlagNames = { search: '--search', status: '--status', segment: '--segment', tag: '--tag' };
const LIST_FLAGS: FlagNames = { ...FILTER_FLAGS, sort: '--sort', limit: '--limit', offset: '--offset' };

/** The core pages at most 500 rows per call; `customer list` asks page after page. */
const PAGE_SIZE = 500;

export function registerCustomerCommands(program: Command, run: Runner): void {
  const customer = program.command('customer').description('the people and companies who pay the business');

  addFieldOptions(
    customer
      .command('create')
      .description('add a customer (email unique per business; staff or owner)')
      .requiredOption('--name <name>', "the customer's name")
      .requiredOption('--email <email>', 'their email, unique in the business'),
  ).action(run(createCustomer));

  addFilterOptions(customer.command('list').description('the customers, by name (all of them unless --limit)'))
    .option('--sort <column>', `sort by ${CUSTOMER_SORT_COLUMNS.join(', ')}`)
    .option('--desc', 'sort in descending order')
    .option('--limit <n>', 'at most this many customers')
    .option('--offset <n>', 'skip this many first')
    .action(run(listCustomers));

  addFieldOptions(
    customer
      .command('update')
      .description('change the fields given, leaving the others as they are (staff or owner)')
      .argument('<id>', 'the customer id (`recurra customer list` shows them)')
      .option('--name <name>', "the customer's name")
      .option('--email <email>', 'their email, unique in the business'),
  ).action(run(updateCustomer));

  customer
    .command('delete')
    .description('delete a customer with no billing history (owner only)')
    .argument('<id>', 'the customer id')
    .action(run(deleteCustomer));
}

/** The fields create and update share; name and email are added by each (required on create). */
function addFieldOptions(command: Command): Command {
  return (
    command
      .option('--phone <phone>', 'phone number')
      .option('--company <company>', 'company name')
      .option('--address-line1 <text>', 'street address')
      .option('--address-line2 <text>', 'apartment, suite, floor')
      .option('--city <city>', 'city')
      .option('--region <region>', 'state, province or county')
      .option('--postal-code <code>', 'postal or ZIP code')
      .option('--country <country>', 'country')
      .option('--segment <segment>', 'a segment, like Enterprise')
      // On update the list replaces the customer's tags; an empty value removes them all.
      .option('--tags <tags>', 'tags separated by commas, like vip,yoga')
      .option('--notes <text>', 'free-form notes')
      // Not commander .choices(): a bad value is the core's validation error (exit 1), as in the app.
      .option('--status <status>', 'active or inactive')
      .option('--payment-method <method>', 'card, card_declining (a test card that fails) or manual')
  );
}

export function addFilterOptions(command: Command): Command {
  return command
    .option('--search <text>', 'name, email, company or phone (close matches when nothing matches exactly)')
    .option('--status <status>', 'active or inactive')
    .option('--segment <segment>', 'customers in this segment')
    .option('--tag <tag>', 'customers with this tag');
}

/** The filter of the list and of the customers export; an absent flag filters nothing. */
export function customerFilter(opts: FilterOptions): Input<'customers.list'> {
  const filter: Input<'customers.list'> = {};
  if (opts.search !== undefined) filter.search = opts.search;
  if (opts.status !== undefined) {
    // The core's filter schema gives zod's generic enum message here; say it as the customer form does.
    if (!(CUSTOMER_STATUSES as readonly string[]).includes(opts.status)) {
      throw validationError('status', 'Status must be active or inactive', '--status');
    }
    filter.status = opts.status as CustomerStatus;
  }
  if (opts.segment !== undefined) filter.segment = opts.segment;
  if (opts.tag !== undefined) filter.tag = opts.tag;
  return filter;
}

/** Flag values to contract fields, only those given (an update must not reset the rest). */
function customerFields(opts: FieldOptions): CustomerChanges {
  const { tags, status, paymentMethod, ...text } = opts;
  const fields: CustomerChanges = {};
  for (const [key, value] of Object.entries(text) as [keyof typeof text, string | undefined][]) {
    if (value !== undefined) fields[key] = value;
  }
  // "a, b" -> ["a", "b"]; an empty item stays, so the core can say "A tag cannot be empty".
  if (tags !== undefined) fields.tags = tags.trim() === '' ? [] : tags.split(',').map((t) => t.trim());
  if (status !== undefined) fields.status = status as CustomerStatus;
  if (paymentMethod !== undefined) fields.paymentMethod = paymentMethod as PaymentMethod;
  return fields;
}

async function createCustomer(ctx: CliContext, opts: FieldOptions & { name: string; email: string }): Promise<CommandOutput> {
  await ctx.login();
  const customer = await ctx.call('customers.create', { ...customerFields(opts), name: opts.name, email: opts.email }, FIELD_FLAGS);
  return { json: { customer }, human: `Created customer ${customer.name}.\n${describeCustomer(customer)}` };
}

async function updateCustomer(ctx: CliContext, opts: FieldOptions, [id = '']: string[]): Promise<CommandOutput> {
  // Checked before logging in, like `business update`: a typo costs no login.
  const changes = customerFields(opts);
  if (Object.keys(changes).length === 0) {
    throw usageError(`Nothing to change: give at least one of ${Object.values(FIELD_FLAGS).join(', ')}`);
  }
  await ctx.login();
  const customer = await ctx.call('customers.update', { id, ...changes }, { ...FIELD_FLAGS, id: `customer ${id}` });
  return { json: { customer }, human: `Updated customer ${customer.name}.\n${describeCustomer(customer)}` };
}

async function deleteCustomer(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const flags = { id: `customer ${id}` };
  // Read first only to name the customer for people; the delete itself checks roles and billing history.
  const { customer } = await ctx.call('customers.get', { id }, flags);
  const { deleted } = await ctx.call('customers.delete', { id }, flags);
  return { json: { deleted }, human: `Deleted customer ${customer.name} (${deleted}).` };
}

async function listCustomers(ctx: CliContext, opts: ListOptions): Promise<CommandOutput> {
  const query = listQuery(opts);
  await ctx.login();
  const { rows, total, fuzzy } = await listPages(ctx, query);
  return { json: rows, human: listText(rows, total, fuzzy, opts) };
}

interface ListQuery {
  filter: Input<'customers.list'>;
  sort: CustomerSortColumn;
  direction: 'asc' | 'desc';
  offset: number;
  limit: number | undefined;
}

function listQuery(opts: ListOptions): ListQuery {
  const sort = opts.sort ?? 'name';
  if (!(CUSTOMER_SORT_COLUMNS as readonly string[]).includes(sort)) {
    throw validationError('sort', `Sort by one of ${CUSTOMER_SORT_COLUMNS.join(', ')}`, '--sort');
  }
  const limit = opts.limit === undefined ? undefined : parseWholeNumber(opts.limit, 'limit', '--limit', 'Give a whole number of customers, like 50');
  if (limit !== undefined && limit < 1) throw validationError('limit', 'Give a limit of at least 1', '--limit');
  const offset = opts.offset === undefined ? 0 : parseWholeNumber(opts.offset, 'offset', '--offset', 'Give a whole number of customers to skip, like 100');
  if (offset < 0) throw validationError('offset', 'The offset cannot be negative', '--offset');
  return { filter: customerFilter(opts), sort: sort as CustomerSortColumn, direction: opts.desc ? 'desc' : 'asc', offset, limit };
}

/** A script asking for the customers means all of them, so page until the core runs out (or --limit is met). */
async function listPages(ctx: CliContext, q: ListQuery): Promise<{ rows: Customer[]; total: number; fuzzy: boolean }> {
  const rows: Customer[] = [];
  let total = 0;
  for (;;) {
    const want = Math.min(PAGE_SIZE, q.limit === undefined ? PAGE_SIZE : q.limit - rows.length);
    const page = await ctx.call(
      'customers.list',
      // The total is counted once, with the first page.
      { ...q.filter, sort: q.sort, direction: q.direction, offset: q.offset + rows.length, limit: want, withTotal: rows.length === 0 },
      LIST_FLAGS,
    );
    if (page.total !== null) total = page.total;
    rows.push(...page.rows);
    const done = page.rows.length < want || (q.limit !== undefined && rows.length >= q.limit);
    if (done) return { rows, total, fuzzy: page.fuzzy };
  }
}

function listText(rows: Customer[], total: number, fuzzy: boolean, opts: ListOptions): string {
  const filtered = [opts.search, opts.status, opts.segment, opts.tag].some((v) => v !== undefined);
  if (total === 0) {
    return filtered ? 'No customers match.' : 'No customers yet. Add one with: recurra customer create --help';
  }
  const lines: string[] = [];
  // The core falls back to close matches (typos); say so, or a person takes them for exact hits.
  if (fuzzy) lines.push(`Nothing matches "${opts.search ?? ''}" exactly; close matches:`);
  lines.push(
    formatTable(rows, [
      { header: 'ID', value: (c) => c.id },
      { header: 'NAME', value: (c) => c.name },
      { header: 'EMAIL', value: (c) => c.email },
      { header: 'COMPANY', value: (c) => c.company },
      { header: 'STATUS', value: (c) => c.status },
      // The value --payment-method takes, so what a person sees is what they type.
      { header: 'PAYMENT METHOD', value: (c) => c.paymentMethod },
    ]),
  );
  if (rows.length < total) lines.push(`${rows.length} of ${total} customers shown (--limit and --offset page through them).`);
  return lines.join('\n');
}

/** One customer for people: the fields that are set, money formatted. */
export function describeCustomer(c: Customer): string {
  const address = [c.addressLine1, c.addressLine2, c.city, [c.region, c.postalCode].filter(Boolean).join(' '), c.country]
    .filter(Boolean)
    .join(', ');
  const optional: [string, string][] = [
    ['Phone', c.phone],
    ['Company', c.company],
    ['Address', address],
    ['Segment', c.segment],
    ['Tags', c.tags.join(', ')],
    ['Notes', c.notes],
  ];
  return formatFields([
    ['Customer id', c.id],
    ['Email', c.email],
    ...optional.filter(([, value]) => value !== ''),
    ['Status', c.status],
    ['Payment method', c.paymentMethod],
    ['Credit balance', moneyText(c.creditBalance, c.currency)],
    ['Created', c.createdAt.slice(0, 10)],
  ]);
}
