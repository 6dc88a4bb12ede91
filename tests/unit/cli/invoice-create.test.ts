import { describe, expect, it } from 'vitest';
import { withBilling, type InvoiceDetail } from './billing-fixtures';

// recurra invoice create / credit (issue 14 item 3): one-off invoices and credit notes from the command line.

describe('recurra invoice create', () => {
  it('issues a one-off invoice from --line DESC:QTY@PRICE flags, numbered in the series; refusals name the flag and take no number', async () => {
    const b = await withBilling();
    const customer = await b.customer('Jane Doe', 'card');
    const { invoice } = await b.json<{ invoice: InvoiceDetail }>(['invoice', 'create', '--customer', customer.id, '--line', 'Private class:2@40.00', '--line', 'Setup: Studio A:@25', '--discount', '5.00', '--date', '2026-03-01']);
    expect(invoice).toMatchObject({ number: 'INV-000001', kind: 'manual', status: 'open', subtotal: 10500, discount: 500, total: 10000, dueDate: '2026-03-15' });
    expect(invoice.lines.map((l) => [l.description, l.quantity, l.amount])).toEqual([
      ['Private class', 2, 8000],
      ['Setup: Studio A', 1, 2500],
      ['Discount', 1, -500],
    ]);
    const cases: [string[], string, string][] = [
      [['--line', 'Class:1@9.999'], 'lines.0.unitAmount', '--line "Class:1@9.999"'],
      [['--line', 'Class:-1@9.99'], 'lines.0.quantity', '--line "Class:-1@9.99"'],
      [['--line', 'Class'], 'lines.0', '--line "Class"'],
      [['--product', 'NOPE:1'], 'lines.0.sku', '--product NOPE:1'],
      [[], 'lines', '--line or --product'],
    ];
    for (const [flags, field, flag] of cases) {
      const refusal = await b.refused(['invoice', 'create', '--customer', customer.id, ...flags]);
      expect(refusal).toMatchObject({ code: 1, error: { code: 'validation', field } });
      expect(refusal.stderr).toMatch(new RegExp(`^Error: ${flag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    }
    expect((await b.refused(['invoice', 'create', '--customer', 'nobody', '--line', 'X:1@1'])).error).toMatchObject({ code: 'not_found', field: 'customerId' });
    const next = await b.human(['invoice', 'create', '--customer', customer.id, '--line', 'Towel:1@2.50']);
    expect(next.stdout).toMatch(/^Issued INV-000002 for \$2\.50, due /);
  });

  it('credits an invoice: a line, then the rest against what it owes', async () => {
    const b = await withBilling();
    const customer = await b.customer('Jane Doe', 'manual');
    await b.json(['invoice', 'create', '--customer', customer.id, '--line', 'Class pack:4@25.00', '--date', '2026-03-01']);
    const one = await b.json<{ creditNote: { number: string; total: number } }>(['invoice', 'credit', 'INV-000001', '--settle', 'invoice', '--line', '0:1', '--reason', 'Class cancelled']);
    expect(one.creditNote).toMatchObject({ number: 'CN-000001', total: 2500 });
    expect(await b.invoice('INV-000001')).toMatchObject({ amountDue: 7500, status: 'open' });
    const over = await b.refused(['invoice', 'credit', 'INV-000001', '--settle', 'credit', '--amount', '75.01']);
    expect(over).toMatchObject({ code: 1, error: { code: 'validation', field: 'amount' } });
    expect(over.stderr).toMatch(/^Error: --amount: At most \$75\.00 can be credited/);
    expect((await b.human(['invoice', 'credit', 'INV-000001', '--settle', 'invoice'])).stdout).toBe('Credit note CN-000002 for $75.00 on INV-000001, off what INV-000001 owes.\n');
    expect(await b.invoice('INV-000001')).toMatchObject({ amountDue: 0, status: 'paid' });
    expect((await b.refused(['invoice', 'credit', 'INV-000001', '--settle', 'later'])).error).toMatchObject({ field: 'settlement' });
  });

  it('credit --line puts a tracked product back in stock unless --no-restock', async () => {
    const b = await withBilling();
    const customer = await b.customer('Jane Doe', 'manual');
    await b.json(['product', 'create', '--sku', 'MAT-1', '--name', 'Yoga mat', '--price', '25.00', '--stock', '5']);
    await b.json(['invoice', 'create', '--customer', customer.id, '--product', 'MAT-1:3', '--date', '2026-03-01']);
    const stock = async () => (await b.json<{ stock: number }[]>(['product', 'list']))[0]!.stock;
    expect(await stock()).toBe(2);
    await b.json(['invoice', 'credit', 'INV-000001', '--settle', 'invoice', '--line', '0:1', '--no-restock']);
    expect(await stock()).toBe(2);
    await b.json(['invoice', 'credit', 'INV-000001', '--settle', 'invoice', '--line', '0:1']);
    expect(await stock()).toBe(3);
    expect((await b.refused(['invoice', 'credit', 'INV-000001', '--settle', 'invoice', '--amount', '1.00', '--restock'])).error).toMatchObject({ field: 'restock' });
  });
});
