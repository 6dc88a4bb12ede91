import type * as CsvParse from 'csv-parse/sync';
import { PRODUCT_IMPORT_COLUMNS, productFieldsSchema } from '@shared/contract/products';
import { MoneyParseError, parseMoney, type CurrencyCode } from '@shared/domain/money';
import { unescapeFormula } from '../csv/write-csv';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import { validation } from '../errors';
import { lazyRequire } from '../lazy-require';
import { insertProduct } from './products-service';

// Products from CSV: columns sku,name,price,category,stock,low_stock_at,description
// (a header row, any case, spaces for underscores; sku, name and price required;
// "Price (USD)", as products.export writes it, must name the business's currency). All or nothing: the first bad row refuses
// the whole file, naming its line and column, and nothing is written.

const csvParse = lazyRequire<typeof CsvParse>('csv-parse/sync');
const COLUMNS = PRODUCT_IMPORT_COLUMNS;
type Column = (typeof COLUMNS)[number];
const REQUIRED: Column[] = ['sku', 'name', 'price'];

const fail = (line: number, column: string, message: string) => validation(`csv`, `Line ${line}, column ${column}: ${message}`);

function wholeNumber(cell: string, line: number, column: string): number | null {
  if (cell === '') return null;
  if (!/^\d+$/.test(cell)) throw fail(line, column, `"${cell}" is not a whole number of 0 or more`);
  const n = Number(cell);
  if (!Number.isSafeInteger(n) || n > 1_000_000_000) throw fail(line, column, 'The quantity is too large');
  return n;
}

export function importProducts(db: BusinessDb, csv: string, opts: { dryRun: boolean; at: string; userId: string | null }): { rows: number; created: number } {
  const currency = businessCurrency(db) as CurrencyCode;
  const { CsvError, parse } = csvParse();
  let records: string[][];
  try {
    records = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as InstanceType<typeof CsvError> & { lines?: number }).lines;
      throw validation('csv', `The file is not valid CSV${line ? ` at line ${line}` : ''}: ${error.message.replace(/^Invalid [^:]*: /, '')}`);
    }
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw validation('csv', 'The file has no header row');
  const index = new Map<Column, number>();
  header.forEach((h, i) => {
    const named = /^(.*?)\s*\(([A-Za-z]{3})\)$/.exec(h.trim());
    const name = (named ? named[1]! : h).trim().toLowerCase().replace(/[\s-]+/g, '_') as Column;
    if (!(COLUMNS as readonly string[]).includes(name) || index.has(name)) return;
    if (name === 'price' && named && named[2]!.toUpperCase() !== currency) {
      throw validation('csv', `The prices in this file are in ${named[2]!.toUpperCase()}; this business counts in ${currency}`);
    }
    index.set(name, i);
  });
  for (const c of REQUIRED) if (!index.has(c)) throw validation('csv', `The header row has no "${c}" column (expected ${COLUMNS.join(',')})`);
  const seen = new Map<string, number>();
  const skuTaken = stmt(db.sqlite, 'SELECT 1 FROM products WHERE lower(sku) = lower(?)').pluck();
  let created = 0;
  rows.forEach((record, i) => {
    const line = i + 2;
    const cell = (c: Column) => {
      const at = index.get(c);
      return at === undefined ? '' : unescapeFormula(record[at] ?? '');
    };
    let price: number;
    try {
      price = parseMoney(cell('price'), currency);
    } catch (error) {
      if (error instanceof MoneyParseError) throw fail(line, 'price', cell('price') === '' ? 'Enter a price' : error.message);
      throw error;
    }
    const parsed = productFieldsSchema.safeParse({
      sku: cell('sku'),
      name: cell('name'),
      price,
      category: cell('category'),
      description: cell('description'),
      stock: wholeNumber(cell('stock'), line, 'stock'),
      lowStockAt: wholeNumber(cell('low_stock_at'), line, 'low_stock_at'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? 'sku');
      throw fail(line, field === 'lowStockAt' ? 'low_stock_at' : field, issue.message);
    }
    const key = parsed.data.sku.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) throw fail(line, 'sku', `The SKU ${parsed.data.sku} is already on line ${earlier}`);
    seen.set(key, line);
    if (skuTaken.get(parsed.data.sku)) throw fail(line, 'sku', `A product with the SKU ${parsed.data.sku} already exists`);
    if (!opts.dryRun) insertProduct(db, parsed.data, { at: opts.at, userId: opts.userId });
    created++;
  });
  return { rows: rows.length, created: opts.dryRun ? 0 : created };
}
