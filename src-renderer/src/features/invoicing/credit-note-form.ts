import type { CreditNoteInput, CreditNoteSettlement } from '@shared/contract/invoicing';
import type { CurrencyCode } from '@shared/domain/money';
import { parseMoneyInput } from '../../lib/money-input';

export interface CreditNoteValues {
  what: 'rest' | 'amount' | 'lines';
  amount: string;
  /** Per invoice line position: how many to credit ('' or 0: none). */
  quantities: Record<string, string>;
  /** Per product line position: false keeps its goods out of stock (default: back in stock when tracked). */
  restock: Record<string, boolean>;
  settlement: CreditNoteSettlement;
  issueDate: string;
  reason: string;
}

export function readCreditNoteForm(v: CreditNoteValues, invoiceId: string, currency: CurrencyCode): { input: CreditNoteInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const input: CreditNoteInput = { invoiceId, settlement: v.settlement, issueDate: v.issueDate, reason: v.reason };
  if (v.what === 'amount') {
    const amount = parseMoneyInput(v.amount, currency, { positive: true });
    if (amount.ok) input.amount = amount.minor;
    else errors.amount = amount.message;
  } else if (v.what === 'lines') {
    const lines: NonNullable<CreditNoteInput['lines']> = [];
    for (const [position, text] of Object.entries(v.quantities)) {
      const t = text.trim();
      if (t === '' || t === '0') continue;
      if (!/^\d+$/.test(t)) errors[`quantities.${position}`] = 'Use a whole number';
      else lines.push({ position: Number(position), quantity: Number(t), ...(v.restock[position] === false ? { restock: false } : {}) });
    }
    if (!lines.length && !Object.keys(errors).length) errors.lines = 'Give a quantity for at least one line';
    input.lines = lines;
  } else if (Object.values(v.restock).some((r) => r === false)) {
    // All that is left, line by line: a product line unticked keeps its goods out of stock.
    input.restock = false;
  }
  return Object.keys(errors).length ? { input: null, errors } : { input, errors };
}
