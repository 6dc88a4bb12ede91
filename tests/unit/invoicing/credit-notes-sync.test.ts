import { describe, expect, it } from 'vitest';
import { digest, writeSyncState } from '../../../src-main/core/sync';
import { call } from '../../support/core';
import { firstPc, joiningPc, OrderedLog, syncAll } from '../sync/harness';

// A credit note made on one PC reaches the other, and the invoice it credits
// owes the same on both: credit_applied and amount_due are derived from the
// insert-only credit transactions after a merge (sync/apply.ts rederive).

describe('credit notes between PCs', () => {
  it('credit notes made offline on two PCs against one invoice both count, numbered in each PC series, with the same amount due on both', async () => {
    const log = new OrderedLog();
    const { pc: a, businessId } = await firstPc(log);
    const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
    const server = 'http://127.0.0.1:9';
    writeSyncState(a.db, { server, deviceId: a.deviceId, deviceName: 'Office', billingDevice: { id: a.deviceId, name: 'Office' } });
    writeSyncState(b.db, { server, deviceId: b.deviceId, deviceName: 'Front desk', billingDevice: { id: a.deviceId, name: 'Office' } });
    const cust = await call(a.core, a.conn, 'customers.create', { name: 'Ann', email: 'ann@example.com', paymentMethod: 'manual' });
    const inv = await call(a.core, a.conn, 'invoices.create', { customerId: cust.id, issueDate: '2026-03-01', lines: [{ description: 'Workshop', quantity: 3, unitAmount: 4000 }] });
    expect(inv).toMatchObject({ number: 'INV-000001', total: 12000, amountDue: 12000 });
    syncAll([a, b], log);

    // Offline on both.
    const onA = await call(a.core, a.conn, 'creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', lines: [{ position: 0, quantity: 1 }], issueDate: '2026-03-02' });
    const onB = await call(b.core, b.conn, 'creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', amount: 3000, issueDate: '2026-03-03' });
    const oneOffOnB = await call(b.core, b.conn, 'invoices.create', { customerId: cust.id, issueDate: '2026-03-03', lines: [{ description: 'Towel', unitAmount: 500 }] });
    expect([onA.number, onB.number, oneOffOnB.number]).toEqual(['CN-000001', 'CN-B00000-000001', 'INV-B00000-000001']);
    expect((await call(b.core, b.conn, 'invoices.get', { id: inv.id })).amountDue).toBe(9000);
    syncAll([a, b], log);

    for (const pc of [a, b]) {
      expect(await call(pc.core, pc.conn, 'invoices.get', { id: inv.id })).toMatchObject({ status: 'open', creditApplied: 7000, amountDue: 5000 });
      expect((await call(pc.core, pc.conn, 'creditNotes.list', { invoiceId: inv.id })).map((n) => n.number).sort()).toEqual(['CN-000001', 'CN-B00000-000001']);
      expect((await call(pc.core, pc.conn, 'customers.get', { id: cust.id })).customer.creditBalance).toBe(0);
    }
    // The rest settled on B reaches A: paid on both, on the note's date.
    await call(b.core, b.conn, 'creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', issueDate: '2026-03-04' });
    syncAll([a, b], log);
    for (const pc of [a, b]) {
      expect(await call(pc.core, pc.conn, 'invoices.get', { id: inv.id })).toMatchObject({ status: 'paid', creditApplied: 12000, amountDue: 0, paidOn: '2026-03-04' });
    }
    expect(digest(a.db)).toEqual(digest(b.db));
  });
});
