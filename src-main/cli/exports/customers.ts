import type { Input } from '@shared/contract';
import { dateInTimeZone } from '@shared/domain/dates';
import { customerFilter, FILTER_FLAGS } from '../commands/customer';
import type { CliContext } from '../context';
import { validationError } from '../errors';
import type { Exporter, ExportRequest } from './exporter';

/** The core takes at most this many ids in one export (the contract's limit). */
const MAX_IDS = 100_000;
const PAGE_SIZE = 500;

export const customersExporter: Exporter = {
  rangeMeans: "the customers created from --from through --to (dates in the business's time zone, as in the Created column)",
  filters: ['search', 'status', 'segment', 'tag'],
  async run(ctx, request) {
    const filter = customerFilter(request.filters);
    const ids = request.from || request.to ? await idsCreatedIn(ctx, filter, request) : undefined;
    return ctx.call('customers.export', { ...filter, ids, bom: request.bom }, FILTER_FLAGS);
  },
};

/**
 * customers.export has no date filter (a gap in the core), so the ids created in the range are
 * collected from the list, oldest first, and exported as a selection.
 */
async function idsCreatedIn(ctx: CliContext, filter: Input<'customers.list'>, { from, to }: ExportRequest): Promise<string[]> {
  const { timezone } = await ctx.call('business.get', {});
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await ctx.call(
      'customers.list',
      { ...filter, sort: 'createdAt', direction: 'asc', offset, limit: PAGE_SIZE },
      FILTER_FLAGS,
    );
    for (const customer of page.rows) {
      const created = dateInTimeZone(new Date(customer.createdAt), timezone);
      if (to !== undefined && created > to) return ids;
      if (from === undefined || created >= from) ids.push(customer.id);
    }
    if (ids.length > MAX_IDS) {
      throw validationError('from', `More than ${MAX_IDS} customers in that range: export a shorter range at a time`, '--from');
    }
    if (page.rows.length < PAGE_SIZE) return ids;
  }
}
