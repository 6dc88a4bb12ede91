import type { z } from 'zod';
import type { productExportInputSchema } from '@shared/contract/products';
import { toDecimalString, type CurrencyCode } from '@shared/domain/money';
import { writeCsv, type CsvColumn } from '../csv/write-csv';
import type { BusinessDb } from '../db/open';
import { businessCurrency } from '../db/settings';
import { stmt } from '../db/statements';
import type { ExportFile } from '../ports';
import { productWhere, type ProductRow } from './products-service';

// Products to CSV, with the import's columns (product-import.ts), so a file
// exported here imports into another business as the same products: the stock
// on hand becomes the opening stock there; an untracked product has no stock.

const BATCH = 2000;

function columns(currency: CurrencyCode): CsvColumn<ProductRow>[] {
  return [
    { header: 'SKU', value: (r) => r.sku },
    { header: 'Name', value: (r) => r.name },
    { header: `Price (${currency})`, value: (r) => toDecimalString(r.price, currency), trusted: true },
    { header: 'Category', value: (r) => r.category },
    { header: 'Stock', value: (r) => r.stock ?? '', trusted: true },
    { header: 'Low stock at', value: (r) => r.low_stock_at ?? '', trusted: true },
    { header: 'Description', value: (r) => r.description },
  ];
}

function* batches(db: BusinessDb, filter: z.output<typeof productExportInputSchema>): Generator<ProductRow[]> {
  const { where, params } = productWhere(filter);
  // The list's order (name, then SKU), seq last so pages never overlap.
  const page = stmt(db.sqlite, `SELECT * FROM products ${where} ORDER BY name COLLATE NOCASE, sku, seq LIMIT ? OFFSET ?`);
  for (let offset = 0; ; offset += BATCH) {
    const rows = page.all(...params, BATCH, offset) as ProductRow[];
    if (rows.length > 0) yield rows;
    if (rows.length < BATCH) return;
  }
}

export function exportProducts(db: BusinessDb, file: ExportFile, input: z.output<typeof productExportInputSchema>): Promise<number> {
  return writeCsv(file, columns(businessCurrency(db) as CurrencyCode), batches(db, input), { bom: input.bom });
}
