import { z } from 'zod';
import { method } from './define';
import { exportResultSchema } from './customers';
import { amountSchema } from '../domain/billing';
import { idSchema, isSingleLineText, lineText, multilineText, nameSchema } from '../domain/fields';

// Products sold at the counter, and their stock ledger (issue 14).

export const STOCK_ADJUST_REASONS = ['received', 'count', 'damaged', 'other'] as const;
export type StockAdjustReason = (typeof STOCK_ADJUST_REASONS)[number];
export const STOCK_MOVEMENT_KINDS = ['received', 'sold', 'refunded', 'count', 'damaged', 'other'] as const;

/** A stock quantity given by a person: whole, not negative. */
export const stockQuantitySchema = z
  .number({ message: 'Enter a quantity' })
  .int('Give a whole number')
  .min(0, 'The quantity cannot be negative')
  .max(1_000_000_000, 'The quantity is too large');

export const skuSchema = z
  .string({ message: 'Enter a SKU' })
  .trim()
  .min(1, 'Enter a SKU')
  .max(64, 'Keep the SKU to 64 characters')
  .refine((s) => !/\s/.test(s) && isSingleLineText(s), 'A SKU has no spaces or control characters');

const productFieldRules = {
  sku: skuSchema,
  name: nameSchema,
  category: lineText(80),
  description: multilineText(2000),
  price: amountSchema,
  lowStockAt: stockQuantitySchema.nullable(),
};

/** What a person fills in to create a product. `stock` given: tracked, with a `received` movement of it. */
export const productFieldsSchema = z.object({
  sku: productFieldRules.sku,
  name: productFieldRules.name,
  category: productFieldRules.category.default(''),
  description: productFieldRules.description.default(''),
  price: productFieldRules.price,
  stock: stockQuantitySchema.nullable().default(null),
  lowStockAt: productFieldRules.lowStockAt.default(null),
});
export type ProductFields = z.input<typeof productFieldsSchema>;

/** What can change after creation (stock only changes through adjustStock). */
export const productChangesSchema = z.object({
  sku: productFieldRules.sku.optional(),
  name: productFieldRules.name.optional(),
  category: productFieldRules.category.optional(),
  description: productFieldRules.description.optional(),
  price: productFieldRules.price.optional(),
  lowStockAt: productFieldRules.lowStockAt.optional(),
});

export const productSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  description: z.string(),
  price: z.number().int(),
  currency: z.string(),
  /** null: stock not tracked. */
  stock: z.number().int().nullable(),
  lowStockAt: z.number().int().nullable(),
  /** Tracked, with a low-stock level, and at or below it. */
  lowStock: z.boolean(),
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof productSchema>;

export const stockMovementSchema = z.object({
  id: z.string(),
  productId: z.string(),
  kind: z.enum(STOCK_MOVEMENT_KINDS),
  quantity: z.number().int(),
  reason: z.string(),
  saleId: z.string().nullable(),
  saleRefundId: z.string().nullable(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  occurredOn: z.string(),
  createdAt: z.string(),
  stockAfter: z.number().int(),
});
export type StockMovementDto = z.infer<typeof stockMovementSchema>;

export const productListInputSchema = z.object({
  /** SKU prefix, words of the name, or the category. */
  search: lineText(200).optional(),
  lowStock: z.boolean().default(false),
  category: lineText(80).optional(),
  includeArchived: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
});

/**
 * A stock adjustment: `adjust` is signed and not 0 (received +12, damaged -2);
 * for `count`, `counted` is the quantity found and the difference is recorded
 * (give one of the two).
 */
export const adjustStockInputSchema = z
  .object({
    id: idSchema,
    adjust: z.number({ message: 'Enter a quantity' }).int('Give a whole number').refine((n) => n !== 0, 'The adjustment cannot be 0').refine((n) => Math.abs(n) <= 1_000_000_000, 'The quantity is too large').optional(),
    counted: stockQuantitySchema.optional(),
    reason: z.enum(STOCK_ADJUST_REASONS, { message: 'Reason must be received, count, damaged or other' }),
    note: lineText(500).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.adjust === undefined && v.counted === undefined) ctx.addIssue({ code: 'custom', path: ['adjust'], message: 'Give the quantity to add or remove' });
    if (v.adjust !== undefined && v.counted !== undefined) ctx.addIssue({ code: 'custom', path: ['counted'], message: 'Give either an adjustment or a counted quantity, not both' });
    if (v.counted !== undefined && v.reason !== 'count') ctx.addIssue({ code: 'custom', path: ['reason'], message: 'A counted quantity goes with the reason "count"' });
  });

export const PRODUCT_IMPORT_COLUMNS = ['sku', 'name', 'price', 'category', 'stock', 'low_stock_at', 'description'] as const;

export const productImportInputSchema = z.object({
  /** The CSV text (UTF-8; a BOM is fine); prices in the business currency, like 4.50. */
  csv: z.string().min(1, 'The file is empty').max(64 * 1024 * 1024, 'The file is larger than 64 MB'),
  dryRun: z.boolean().default(false),
});

const byId = z.object({ id: idSchema });

/** What a products export writes: everything the list shows with these filters, in its order. */
export const productExportInputSchema = productListInputSchema.pick({ search: true, category: true, lowStock: true, includeArchived: true }).extend({
  bom: z.boolean().default(false),
});

export const productsContract = {
  'products.list': method({
    input: productListInputSchema,
    output: z.object({ rows: z.array(productSchema), total: z.number().int() }),
    access: 'viewer',
    write: false,
  }),
  'products.get': method({ input: byId, output: productSchema, access: 'viewer', write: false }),
  /** Exact, case-insensitive (a barcode scanner types the SKU); archived products are not found. */
  'products.bySku': method({ input: z.object({ sku: z.string().trim().min(1, 'Enter a SKU').max(64) }), output: productSchema, access: 'viewer', write: false }),
  'products.categories': method({ input: z.object({}), output: z.array(z.string()), access: 'viewer', write: false }),
  'products.create': method({ input: productFieldsSchema, output: productSchema, access: 'staff', write: true }),
  'products.update': method({ input: productChangesSchema.extend({ id: idSchema }), output: productSchema, access: 'staff', write: true }),
  'products.archive': method({ input: byId, output: productSchema, access: 'staff', write: true }),
  'products.unarchive': method({ input: byId, output: productSchema, access: 'staff', write: true }),
  'products.adjustStock': method({
    input: adjustStockInputSchema,
    output: z.object({ product: productSchema, movement: stockMovementSchema }),
    access: 'staff',
    write: true,
  }),
  /** Newest first, each with the stock after it. */
  'products.movements': method({
    input: z.object({ id: idSchema, limit: z.number().int().min(1).max(1000).default(200), offset: z.number().int().min(0).default(0) }),
    output: z.object({ rows: z.array(stockMovementSchema), total: z.number().int() }),
    access: 'viewer',
    write: false,
  }),
  /** A CSV file that imports back (`products.import`): prices as decimals, the currency in the header. */
  'products.export': method({ input: productExportInputSchema, output: exportResultSchema, access: 'viewer', write: false }),
  /** All or nothing: any bad row refuses the whole file, naming row and column. */
  'products.import': method({
    input: productImportInputSchema,
    output: z.object({ rows: z.number().int(), created: z.number().int() }),
    access: 'staff',
    write: true,
  }),
} as const;
