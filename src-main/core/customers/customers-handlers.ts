import { dateInTimeZone } from '@shared/domain/dates';
import { getBusinessRow } from '../business/business-service';
import { defineHandlers } from '../define-handlers';
import { refreshPlannerStats } from '../db/open';
import { stmt } from '../db/statements';
import { exportCustomers, exportFileName } from './customer-export';
import { importCustomers } from './customer-import';
import { customerFacets, customerStats } from './customer-stats';
import {
  assertEmailFree,
  customerBilling,
  deleteBlockedReason,
  deleteCustomer,
  getCustomer,
  getCustomerRow,
  insertCustomer,
  listCustomers,
  matchingIds,
  updateCustomer,
} from './customers-service';
import { listTimeline, recordCustomerEvent } from './timeline';
import { listNeedsRisk, riskAsShown, todaysRisk } from '../insights/risk-scores';

const FIELD_LABELS: Record<string, string> = {
  name: 'name', email: 'email', phone: 'phone', company: 'company', addressLine1: 'address', addressLine2: 'address',
  city: 'city', region: 'region', postalCode: 'postal code', country: 'country', segment: 'segment', tags: 'tags',
  notes: 'notes', status: 'status', paymentMethod: 'payment method',
};

export const customersHandlers = defineHandlers({
  // The risk sort and filter read the insights worker's scores (risk-scores.ts), asked for only when used.
  'customers.list': async (ctx, input) => listCustomers(ctx.db, input, input, listNeedsRisk(input) ? await todaysRisk(ctx) : undefined),

  'customers.get': (ctx, input) => {
    const customer = getCustomer(ctx.db, input.id);
    const billing = customerBilling(ctx.db, input.id);
    const reason = deleteBlockedReason(billing);
    return {
      customer,
      activeSubscriptions: billing.liveSubscriptions,
      openInvoices: billing.openInvoices,
      amountDue: billing.amountDue,
      totalPaid: billing.totalPaid,
      canDelete: reason === null,
      deleteBlockedReason: reason,
    };
  },

  'customers.create': (ctx, input) => {
    assertEmailFree(ctx.db, input.email);
    const at = ctx.now.toISOString();
    const id = insertCustomer(ctx.db, input, at);
    recordCustomerEvent(ctx.db, { customerId: id, kind: 'system', subtype: 'created', title: 'Customer created', occurredAt: at, userId: ctx.user.id }, at);
    const customer = getCustomer(ctx.db, id);
    ctx.audit({ action: 'customers.create', entity: 'customer', entityId: id, after: customer });
    ctx.changed('customers');
    return customer;
  },

  'customers.update': (ctx, { id, ...changes }) => {
    const before = getCustomer(ctx.db, id);
    if (changes.email !== undefined) assertEmailFree(ctx.db, changes.email, id);
    const at = ctx.now.toISOString();
    updateCustomer(ctx.db, id, changes, at);
    const after = getCustomer(ctx.db, id);
    const changed = (Object.keys(changes) as (keyof typeof changes)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (changed.length > 0) {
      const what = [...new Set(changed.map((k) => FIELD_LABELS[k] ?? k))].join(', ');
      const title = changes.status && changes.status !== before.status
        ? changes.status === 'inactive' ? 'Customer deactivated' : 'Customer reactivated'
        : `Edited ${what}`;
      recordCustomerEvent(ctx.db, { customerId: id, kind: 'system', subtype: 'edited', title, occurredAt: at, userId: ctx.user.id }, at);
      ctx.audit({ action: 'customers.update', entity: 'customer', entityId: id, before, after });
    }
    ctx.changed('customers');
    return after;
  },

  'customers.delete': (ctx, input) => {
    const before = deleteCustomer(ctx.db, input.id);
    ctx.audit({ action: 'customers.delete', entity: 'customer', entityId: input.id, before });
    ctx.changed('customers');
    return { deleted: input.id };
  },

  'customers.stats': (ctx) => customerStats(ctx.db, ctx.now),

  'customers.facets': (ctx) => customerFacets(ctx.db),

  'customers.timeline': (ctx, input) => {
    getCustomerRow(ctx.db, input.id);
    return listTimeline(ctx.db, input.id, input.limit, input.before);
  },

  'customers.logActivity': (ctx, input) => {
    getCustomerRow(ctx.db, input.customerId);
    const at = ctx.now.toISOString();
    // A date given by hand (a call yesterday) is placed at the start of that day.
    const occurredAt = input.occurredOn ? `${input.occurredOn}T00:00:00.000Z` : at;
    const id = recordCustomerEvent(
      ctx.db,
      { customerId: input.customerId, kind: input.kind, title: input.title, body: input.body, occurredAt, userId: ctx.user.id },
      at,
    );
    ctx.audit({ action: 'customers.logActivity', entity: 'customer', entityId: input.customerId, after: { kind: input.kind, title: input.title, body: input.body } });
    ctx.changed('customers');
    return listTimeline(ctx.db, input.customerId, 200).entries.find((e) => e.id === id)!;
  },

  'customers.bulk': (ctx, input) => {
    const except = new Set(input.except);
    const ids = input.ids ?? (input.filter ? matchingIds(ctx.db, input.filter, riskAsShown(ctx.db)).filter((id) => !except.has(id)) : []);
    const at = ctx.now.toISOString();
    const sql = ctx.db.sqlite;
    const exists = stmt(sql, 'SELECT 1 FROM customers WHERE id = ?').pluck();
    let updated = 0;
    const change = input.change;
    for (const id of ids) {
      if (!exists.get(id)) continue;
      let n = 0;
      if (change.action === 'addTag') n = stmt(sql, 'INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)').run(id, change.tag).changes;
      else if (change.action === 'removeTag') n = stmt(sql, 'DELETE FROM customer_tags WHERE customer_id = ? AND tag = ? COLLATE NOCASE').run(id, change.tag).changes;
      else if (change.action === 'setSegment') n = stmt(sql, 'UPDATE customers SET segment = ?, updated_at = ? WHERE id = ? AND segment <> ?').run(change.segment, at, id, change.segment).changes;
      else n = stmt(sql, 'UPDATE customers SET status = ?, updated_at = ? WHERE id = ? AND status <> ?').run(change.status, at, id, change.status).changes;
      updated += n > 0 ? 1 : 0;
    }
    if (updated > 0) {
      ctx.audit({ action: 'customers.bulk', entity: 'customer', entityId: null, after: { change, customers: updated, ids: ids.length <= 1000 ? ids : undefined } });
    }
    ctx.changed('customers');
    return { updated };
  },

  'customers.import': (ctx, input) => {
    const at = ctx.now.toISOString();
    const result = importCustomers(ctx.db, input.csv, { mapping: input.mapping, dryRun: input.dryRun, at });
    if (!input.dryRun && result.created > 1000) ctx.afterCommit(() => refreshPlannerStats(ctx.db.sqlite));
    if (!input.dryRun && result.created > 0) {
      ctx.audit({ action: 'customers.import', entity: 'customer', entityId: null, after: { created: result.created, skipped: result.skipped, mapping: result.mapping } });
    }
    ctx.changed('customers');
    return result;
  },

  'customers.export': async (ctx, { bom, ids, except, sort, direction, ...filter }) => {
    const business = getBusinessRow(ctx.db.orm);
    const name = exportFileName(business.name, 'customers', dateInTimeZone(ctx.now, business.timezone));
    const file = await ctx.exports.open(name);
    if (!file) return { rows: 0, path: null, downloadUrl: null };
    const rows = await exportCustomers(ctx.db, file, { ...filter, ids, except }, { bom, sort, direction, risk: listNeedsRisk({ ...filter, sort }) ? await todaysRisk(ctx) : undefined });
    return { rows, path: file.path, downloadUrl: file.downloadUrl };
  },
});
