import type { z } from 'zod';
import type { chargeLineInputSchema } from '@shared/contract/invoicing';
import type { DraftLine } from '@shared/domain/invoice-math';
import { MAX_AMOUNT_MINOR } from '@shared/domain/money';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { validation } from '../errors';

export type ChargeLine = z.output<typeof chargeLineInputSchema>;

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  price: number;
  currency: string;
  stock: number | null;
  archived_at: string | null;
}

/** A charge line resolved: free text as given, a product priced from the product. */
export interface ResolvedLine extends DraftLine {
  product: ProductRow | null;
}

/**
 * Turns the lines a person gave into invoice lines: a product (by id or SKU,
 * case-insensitive) must exist, not be archived and be in the business's
 * currency; every error names the line's field (`lines.2.sku`).
 */
export function resolveChargeLines(db: BusinessDb, lines: ChargeLine[], currency: string, field: (i: number) => string = (i) => `lines.${i}`): ResolvedLine[] {
  return lines.map((line, i) => {
    const at = field(i);
    let product: ProductRow | null = null;
    if (line.productId !== undefined || line.sku) {
      const key = line.productId !== undefined ? 'productId' : 'sku';
      product =
        line.productId !== undefined
          ? ((stmt(db.sqlite, 'SELECT id, sku, name, price, currency, stock, archived_at FROM products WHERE id = ?').get(line.productId) as ProductRow | undefined) ?? null)
          : ((stmt(db.sqlite, 'SELECT id, sku, name, price, currency, stock, archived_at FROM products WHERE lower(sku) = lower(?)').get(line.sku) as ProductRow | undefined) ?? null);
      if (!product) throw validation(`${at}.${key}`, line.productId !== undefined ? 'That product was not found' : `No product has the SKU ${line.sku}`);
      if (product.archived_at !== null) throw validation(`${at}.${key}`, `${product.name} is archived; unarchive it to sell it`);
      if (product.currency !== currency) throw validation(`${at}.${key}`, `${product.name} is priced in ${product.currency}, not ${currency}`);
    }
    const unitAmount = product ? product.price : line.unitAmount!;
    const amount = unitAmount * line.quantity;
    if (amount > MAX_AMOUNT_MINOR) throw validation(`${at}.quantity`, 'This line comes to too much: at most 10 billion');
    return {
      kind: product ? 'product' : 'manual',
      description: line.description || (product ? product.name : ''),
      quantity: line.quantity,
      unitAmount,
      amount,
      periodStart: null,
      periodEnd: null,
      productId: product?.id ?? null,
      product,
    };
  });
}
