import type { Sale, SaleMethod, SaleStatus } from '@shared/contract/sales';

export const METHOD_LABELS: Record<SaleMethod | 'split', string> = { cash: 'Cash', card: 'Card', bank_transfer: 'Bank transfer', other: 'Other', split: 'Split' };

export const STATUS_BADGES: Record<SaleStatus, { label: string; color: string }> = {
  paid: { label: 'Paid', color: 'green' },
  partially_refunded: { label: 'Partly refunded', color: 'orange' },
  refunded: { label: 'Refunded', color: 'gray' },
};

/** "Cash", or "Cash + Card" for a split sale. */
export function saleMethodLabel(sale: Pick<Sale, 'method' | 'payments'>): string {
  if (sale.method !== 'split') return METHOD_LABELS[sale.method];
  return sale.payments.map((p) => METHOD_LABELS[p.method]).join(' + ');
}

/** "3 items" (units, not lines). */
export function itemCount(sale: Pick<Sale, 'lines'>): string {
  const n = sale.lines.reduce((s, l) => s + l.quantity, 0);
  return `${n} ${n === 1 ? 'item' : 'items'}`;
}

/** Units of each line still refundable. */
export function refundableQuantity(line: { quantity: number; refundedQuantity: number }): number {
  return line.quantity - line.refundedQuantity;
}
