import type { ChargeLineInput, OneOffInvoiceInput } from '@shared/contract/invoicing';
import type { CurrencyCode } from '@shared/domain/money';
import { parseMoneyInput } from '../../lib/money-input';

// The lines of a one-off invoice (or an extra line) as typed: free text with a
// price, or a product picked by its SKU (priced by the core from the product;
// `unitAmount` then only shows the product's price). Text in,
// contract input out; every message on its own field ("lines.1.unitAmount").

export interface LineValues {
  kind: 'free' | 'product';
  description: string;
  sku: string;
  quantity: string;
  unitAmount: string;
}

export interface InvoiceValues {
  customerId: string | null;
  issueDate: string;
  discount: string;
  lines: LineValues[];
}

export const emptyLine = (): LineValues => ({ kind: 'free', description: '', sku: '', quantity: '1', unitAmount: '' });

const WHOLE = /^\d+$/;

/** One line: the contract's input, or the errors keyed under `prefix`. */
export function readLine(v: LineValues, currency: CurrencyCode, prefix: string): { line: ChargeLineInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const q = v.quantity.trim();
  const quantity = Number(q);
  if (!WHOLE.test(q) || quantity < 1) errors[`${prefix}.quantity`] = q.startsWith('-') ? 'The quantity is at least 1' : 'Use a whole number, at least 1';
  if (v.kind === 'product') {
    if (!v.sku.trim()) errors[`${prefix}.sku`] = 'Choose a product';
    return { line: Object.keys(errors).length ? null : { sku: v.sku.trim(), quantity }, errors };
  }
  if (!v.description.trim()) errors[`${prefix}.description`] = 'Describe the line';
  const price = parseMoneyInput(v.unitAmount, currency);
  if (!price.ok) errors[`${prefix}.unitAmount`] = price.message;
  return { line: Object.keys(errors).length || !price.ok ? null : { description: v.description.trim(), quantity, unitAmount: price.minor }, errors };
}

export function readInvoiceForm(v: InvoiceValues, currency: CurrencyCode): { input: OneOffInvoiceInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!v.customerId) errors.customerId = 'Choose a customer';
  if (v.lines.length === 0) errors.lines = 'Add at least one line';
  const lines: ChargeLineInput[] = [];
  v.lines.forEach((line, i) => {
    const read = readLine(line, currency, `lines.${i}`);
    Object.assign(errors, read.errors);
    if (read.line) lines.push(read.line);
  });
  const discount = parseMoneyInput(v.discount, currency, { required: false });
  if (!discount.ok) errors.discount = discount.message;
  if (Object.keys(errors).length || !discount.ok || !v.customerId) return { input: null, errors };
  return { input: { customerId: v.customerId, issueDate: v.issueDate, lines, discount: discount.minor }, errors };
}
