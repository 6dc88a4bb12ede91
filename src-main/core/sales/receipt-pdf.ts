import type PDFKitDocument from 'pdfkit';
import { finished } from 'node:stream/promises';
import type { Sale, SaleRefund } from '@shared/contract/sales';
import { formatDay, taxLabel } from '@shared/domain/date-format';
import { formatMoney, isCurrencyCode } from '@shared/domain/money';
import { logoImage, pdfText } from '../billing/invoice-pdf';
import { lazyRequire } from '../lazy-require';

// A counter receipt: an 80 mm roll (one long page, as a receipt printer
// prints it) or A4, with pdfkit's built-in Helvetica as invoice-pdf.ts.

export type ReceiptFormat = '80mm' | 'a4';

/** The business's details printed at the top (from its `business` row). */
export interface ReceiptBusiness {
  name: string;
  locale: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  postalCode: string;
  phone: string;
  email: string;
  taxId: string;
  invoiceFooter: string;
  /** A PNG or JPEG data URL (Settings > Business), or null. */
  logo?: string | null;
}

export interface ReceiptData {
  sale: Sale;
  refunds: SaleRefund[];
  business: ReceiptBusiness;
}

const pdfkit = lazyRequire<typeof PDFKitDocument>('pdfkit');
const MM = 72 / 25.4;
const METHOD_LABELS: Record<string, string> = { card: 'Card', cash: 'Cash', bank_transfer: 'Bank transfer', other: 'Other', split: 'Split' };

/** Writes the receipt as a PDF to the stream and resolves once it is flushed. */
export async function writeReceiptPdf(stream: NodeJS.WritableStream, data: ReceiptData, format: ReceiptFormat): Promise<void> {
  const PDFDocument = pdfkit();
  const roll = format === '80mm';
  const width = roll ? 80 * MM : 595.28;
  const margin = roll ? 4 * MM : 50;
  // A roll is as long as the receipt: measure the lines first (about 12 pt each).
  const rows = 14 + data.sale.lines.length * 2 + data.sale.payments.length * 2 + data.refunds.length + (data.business.invoiceFooter ? 3 : 0) + (logoImage(data.business.logo ?? null) ? 5 : 0);
  const height = roll ? Math.max(120 * MM, margin * 2 + rows * 13 + 60) : 841.89;
  const doc = new PDFDocument({
    size: [width, height],
    margin,
    info: {
      Title: pdfText(`Receipt ${data.sale.number}`),
      Author: pdfText(data.business.name),
      CreationDate: new Date(`${data.sale.soldOn}T00:00:00Z`),
    },
  });
  const done = finished(stream, { readable: false });
  doc.pipe(stream);
  draw(doc, data, { roll, margin, width });
  doc.end();
  await done;
}

function draw(doc: PDFKit.PDFDocument, data: ReceiptData, page: { roll: boolean; margin: number; width: number }): void {
  const { sale, business } = data;
  const locale = business.locale || 'en-US';
  const money = (minor: number) => pdfText(isCurrencyCode(sale.currency) ? formatMoney(minor, sale.currency, locale) : `${minor} ${sale.currency}`);
  const left = page.margin;
  const inner = page.width - 2 * page.margin;
  const small = page.roll ? 7.5 : 10;
  const big = page.roll ? 11 : 18;
  const row = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(small);
    doc.text(pdfText(label), left, y, { width: inner * 0.65 });
    const after = doc.y;
    doc.text(value, left, y, { width: inner, align: 'right' });
    doc.y = Math.max(after, doc.y);
  };
  const rule = () => {
    doc.moveDown(0.3);
    doc.moveTo(left, doc.y).lineTo(left + inner, doc.y).lineWidth(0.5).strokeColor('#9ca3af').stroke();
    doc.moveDown(0.4);
  };

  // The logo above the name, as on the invoices: centred and small on a roll, top left on A4.
  let top = page.margin;
  const logo = logoImage(business.logo ?? null);
  if (logo) {
    try {
      const image = (doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(logo);
      const scale = Math.min((page.roll ? inner * 0.6 : 160) / image.width, (page.roll ? 14 * MM : 56) / image.height);
      const w = image.width * scale;
      doc.image(image as unknown as Buffer, page.roll ? left + (inner - w) / 2 : left, top, { width: w, height: image.height * scale });
      top += image.height * scale + (page.roll ? 6 : 10);
    } catch {
      // An image pdfkit cannot read is left out rather than failing the receipt.
    }
  }
  doc.fillColor('#111827').font('Helvetica-Bold').fontSize(big).text(pdfText(business.name), left, top, { width: inner, align: page.roll ? 'center' : 'left' });
  doc.font('Helvetica').fontSize(small);
  const address = [business.addressLine1, business.addressLine2, [business.postalCode, business.city].filter(Boolean).join(' '), business.phone, business.email]
    .filter(Boolean)
    .join(page.roll ? '\n' : ', ');
  if (address) doc.text(pdfText(address), { width: inner, align: page.roll ? 'center' : 'left' });
  if (business.taxId) doc.text(pdfText(`Tax ID ${business.taxId}`), { width: inner, align: page.roll ? 'center' : 'left' });
  rule();
  row('Receipt', pdfText(sale.number), true);
  row('Date', pdfText(formatDay(sale.soldOn, locale)));
  if (sale.customerName) row('Customer', pdfText(sale.customerName));
  rule();
  for (const l of sale.lines) {
    doc.font('Helvetica').fontSize(small).text(pdfText(`${l.name} (${l.sku})`), left, doc.y, { width: inner });
    row(`  ${l.quantity} x ${money(l.unitPrice)}`, money(l.quantity * l.unitPrice));
    if (l.discount !== 0) row('  Discount', money(-l.discount));
  }
  rule();
  const gross = sale.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0);
  row('Subtotal', money(gross));
  const discounts = sale.lines.reduce((s, l) => s + l.discount, 0);
  if (discounts !== 0) row('Discount', money(-discounts));
  if (sale.tax !== 0 || sale.taxRatePpm !== null) row(taxLabel('Tax', sale.taxRatePpm, locale), money(sale.tax));
  doc.moveDown(0.2);
  row('TOTAL', money(sale.total), true);
  rule();
  for (const p of sale.payments) {
    row(METHOD_LABELS[p.method] ?? p.method, money(p.amount));
    if (p.tendered !== null) {
      row('  Tendered', money(p.tendered));
      row('  Change', money(p.change));
    }
  }
  if (sale.payments.length === 0) row(METHOD_LABELS[sale.method] ?? sale.method, money(0));
  for (const r of data.refunds) row(`Refunded ${formatDay(r.refundedOn, locale)}`, money(-r.amount));
  if (business.invoiceFooter) {
    rule();
    doc.font('Helvetica').fontSize(small).fillColor('#374151').text(pdfText(business.invoiceFooter), left, doc.y, { width: inner, align: 'center' });
  }
  doc.moveDown(0.6);
  doc.font('Helvetica').fontSize(small).fillColor('#6b7280').text('Thank you', left, doc.y, { width: inner, align: 'center' });
}
