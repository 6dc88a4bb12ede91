import { dateInTimeZone } from '@shared/domain/dates';
import { getBusinessRow } from '../business/business-service';
import { exportFileName } from '../customers/customer-export';
import { defineHandlers } from '../define-handlers';
import { exportProducts } from './product-export';
import { importProducts } from './product-import';
import {
  adjustStock,
  getProduct,
  insertProduct,
  listMovements,
  listProducts,
  movementDto,
  productBySku,
  productCategories,
  setProductArchived,
  updateProduct,
} from './products-service';

export const productsHandlers = defineHandlers({
  'products.list': (ctx, input) => listProducts(ctx.db, input),
  'products.get': (ctx, input) => getProduct(ctx.db, input.id),
  'products.bySku': (ctx, input) => productBySku(ctx.db, input.sku),
  'products.categories': (ctx) => productCategories(ctx.db),
  'products.movements': (ctx, input) => listMovements(ctx.db, input.id, input.limit, input.offset),

  'products.create': (ctx, input) => {
    const at = ctx.now.toISOString();
    const { id, movement } = insertProduct(ctx.db, input, { at, userId: ctx.user.id });
    const product = getProduct(ctx.db, id);
    ctx.audit({ action: 'products.create', entity: 'product', entityId: id, after: { product, openingStock: movement?.quantity ?? null } });
    ctx.changed('products');
    return product;
  },

  'products.update': (ctx, { id, ...changes }) => {
    const before = getProduct(ctx.db, id);
    updateProduct(ctx.db, id, changes, ctx.now.toISOString());
    const after = getProduct(ctx.db, id);
    ctx.audit({ action: 'products.update', entity: 'product', entityId: id, before, after });
    ctx.changed('products');
    return after;
  },

  'products.archive': (ctx, input) => {
    setProductArchived(ctx.db, input.id, true, ctx.now.toISOString());
    const after = getProduct(ctx.db, input.id);
    ctx.audit({ action: 'products.archive', entity: 'product', entityId: input.id, after });
    ctx.changed('products');
    return after;
  },

  'products.unarchive': (ctx, input) => {
    setProductArchived(ctx.db, input.id, false, ctx.now.toISOString());
    const after = getProduct(ctx.db, input.id);
    ctx.audit({ action: 'products.unarchive', entity: 'product', entityId: input.id, after });
    ctx.changed('products');
    return after;
  },

  'products.adjustStock': (ctx, input) => {
    const before = getProduct(ctx.db, input.id);
    const moved = adjustStock(ctx.db, input, { at: ctx.now.toISOString(), userId: ctx.user.id });
    const product = getProduct(ctx.db, input.id);
    const movement = movementDto(ctx.db, moved);
    // Who (the audit row's user) and why (reason and note).
    ctx.audit({
      action: 'products.adjustStock',
      entity: 'product',
      entityId: input.id,
      before: { stock: before.stock },
      after: { stock: product.stock, quantity: movement.quantity, reason: input.reason, note: input.note, movementId: movement.id },
    });
    ctx.changed('products');
    return { product, movement };
  },

  'products.export': async (ctx, input) => {
    const business = getBusinessRow(ctx.db.orm);
    const file = await ctx.exports.open(exportFileName(business.name, 'products', dateInTimeZone(ctx.now, business.timezone)));
    if (!file) return { rows: 0, path: null, downloadUrl: null };
    const rows = await exportProducts(ctx.db, file, input);
    return { rows, path: file.path, downloadUrl: file.downloadUrl };
  },

  'products.import': (ctx, input) => {
    const result = importProducts(ctx.db, input.csv, { dryRun: input.dryRun, at: ctx.now.toISOString(), userId: ctx.user.id });
    if (result.created > 0) ctx.audit({ action: 'products.import', entity: 'product', entityId: null, after: { created: result.created } });
    ctx.changed('products');
    return result;
  },
});
