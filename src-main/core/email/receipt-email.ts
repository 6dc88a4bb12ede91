import { PassThrough } from 'node:stream';
import type { Sale } from '@shared/contract/sales';
import { formatDay } from '@shared/domain/date-format';
import { formatMoney, isCurrencyCode } from '@shared/domain/money';
import { getBusinessRow } from '../business/business-service';
import type { BusinessDb } from '../db/open';
import { writeReceiptPdf } from '../sales/receipt-pdf';
import { getSale, saleRefunds } from '../sales/sales-service';
import type { ReceiptMailVars } from './templates';

const METHODS: Record<string, string> = { card: 'card', cash: 'cash', bank_transfer: 'bank transfer', other: 'other' };

/** The receipt email's values: amounts in the sale's currency, the business's locale. */
export function receiptVars(sale: Sale, business: string, locale: string, customer: string): ReceiptMailVars {
  const loc = locale || 'en-US';
  const money = (minor: number) => (isCurrencyCode(sale.currency) ? formatMoney(minor, sale.currency, loc) : `${minor} ${sale.currency}`);
  const discount = sale.lines.reduce((sum, l) => sum + l.discount, 0);
  const gross = sale.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
  return {
    business,
    customer: customer || 'there',
    number: sale.number,
    date: formatDay(sale.soldOn, loc),
    items: sale.lines.map((l) => `${l.quantity} x ${l.name} (${l.sku})  ${money(l.quantity * l.unitPrice)}`).join('\n'),
    subtotal: money(gross),
    discount: discount ? money(-discount) : money(0),
    tax: money(sale.tax),
    total: money(sale.total),
    paidBy: sale.payments.map((p) => `${METHODS[p.method] ?? p.method} ${money(p.amount)}`).join(' + ') || (METHODS[sale.method] ?? sale.method),
  };
}

/** The sale's receipt as an A4 PDF (the same file `sale receipt --format a4` writes), drawn as of now. */
export async function receiptAttachment(db: BusinessDb, saleId: string) {
  const sale = getSale(db, saleId);
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeReceiptPdf(stream, { sale, refunds: saleRefunds(db, sale.id), business: getBusinessRow(db.orm) }, 'a4');
  return { filename: `${sale.number}.pdf`, content: Buffer.concat(chunks), contentType: 'application/pdf' };
}
