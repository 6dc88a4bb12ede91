import { dateInTimeZone } from '@shared/domain/dates';
import { invoiceDetail } from '../billing/invoices-service';
import { getBusinessRow } from '../business/business-service';
import type { BusinessDb } from '../db/open';
import { businessTimezone } from '../db/settings';
import { defineHandlers } from '../define-handlers';
import { writeReceiptPdf } from './receipt-pdf';
import { invoiceSale } from './sale-invoice';
import { createSale, dayReport, getSale, listSales, refundSale, saleRefunds } from './sales-service';

function businessToday(ctx: { db: BusinessDb; now: Date }): string {
  return dateInTimeZone(ctx.now, businessTimezone(ctx.db));
}

export const salesHandlers = defineHandlers({
  'sales.create': (ctx, input) => {
    const id = createSale({ db: ctx.db, at: ctx.now.toISOString(), userId: ctx.user.id }, { ...input, on: input.on ?? businessToday(ctx) });
    const sale = getSale(ctx.db, id);
    ctx.audit({ action: 'sales.create', entity: 'sale', entityId: id, before: null, after: sale });
    ctx.changed('sales', 'products', 'metrics', ...(sale.customerId ? ['customers'] : []));
    return sale;
  },
  'sales.list': (ctx, input) => listSales(ctx.db, input),
  'sales.get': (ctx, input) => {
    const sale = getSale(ctx.db, input.id);
    return { sale, refunds: saleRefunds(ctx.db, sale.id) };
  },
  'sales.refund': (ctx, input) => {
    const before = getSale(ctx.db, input.id);
    const refundId = refundSale({ db: ctx.db, at: ctx.now.toISOString(), userId: ctx.user.id }, { ...input, on: input.on ?? businessToday(ctx) });
    const sale = getSale(ctx.db, before.id);
    const refund = saleRefunds(ctx.db, sale.id).find((r) => r.id === refundId)!;
    ctx.audit({ action: 'sales.refund', entity: 'sale', entityId: sale.id, before, after: { sale, refund } });
    ctx.changed('sales', 'products', 'metrics', ...(sale.customerId ? ['customers'] : []));
    return { sale, refund };
  },
  'sales.receipt': async (ctx, input) => {
    const sale = getSale(ctx.db, input.id);
    const refunds = saleRefunds(ctx.db, sale.id);
    const business = getBusinessRow(ctx.db.orm);
    const file = await ctx.exports.open(`${sale.number}${input.format === 'a4' ? '' : '-80mm'}.pdf`);
    if (!file) return { path: null, downloadUrl: null };
    await writeReceiptPdf(file.stream, { sale, refunds, business }, input.format);
    file.done?.();
    return { path: file.path, downloadUrl: file.downloadUrl };
  },
  'sales.invoice': (ctx, input) => {
    const before = getSale(ctx.db, input.id);
    const invoiceId = invoiceSale({ db: ctx.db, at: ctx.now.toISOString(), userId: ctx.user.id }, before.id);
    const invoice = invoiceDetail(ctx.db, invoiceId);
    const sale = getSale(ctx.db, before.id);
    ctx.audit({ action: 'sales.invoice', entity: 'sale', entityId: sale.id, before, after: { sale, invoiceId, number: invoice.number } });
    ctx.changed('sales', 'invoices', 'customers');
    return { invoice, sale };
  },
  'sales.dayReport': (ctx, input) => dayReport(ctx.db, input.on ?? businessToday(ctx)),
});
