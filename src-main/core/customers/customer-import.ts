import { MIN_DATE } from '@shared/domain/fields';
import type * as CsvParse from 'csv-parse/sync';
import { customerFieldsSchema, IMPORT_FIELDS, type ImportField } from '@shared/domain/customers';
import type { ImportResult } from '@shared/contract/customers';
import { dateInTimeZone, isIsoDate, startOfDayInstant } from '@shared/domain/dates';
import { unescapeFormula } from '../csv/write-csv';
import type { BusinessDb } from '../db/open';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { validation } from '../errors';
import { newId } from '../ids';
import { lazyRequire } from '../lazy-require';
import { insertCustomer } from './customers-service';

type Mapping = Record<string, ImportField | 'ignore'>;

/** Header spellings people use, per field (compared without case, spaces or punctuation). */
const HEADER_NAMES: Record<ImportField, string[]> = {
  name: ['name', 'fullname', 'customer', 'customername', 'contact', 'contactname', 'nom', 'nombre'],
  email: ['email', 'emailaddress', 'mail', 'e-mail', 'courriel'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'cell'],
  company: ['company', 'companyname', 'organization', 'organisation', 'business', 'firm'],
  addressLine1: ['address', 'addressline1', 'address1', 'street', 'streetaddress'],
  addressLine2: ['addressline2', 'address2', 'apt', 'suite'],
  city: ['city', 'town'],
  region: ['region', 'state', 'province', 'county'],
  postalCode: ['postalcode', 'zip', 'zipcode', 'postcode'],
  country: ['country'],
  segment: ['segment', 'group', 'type', 'customertype'],
  tags: ['tags', 'tag', 'labels'],
  notes: ['notes', 'note', 'comments', 'comment'],
  status: ['status', 'state', 'active'],
  paymentMethod: ['paymentmethod', 'payment', 'paymenttype', 'paidby'],
  customerSince: ['customersince', 'since', 'created', 'createdat', 'createdon', 'datecreated', 'createddate', 'joined', 'datejoined', 'signupdate', 'signedup', 'memberssince', 'membersince'],
};

/**
 * A "customer since" cell: a calendar date written year first (2024-03-15, or
 * a timestamp starting with one). 03/04/2024 is refused rather than guessed:
 * it is March 4 in one country and April 3 in the next.
 */
function customerSince(cell: string, today: string): { date: string } | { error: string } {
  const date = /^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(cell)?.[1];
  if (!date || !isIsoDate(date)) return { error: 'Use a date written year first, like 2024-03-15' };
  if (date > today) return { error: 'Customer since cannot be in the future' };
  if (date < MIN_DATE) return { error: `Customer since is ${MIN_DATE} or later` };
  return { date };
}

const squash = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A mapping guessed from the headers; each field taken by its first matching column. */
export function guessMapping(headers: string[]): Mapping {
  const taken = new Set<ImportField>();
  const mapping: Mapping = {};
  for (const header of headers) {
    const key = squash(header);
    const field = IMPORT_FIELDS.find((f) => !taken.has(f) && (key === squash(f) || HEADER_NAMES[f].map(squash).includes(key)));
    mapping[header] = field ?? 'ignore';
    if (field) taken.add(field);
  }
  return mapping;
}

const MAX_REPORTED_ERRORS = 1000;
// The parser runs inside the import's transaction, so it is required, not imported; only an import pays for it.
const csvParse = lazyRequire<typeof CsvParse>('csv-parse/sync');

/**
 * Imports customers from CSV text with a header row. Each data row is checked
 * by the same rules as the form; bad rows are reported (line, field, reason)
 * and skipped, good rows are inserted. The caller runs it in one transaction;
 * with dryRun nothing is written. Records are handled as the parser yields
 * them, so memory does not grow with the file.
 */
export function importCustomers(
  db: BusinessDb,
  csv: string,
  opts: { mapping?: Mapping | undefined; dryRun: boolean; at: string },
): ImportResult {
  let headers: string[] | null = null;
  let mapping: Mapping = {};
  let columns: { index: number; field: ImportField }[] = [];
  const seenEmails = new Set<string>();
  const emailTaken = stmt(db.sqlite, 'SELECT 1 FROM customers WHERE email_normalized = ?').pluck();
  const timezone = businessTimezone(db);
  const today = dateInTimeZone(new Date(opts.at), timezone);
  const result: ImportResult = { headers: [], mapping: {}, rows: 0, created: 0, skipped: 0, dryRun: opts.dryRun, errors: [] };
  const report = (line: number, field: string, message: string) => {
    if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push({ line, field, message });
  };

  const { CsvError, parse } = csvParse();
  try {
    parseRecords();
  } catch (error) {
    // A malformed file (an unclosed quote...) is the user's input at fault, at a line.
    if (error instanceof CsvError) {
      const line = (error as InstanceType<typeof CsvError> & { lines?: number }).lines;
      throw validation('csv', `The file is not valid CSV${line ? ` at line ${line}` : ''}: ${error.message.replace(/^Invalid [^:]*: /, '')}`);
    }
    throw error;
  }

  function parseRecords() {
  parse(csv, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    on_record: (record: string[], context: { lines: number }) => {
      if (!headers) {
        headers = record;
        mapping = { ...guessMapping(headers), ...(opts.mapping ?? {}) };
        columns = headers.flatMap((h, index) => {
          const field = mapping[h];
          return field && field !== 'ignore' ? [{ index, field }] : [];
        });
        return null;
      }
      result.rows++;
      const line = context.lines;
      const raw: Record<string, unknown> = {};
      let since: string | null = null;
      for (const { index, field } of columns) {
        const cell = unescapeFormula(record[index] ?? '');
        if (cell === '') continue;
        if (field === 'customerSince') {
          const parsedSince = customerSince(cell, today);
          if ('error' in parsedSince) {
            report(line, 'customerSince', parsedSince.error);
            result.skipped++;
            return null;
          }
          since = parsedSince.date;
        } else if (field === 'tags') raw.tags = cell.split(/[,;|]/).map((t) => t.trim()).filter(Boolean);
        else if (field === 'status') raw.status = cell.toLowerCase();
        else if (field === 'paymentMethod') raw.paymentMethod = cell.toLowerCase().replace(/[\s-]+/g, '_');
        else raw[field] = cell;
      }
      const parsed = customerFieldsSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        report(line, String(issue.path[0] ?? ''), issue.message);
        result.skipped++;
        return null;
      }
      const email = parsed.data.email.toLowerCase();
      if (seenEmails.has(email) || emailTaken.get(email)) {
        report(line, 'email', seenEmails.has(email) ? 'This email appears earlier in the file' : 'A customer with this email already exists');
        result.skipped++;
        return null;
      }
      seenEmails.add(email);
      if (!opts.dryRun) {
        // The start of that day where the business is, so it counts in that month's new customers.
        const createdAt = since ? startOfDayInstant(since, timezone).toISOString() : opts.at;
        insertCustomer(db, parsed.data, opts.at, newId(), createdAt < opts.at ? createdAt : opts.at);
      }
      result.created++;
      return null;
    },
  });
  }

  if (!headers) throw validation('csv', 'The file has no header row');
  result.headers = headers;
  result.mapping = mapping;
  if (!columns.some((c) => c.field === 'name') || !columns.some((c) => c.field === 'email')) {
    // Without name and email no row can be imported: say which column is missing rather than failing every row.
    const missing = !columns.some((c) => c.field === 'name') ? 'name' : 'email';
    return { ...result, created: 0, skipped: result.rows, errors: [{ line: 1, field: missing, message: `No column is mapped to ${missing}` }] };
  }
  return result;
}
