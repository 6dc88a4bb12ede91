import { dateInTimeZone } from '@shared/domain/dates';
import { getBusinessRow, toBusinessDto } from '../business/business-service';
import { invoiceDetail } from '../billing/invoices-service';
import { getCustomer } from '../customers/customers-service';
import type { BusinessDb } from '../db/open';
import { businessTimezone } from '../db/settings';
import { defineHandlers } from '../define-handlers';
import { writeCreditNotePdf } from './credit-note-pdf';
import { createCreditNote, getCreditNote, listCreditNotes } from './credit-notes';
import { addExtra, removeExtra } from './extras';
import { createOneOffInvoice } from './one-off';

function today(ctx: { db: BusinessDb; now: Date }): string {
  return dateInTimeZone(ctx.now, businessTimezone(ctx.db));
}

export const invoicingHandlers = defineHandlers({
  'invoices.create': (ctx, input) => {
    const id = createOneOffInvoice(ctx.db, input, { at: ctx.now.toISOString(), userId: ctx.user.id, today: today(ctx) });
    const invoice = invoiceDetail(ctx.db, id);
    ctx.audit({ action: 'invoices.create', entity: 'invoice', entityId: id, before: null, after: invoice });
    ctx.changed('invoices', 'customers', 'products', 'metrics');
    return invoice;
  },
  'subscriptions.addExtra': (ctx, input) => {
    const item = addExtra(ctx.db, input, { at: ctx.now.toISOString(), today: today(ctx) });
    ctx.audit({ action: 'subscriptions.addExtra', entity: 'subscription', entityId: input.subscriptionId, before: null, after: item });
    ctx.changed('subscriptions');
    return item;
  },
  'subscriptions.removeExtra': (ctx, input) => {
    const item = removeExtra(ctx.db, input.id);
    ctx.audit({ action: 'subscriptions.removeExtra', entity: 'subscription', entityId: item.subscriptionId, before: item, after: null });
    ctx.changed('subscriptions');
    return { id: item.id };
  },
  'creditNotes.create': (ctx, input) => {
    const before = invoiceDetail(ctx.db, input.invoiceId);
    const { id, restocked } = createCreditNote(ctx.db, input, { at: ctx.now.toISOString(), userId: ctx.user.id, today: today(ctx) });
    const note = getCreditNote(ctx.db, id);
    ctx.audit({ action: 'creditNotes.create', entity: 'invoice', entityId: before.id, before, after: { creditNote: note, invoice: invoiceDetail(ctx.db, before.id), restocked } });
    ctx.changed('creditNotes', 'invoices', 'payments', 'subscriptions', 'customers', 'metrics', ...(restocked.length ? ['products'] : []));
    return note;
  },
  'creditNotes.list': (ctx, input) => listCreditNotes(ctx.db, input),
  'creditNotes.get': (ctx, input) => getCreditNote(ctx.db, input.id),
  'creditNotes.pdf': async (ctx, input) => {
    const note = getCreditNote(ctx.db, input.id);
    const business = toBusinessDto(getBusinessRow(ctx.db.orm));
    const customer = getCustomer(ctx.db, note.customerId);
    const { taxRatePpm } = invoiceDetail(ctx.db, note.invoiceId);
    const file = await ctx.exports.open(`${note.number}.pdf`);
    if (!file) return { path: null, downloadUrl: null };
    await writeCreditNotePdf(file.stream, { note, business, customer, taxRatePpm });
    file.done?.();
    return { path: file.path, downloadUrl: file.downloadUrl };
  },
});
