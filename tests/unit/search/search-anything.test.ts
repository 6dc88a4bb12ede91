import { describe, expect, it } from 'vitest';
import { invoiceNumberRanges } from '../../../src-main/core/search/search-service';
import { billingBusiness } from '../../support/billing';
import { callError } from '../../support/core';

describe('search.anything', () => {
  it('finds customers, invoices by number, and the invoices and subscriptions of the customers found', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 5000, name: 'Unlimited yoga' });
    const maya = await b.customer('card', 'Maya Lindqvist');
    const other = await b.customer('card', 'Oscar Brennan');
    const mayaSub = await b.subscribe({ planId: plan.id, startDate: '2026-01-01', customerId: maya.id });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-05', customerId: other.id });
    await b.run('2026-03-10');
    const invoices = await b.invoices();
    const mayaInvoices = invoices.filter((i) => i.customerId === maya.id);
    expect(mayaInvoices.length).toBe(3);

    const byName = await b.call('search.anything', { query: 'lindqv' });
    expect(byName.customers.map((c) => c.name)).toEqual(['Maya Lindqvist']);
    expect(byName.fuzzy).toBe(false);
    expect(byName.subscriptions).toEqual([{ id: mayaSub.id, customerName: 'Maya Lindqvist', planName: 'Unlimited yoga', status: 'active' }]);
    // Her invoices, newest first, and nobody else's.
    expect(byName.invoices.map((i) => i.number)).toEqual(mayaInvoices.map((i) => i.number).reverse());
    expect(byName.invoices[0]).toMatchObject({ customerName: 'Maya Lindqvist', total: 5000, currency: 'USD' });

    // A typo still finds her, marked as a close match, without her invoices.
    const typo = await b.call('search.anything', { query: 'Lindqvsit' });
    expect(typo.customers.map((c) => c.name)).toEqual(['Maya Lindqvist']);
    expect(typo.fuzzy).toBe(true);

    // An invoice by its number, whole, as a prefix, without the dash, or as a bare number.
    const oscars = invoices.find((i) => i.customerId === other.id)!;
    const n = Number(oscars.number.slice(4));
    expect((await b.call('search.anything', { query: oscars.number })).invoices.map((i) => i.id)).toEqual([oscars.id]);
    expect((await b.call('search.anything', { query: oscars.number.toLowerCase().replace('-', '') })).invoices.map((i) => i.id)).toEqual([oscars.id]);
    expect((await b.call('search.anything', { query: String(n) })).invoices.map((i) => i.id)).toContain(oscars.id);
    const all = await b.call('search.anything', { query: 'INV-', limit: 4 });
    expect(all.invoices.map((i) => i.number)).toEqual(invoices.map((i) => i.number).reverse().slice(0, 4));

    // Nothing at all is an empty answer, not an error.
    expect(await b.call('search.anything', { query: 'zzqqxx' })).toEqual({ customers: [], invoices: [], subscriptions: [], fuzzy: false });
    expect(await callError(b.core, b.conn, 'search.anything', { query: '   ' })).toMatchObject({ code: 'validation', field: 'query' });
    expect(await callError(b.core, b.conn, 'search.anything', { query: 'a', limit: 500 })).toMatchObject({ code: 'validation', field: 'limit' });
    b.close();
  });

  it('caps every kind at the limit', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    for (let i = 0; i < 6; i++) {
      const c = await b.customer('card', `Ana Torres ${i}`);
      await b.subscribe({ planId: plan.id, startDate: '2026-01-01', customerId: c.id });
      await b.subscribe({ planId: plan.id, startDate: '2026-01-02', customerId: c.id });
    }
    await b.run('2026-04-10');
    const found = await b.call('search.anything', { query: 'Torres', limit: 5 });
    expect(found.customers).toHaveLength(5);
    expect(found.invoices).toHaveLength(5);
    expect(found.subscriptions).toHaveLength(5);
    b.close();
  });

  it('reads invoices through indexes, never a scan of the invoice table', async () => {
    const b = await billingBusiness();
    const db = b.db.sqlite;
    const plans = [
      "EXPLAIN QUERY PLAN SELECT i.id FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.number >= 'INV-1' AND i.number < 'INV-2' ORDER BY i.number DESC LIMIT 8",
      "EXPLAIN QUERY PLAN SELECT i.id FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.customer_id IN (SELECT value FROM json_each('[\"a\"]')) ORDER BY i.issue_date DESC, i.number DESC LIMIT 8",
      "EXPLAIN QUERY PLAN SELECT s.id FROM subscriptions s JOIN customers c ON c.id = s.customer_id JOIN plans p ON p.id = s.plan_id WHERE s.customer_id IN (SELECT value FROM json_each('[\"a\"]')) LIMIT 8",
    ].map((sql) => (db.prepare(sql).all() as { detail: string }[]).map((r) => r.detail).join('\n'));
    for (const plan of plans) expect(plan).not.toMatch(/SCAN (i|s|invoices|subscriptions)\b(?! USING)/);
    expect(plans[0]).toMatch(/SEARCH i USING (COVERING )?INDEX invoices_number_unique/);
    expect(plans[1]).toMatch(/SEARCH i USING INDEX invoices_customer/);
    expect(plans[2]).toMatch(/SEARCH s USING INDEX subscriptions_customer/);
    b.close();
  });

  it('reads a typed invoice number as the ranges of the number index it may mean', () => {
    expect(invoiceNumberRanges('42', 'INV')).toEqual([
      { from: 'INV-000042', to: 'INV-000042\uffff' },
      { from: 'INV-42', to: 'INV-42\uffff' },
    ]);
    expect(invoiceNumberRanges(' inv0001 ', 'INV')).toEqual([{ from: 'INV-0001', to: 'INV-0001\uffff' }]);
    expect(invoiceNumberRanges('Maya', 'INV')).toEqual([{ from: 'MAYA', to: 'MAYA\uffff' }]);
    expect(invoiceNumberRanges('Maya Lind', 'INV')).toEqual([]);
  });
});
