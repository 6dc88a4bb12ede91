import { describe, expect, it } from 'vitest';
import { emptyLine, readInvoiceForm, readLine } from '../../src-renderer/src/features/invoicing/charge-form';
import { readCreditNoteForm } from '../../src-renderer/src/features/invoicing/credit-note-form';

describe('the one-off invoice form', () => {
  const line = (over: Partial<ReturnType<typeof emptyLine>>) => ({ ...emptyLine(), ...over });

  it('turns typed lines into the contract input, money in minor units', () => {
    expect(
      readInvoiceForm(
        { customerId: 'c1', issueDate: '2026-03-10', discount: '10', lines: [line({ description: ' Private class ', quantity: '4', unitAmount: '40.00' }), line({ kind: 'product', sku: 'MAT-1', quantity: '2' })] },
        'USD',
      ),
    ).toEqual({
      input: { customerId: 'c1', issueDate: '2026-03-10', discount: 1000, lines: [{ description: 'Private class', quantity: 4, unitAmount: 4000 }, { sku: 'MAT-1', quantity: 2 }] },
      errors: {},
    });
  });

  it('names every bad field: no customer, three decimals, a negative or fractional quantity, no description, no SKU', () => {
    const { input, errors } = readInvoiceForm(
      {
        customerId: null,
        issueDate: '2026-03-10',
        discount: '-1',
        lines: [line({ description: 'A', unitAmount: '9.999' }), line({ description: 'B', quantity: '-1', unitAmount: '1' }), line({ quantity: '1.5', unitAmount: '1' }), line({ kind: 'product' })],
      },
      'USD',
    );
    expect(input).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['customerId', 'discount', 'lines.0.unitAmount', 'lines.1.quantity', 'lines.2.description', 'lines.2.quantity', 'lines.3.sku']);
    expect(errors['lines.0.unitAmount']).toMatch(/2 decimal places/);
    expect(errors['lines.1.quantity']).toBe('The quantity is at least 1');
    expect(readInvoiceForm({ customerId: 'c1', issueDate: '2026-03-10', discount: '', lines: [] }, 'USD').errors).toEqual({ lines: 'Add at least one line' });
    expect(readLine(line({ description: 'X', unitAmount: '1' }), 'USD', 'line').errors).toEqual({});
  });
});

describe('the credit note form', () => {
  const base = { what: 'rest' as const, amount: '', quantities: {}, restock: {}, settlement: 'invoice' as const, issueDate: '2026-03-10', reason: '' };
  it('all that is left, an amount, or some lines', () => {
    expect(readCreditNoteForm(base, 'i1', 'USD').input).toEqual({ invoiceId: 'i1', settlement: 'invoice', issueDate: '2026-03-10', reason: '' });
    expect(readCreditNoteForm({ ...base, what: 'amount', amount: '40.96' }, 'i1', 'USD').input).toMatchObject({ amount: 4096 });
    expect(readCreditNoteForm({ ...base, what: 'amount', amount: '0' }, 'i1', 'USD').errors).toEqual({ amount: 'The amount must be more than zero' });
    expect(readCreditNoteForm({ ...base, what: 'lines', quantities: { 0: '1', 1: '', 2: '0' } }, 'i1', 'USD').input).toMatchObject({ lines: [{ position: 0, quantity: 1 }] });
    expect(readCreditNoteForm({ ...base, what: 'lines', quantities: { 0: '' } }, 'i1', 'USD').errors).toEqual({ lines: 'Give a quantity for at least one line' });
    expect(readCreditNoteForm({ ...base, what: 'lines', quantities: { 1: 'x' } }, 'i1', 'USD').errors).toEqual({ 'quantities.1': 'Use a whole number' });
  });

  it('a product line unticked stays out of stock; ticked (or never touched) is the server default', () => {
    expect(readCreditNoteForm({ ...base, what: 'lines', quantities: { 0: '1', 1: '2' }, restock: { 0: false, 1: true } }, 'i1', 'USD').input?.lines).toEqual([
      { position: 0, quantity: 1, restock: false },
      { position: 1, quantity: 2 },
    ]);
    expect(readCreditNoteForm({ ...base, restock: { 1: false } }, 'i1', 'USD').input).toMatchObject({ restock: false });
    expect(readCreditNoteForm({ ...base, restock: { 1: true } }, 'i1', 'USD').input).not.toHaveProperty('restock');
  });
});
