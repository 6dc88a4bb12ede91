import type PDFKitDocument from 'pdfkit';
import { finished } from 'node:stream/promises';
import type { Business } from '@shared/contract/business';
import type { CreditNote } from '@shared/contract/invoicing';
import type { Customer } from '@shared/domain/customers';
import { formatDay, taxLabel } from '@shared/domain/date-format';
import { formatMoney, isCurrencyCode } from '@shared/domain/money';
import { drawBusinessHeader, drawFooterText, pdfText } from '../billing/invoice-pdf';
import { lazyRequire } from '../lazy-require';

// A credit note as a PDF: the same header as the invoices (logo, the
// business's details), the customer, the invoice it credits, its lines and
// totals with the tax rate, and how it was settled.

const pdfkit = lazyRequire<typeof PDFKitDocument>('pdfkit');
const INK = '#111827';
const TEXT = '#374151';
const MUTED = '#6b7280';
const RULE = '#e5e7eb';
const SHADE = '#f3f4f6';
const MARGIN = 50;
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'GT', 'CR', 'PR']);

export interface CreditNotePdfData {
  note: CreditNote;
  business: Business;
  customer: Customer;
  /** The invoice's tax rate in parts per million, when known, for "Tax (8.25%)". */
  taxRatePpm: number | null;
}

const SETTLEMENT_TEXT: Record<CreditNote['settlement'], string> = {
  invoice: 'Deducted from the amount due on invoice',
  credit: 'Added to your credit balance, used on your next invoices',
  refund: 'Refunded to you',
};

export async function writeCreditNotePdf(stream: NodeJS.WritableStream, data: CreditNotePdfData): Promise<void> {
  const { note, business, customer } = data;
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    size: LETTER_REGIONS.has(business.locale.split('-').at(-1)?.toUpperCase() ?? '') ? 'LETTER' : 'A4',
    margin: MARGIN,
    info: {
      Title: pdfText(`Credit note ${note.number}`),
      Author: pdfText(business.name),
      Subject: pdfText(`Credit note ${note.number} on invoice ${note.invoiceNumber} for ${customer.name}`),
      CreationDate: new Date(`${note.issueDate}T00:00:00Z`),
    },
  });
  const done = finished(stream, { readable: false });
  doc.pipe(stream);
  const locale = business.locale || 'en-US';
  const money = (minor: number) => pdfText(isCurrencyCode(note.currency) ? formatMoney(minor, note.currency, locale) : `${minor} ${note.currency}`);
  const width = doc.page.width - 2 * MARGIN;
  const left = MARGIN;
  let y = drawBusinessHeader(doc, business, 'CREDIT NOTE', note.number, MARGIN);

  // Customer on the left, the note's facts on the right.
  doc.font('Helvetica-Bold').fontSize(8).fillColor(MUTED).text('CREDITED TO', left, y, { characterSpacing: 0.8, lineBreak: false });
  doc.font('Helvetica-Bold').fontSize(11).fillColor(INK).text(pdfText(customer.name), left, y + 14, { width: width / 2 - 20 });
  const place = [customer.city, [customer.region, customer.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  doc.font('Helvetica').fontSize(10).fillColor(TEXT);
  for (const line of [customer.company, customer.addressLine1, customer.addressLine2, place, customer.country, customer.email].filter(Boolean)) {
    doc.text(pdfText(line), left, doc.y + 1, { width: width / 2 - 20 });
  }
  const leftBottom = doc.y;
  const facts: [string, string][] = [
    ['Credit note', note.number],
    ['Date', formatDay(note.issueDate, locale)],
    ['Invoice credited', note.invoiceNumber],
    ['Credit total', money(note.total)],
  ];
  let fy = y;
  const x = left + width / 2 + 20;
  const w = width / 2 - 20;
  for (const [label, value] of facts) {
    doc.font('Helvetica').fontSize(9.5).fillColor(MUTED).text(label, x, fy, { width: w * 0.45 });
    doc.font('Helvetica').fontSize(9.5).fillColor(INK).text(pdfText(value), x + w * 0.45, fy, { width: w * 0.55, align: 'right' });
    fy = doc.y + 5;
  }
  y = Math.max(leftBottom, fy) + 24;

  // Lines.
  doc.rect(left, y, width, 20).fill(SHADE);
  doc.font('Helvetica-Bold').fontSize(8.5).fillColor(MUTED);
  doc.text('DESCRIPTION', left + 8, y + 6, { width: width - 200, lineBreak: false });
  doc.text('QTY', left + width - 170, y + 6, { width: 50, align: 'right', lineBreak: false });
  doc.text('AMOUNT', left + width - 108, y + 6, { width: 100, align: 'right', lineBreak: false });
  y += 26;
  for (const line of note.lines) {
    doc.font('Helvetica').fontSize(10).fillColor(INK);
    const h = doc.heightOfString(pdfText(line.description), { width: width - 200 });
    if (y + h > doc.page.height - MARGIN - 40) {
      doc.addPage();
      y = MARGIN;
    }
    doc.text(pdfText(line.description), left + 8, y, { width: width - 200 });
    doc.text(String(line.quantity), left + width - 170, y, { width: 50, align: 'right' });
    doc.text(money(-line.amount), left + width - 108, y, { width: 100, align: 'right' });
    y += h + 7;
    doc.moveTo(left, y - 4).lineTo(left + width, y - 4).lineWidth(0.75).strokeColor(RULE).stroke();
  }
  y += 8;

  // Totals: negative, as a credit.
  const box = 250;
  const bx = left + width - box;
  const row = (label: string, amount: number, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(bold ? 12 : 10).fillColor(INK);
    doc.text(pdfText(label), bx + 8, y, { width: box * 0.6, lineBreak: false });
    doc.text(money(-amount), bx + box * 0.4, y, { width: box * 0.6 - 8, align: 'right', lineBreak: false });
    y += (bold ? 12 : 10) + 8;
  };
  row('Subtotal', note.subtotal);
  if (note.tax !== 0) row(taxLabel('Tax', data.taxRatePpm, locale), note.tax);
  doc.rect(bx, y, box, 26).fill(SHADE);
  y += 7;
  row('Total credited', note.total, true);
  y += 14;

  const how = note.settlement === 'invoice' ? `${SETTLEMENT_TEXT.invoice} ${note.invoiceNumber}.` : `${SETTLEMENT_TEXT[note.settlement]}.`;
  doc.font('Helvetica').fontSize(10).fillColor(TEXT).text(pdfText(how), left, y, { width });
  if (note.reason) doc.text(pdfText(`Reason: ${note.reason}`), left, doc.y + 4, { width });
  drawFooterText(doc, business, doc.y + 16, () => doc.addPage());
  doc.end();
  await done;
}
