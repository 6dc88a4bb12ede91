import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src-server/sync/store';
import { businessOnNewPc, pc } from './pcs';
import { call, startTestServer, storageKinds, type TestServer } from './support';

// Two PCs credit one invoice offline (spec/server.md "What sync guarantees" 3:
// credit transactions are insert-only records, an invoice's credit applied and
// amount due are derived from them after every merge). Each PC checked its
// credit note against what it saw, so together they give back more than the
// invoice totals: both stand, amount due stops at 0, and the owner finds the
// excess in the sync conflicts list on every PC. The server's REST API shows
// both credit notes' effect.

interface Invoice {
  id: string;
  number: string;
  total: number;
  creditApplied: number;
  amountPaid: number;
  amountDue: number;
  status: string;
}
interface Conflict {
  entity: string;
  id: string;
  field: string;
  kept: unknown;
  overwritten: unknown;
  at: string;
}

describe.each(storageKinds)('two PCs crediting one invoice offline, through the sync server on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('both credit notes count, amount due stops at 0, and the excess is listed as a conflict on both PCs', async () => {
    const { a, businessId, jane } = await businessOnNewPc('Credit Twice Co');
    const created = await a.ok<{ invoice: Invoice }>(['invoice', 'create', '--customer', jane.id, '--line', 'Class pack:1@10.00']);
    const invoiceId = created.invoice.id;
    expect(created.invoice).toMatchObject({ total: 1000, amountDue: 1000, status: 'open' });
    // A second invoice credited within its total on both PCs: no conflict for it.
    const other = (await a.ok<{ invoice: Invoice }>(['invoice', 'create', '--customer', jane.id, '--line', 'Mat rental:1@10.00'])).invoice;
    await a.ok(['sync', 'connect', '--server', server.url, '--invite', (await createInvite(server.storage.db, server.clock.now())).code, '--device-name', 'Front desk']);
    const apiKey = (await a.ok<{ key: string }>(['api-key', 'create', '--name', 'Website', '--scope', 'read'])).key;
    await a.ok(['sync', 'now']);
    const onB: { id?: string } = {};
    const b = pc(() => onB.id);
    const code = (await a.ok<{ code: string }>(['sync', 'pair'])).code;
    onB.id = (await b.ok<{ business: { id: string } }>(['sync', 'join', '--server', server.url, '--code', code, '--device-name', 'Laptop'], { RECURRA_USER: '', RECURRA_PASSWORD: '' })).business.id;
    expect(onB.id).toBe(businessId);

    // Offline, each PC takes part of the invoice off what it owes: 6.00 on A, 5.00 on B (each fine alone).
    await a.ok(['invoice', 'credit', invoiceId, '--settle', 'invoice', '--amount', '6.00', '--reason', 'Missed classes']);
    await b.ok(['invoice', 'credit', invoiceId, '--settle', 'invoice', '--amount', '5.00', '--reason', 'Studio closed']);
    await a.ok(['invoice', 'credit', other.id, '--settle', 'invoice', '--amount', '3.00']);
    await b.ok(['invoice', 'credit', other.id, '--settle', 'invoice', '--amount', '4.00']);
    for (const p of [a, b, a]) await p.ok(['sync', 'now']);

    expect(await b.ok(['sync', 'digest'])).toEqual(await a.ok(['sync', 'digest']));
    for (const p of [a, b]) {
      const shown = (await p.ok<{ invoice: Invoice }>(['invoice', 'show', invoiceId])).invoice;
      expect(shown).toMatchObject({ total: 1000, creditApplied: 1100, amountPaid: 0, amountDue: 0, status: 'paid' });
      expect((await p.ok<{ invoice: Invoice }>(['invoice', 'show', other.id])).invoice).toMatchObject({ creditApplied: 700, amountDue: 300, status: 'open' });
      const listed = await p.ok<Conflict[]>(['sync', 'conflicts']);
      const onInvoice = listed.filter((c) => c.id === invoiceId || c.id === other.id);
      // Only the excess: the derived fields both PCs wrote (credit applied, amount due) are not a disagreement.
      expect(onInvoice).toEqual([{ entity: 'invoices', id: invoiceId, field: '(over-credited)', kept: expect.any(String), overwritten: null, at: expect.any(String) }]);
      const text = onInvoice[0]!.kept as string;
      expect(text).toContain(created.invoice.number);
      expect(text).toContain('exceed its total of $10.00 by $1.00');
      expect(text.match(/CN-[\w-]+/g)).toHaveLength(2);
    }
    // One row, the same on both PCs (it syncs; each PC that met the excess wrote the same id).
    expect(await b.ok(['sync', 'conflicts'])).toEqual(await a.ok(['sync', 'conflicts']));

    // The server's REST API shows both credit notes' effect.
    const served = await call<Invoice>(server, 'GET', `/v1/invoices/${invoiceId}`, { token: apiKey });
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    expect(served.body).toMatchObject({ creditApplied: 1100, amountDue: 0, status: 'paid' });
    const servedOther = await call<Invoice>(server, 'GET', `/v1/invoices/${other.id}`, { token: apiKey });
    expect(servedOther.body).toMatchObject({ creditApplied: 700, amountDue: 300, status: 'open' });
  });
});
