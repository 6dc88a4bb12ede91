import { dateInTimeZone } from '@shared/domain/dates';
import { fileSlug } from '@shared/domain/file-names';
import { toDecimalString, type CurrencyCode } from '@shared/domain/money';
import type { CustomerFilter, CustomerSortColumn } from '@shared/domain/customers';
import { writeCsv, type CsvColumn } from '../csv/write-csv';
import type { BusinessDb } from '../db/open';
import { businessCurrency, businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import type { ExportFile } from '../ports';
import { buildWhere, pageSql, type RiskLookup } from './customer-search';
import { tagsFor, type CustomerRow } from './customers-service';

type Row = CustomerRow & { tags: string[] };

/** Headers chosen so that an exported file imports back as it is. */
function columns(currency: CurrencyCode, timezone: string): CsvColumn<Row>[] {
  return [
    { header: 'Name', value: (r) => r.name },
    { header: 'Email', value: (r) => r.email },
    { header: 'Phone', value: (r) => r.phone },
    { header: 'Company', value: (r) => r.company },
    { header: 'Address line 1', value: (r) => r.address_line1 },
    { header: 'Address line 2', value: (r) => r.address_line2 },
    { header: 'City', value: (r) => r.city },
    { header: 'Region', value: (r) => r.region },
    { header: 'Postal code', value: (r) => r.postal_code },
    { header: 'Country', value: (r) => r.country },
    { header: 'Segment', value: (r) => r.segment },
    { header: 'Tags', value: (r) => r.tags.join(', ') },
    { header: 'Notes', value: (r) => r.notes },
    { header: 'Status', value: (r) => r.status },
    { header: 'Payment method', value: (r) => r.payment_method },
    { header: `Credit balance (${currency})`, value: (r) => toDecimalString(r.credit_balance, currency), trusted: true },
    // The day they became a customer where the business is (imports back as "customer since").
    { header: 'Created', value: (r) => dateInTimeZone(new Date(r.created_at), timezone), trusted: true },
    { header: 'Customer id', value: (r) => r.id },
  ];
}

const BATCH = 2000;

/** The list's order on screen; name A to Z when none is given. */
interface ExportOrder {
  sort: CustomerSortColumn;
  direction: 'asc' | 'desc';
}

type ExportFilter = CustomerFilter & { ids?: string[] | undefined; except?: string[] | undefined };

function* batches(db: BusinessDb, filter: ExportFilter, order: ExportOrder, risk?: () => RiskLookup): Generator<Row[]> {
  const where = buildWhere(db.sqlite, filter, { risk });
  const and = (sql: string, param: string[]) => {
    where.sql = `${where.sql ? `${where.sql} AND` : 'WHERE'} ${sql}`;
    where.params.push(JSON.stringify(param));
  };
  if (filter.ids) and('c.id IN (SELECT value FROM json_each(?))', filter.ids);
  else if (filter.except?.length) and('c.id NOT IN (SELECT value FROM json_each(?))', filter.except);
  for (let offset = 0; ; offset += BATCH) {
    const q = pageSql(where, { sort: order.sort, direction: order.direction, offset, limit: BATCH });
    const rows = stmt(db.sqlite, q.sql).all(...q.params) as CustomerRow[];
    if (rows.length === 0) return;
    const tags = tagsFor(db, rows.map((r) => r.id));
    yield rows.map((r) => ({ ...r, tags: tags.get(r.id) ?? [] }));
    if (rows.length < BATCH) return;
  }
}

export function exportCustomers(
  db: BusinessDb,
  file: ExportFile,
  filter: ExportFilter,
  opts: { bom: boolean; risk?: () => RiskLookup } & Partial<ExportOrder>,
): Promise<number> {
  const currency = businessCurrency(db) as CurrencyCode;
  const timezone = businessTimezone(db);
  const order: ExportOrder = { sort: opts.sort ?? 'name', direction: opts.direction ?? 'asc' };
  return writeCsv(file, columns(currency, timezone), batches(db, filter, order, opts.risk), { bom: opts.bom });
}

export function exportFileName(businessName: string, kind: string, today: string, extension = 'csv'): string {
  return `${fileSlug(businessName)}-${kind}-${today}.${extension}`;
}
