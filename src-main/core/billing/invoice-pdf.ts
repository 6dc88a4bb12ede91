import type PDFKitDocument from 'pdfkit';
import { finished } from 'node:stream/promises';
import type { Business } from '@shared/contract/business';
import type { Invoice, InvoiceLine, Payment } from '@shared/domain/billing';
import { formatDay, formatPeriod, readableDescription, taxLabel } from '@shared/domain/date-format';
import type { Customer } from '@shared/domain/customers';
import { formatMoney, isCurrencyCode } from '@shared/domain/money';
import { lazyRequire } from '../lazy-require';

// The invoice a small business sends: one page (more only for very long
// invoices), drawn with pdfkit's built-in Helvetica so no font file ships.

export interface InvoicePdfData {
  /** taxRatePpm: the rate shown beside the tax line ("Tax (20%)"), null when unknown. */
  /** credited: what credit notes settled against it took off (shown on its own line, apart from the credit balance). */
  invoice: Invoice & { payments: Payment[]; refunds: { amount: number; refundedOn: string }[]; taxRatePpm: number | null; credited?: number };
  business: Business;
  customer: Customer;
}

// Loaded on first use: pdfkit (and its font tables) costs a CLI start that draws no PDF.
const pdfkit = lazyRequire<typeof PDFKitDocument>('pdfkit');

const INK = '#111827';
const TEXT = '#374151';
const MUTED = '#6b7280';
const RULE = '#e5e7eb';
const SHADE = '#f3f4f6';
const MARGIN = 50;
const STAMPS: Partial<Record<Invoice['status'], { text: string; color: string }>> = {
  paid: { text: 'PAID', color: '#15803d' },
  void: { text: 'VOID', color: '#b91c1c' },
  uncollectible: { text: 'UNCOLLECTIBLE', color: '#b45309' },
};
const CHARGE_KINDS: readonly InvoiceLine['kind'][] = ['recurring', 'setup_fee', 'proration', 'product', 'manual'];
const METHOD_LABELS: Record<Payment['method'], string> = { card: 'Card', cash: 'Cash', bank_transfer: 'Bank transfer', other: 'Other' };
/** Countries that use US Letter paper; everyone else gets A4. */
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'GT', 'CR', 'PR']);

/** Writes the invoice as a PDF to the stream and resolves once it is flushed. */
export async function writeInvoicePdf(stream: NodeJS.WritableStream, data: InvoicePdfData): Promise<void> {
  const { invoice, business } = data;
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    size: LETTER_REGIONS.has(business.locale.split('-').at(-1)?.toUpperCase() ?? '') ? 'LETTER' : 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: pdfText(`Invoice ${invoice.number}`),
      Author: pdfText(business.name),
      Subject: pdfText(`Invoice ${invoice.number} for ${data.customer.name}`),
      // The core reads no clock: the issue date also makes the same invoice the same file.
      CreationDate: new Date(`${invoice.issueDate}T00:00:00Z`),
    },
  });
  // Only the writing side: a destination whose reader drains it later must not hold this up.
  const done = finished(stream, { readable: false });
  doc.pipe(stream);
  new InvoiceLayout(doc, data).draw();
  doc.end();
  await done;
}

/** The logo's image bytes, or null when there is none or it is not a PNG or JPEG data URL. */
export function logoImage(logo: string | null): Buffer | null {
  const m = logo ? /^data:image\/(png|jpeg);base64,(.+)$/.exec(logo) : null;
  return m ? Buffer.from(m[2]!, 'base64') : null;
}

/** The business's address, email, phone and tax ID as lines (empty ones left out). */
export function businessDetailLines(b: Business): string[] {
  const place = [b.city, [b.region, b.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [b.addressLine1, b.addressLine2, place, b.country, [b.email, b.phone].filter(Boolean).join(' · '), b.taxId ? `Tax ID: ${b.taxId}` : ''].filter(Boolean);
}

/**
 * The top of every document: the logo and the business's name and details on
 * the left, the document's title and number on the right, a rule below.
 * Returns where the next block starts.
 */
export function drawBusinessHeader(doc: PDFKit.PDFDocument, business: Business, title: string, number: string, top: number): number {
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  let y = top;
  const logo = logoImage(business.logo);
  if (logo) {
    try {
      // Scaled to fit 160 x 56 points, keeping its ratio; an image at a given place does not move doc.y.
      // openImage is pdfkit's (untyped in @types/pdfkit): the decoded image with its size, drawn without decoding again.
      const image = (doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(logo);
      const scale = Math.min(160 / image.width, 56 / image.height);
      doc.image(image as unknown as Buffer, left, y, { width: image.width * scale, height: image.height * scale });
      y += image.height * scale + 10;
    } catch {
      // An image pdfkit cannot read is left out rather than failing the invoice.
    }
  }
  doc.font('Helvetica-Bold').fontSize(logo ? 14 : 20).fillColor(INK);
  doc.text(pdfText(business.name), left, y, { width: width * 0.6 });
  doc.font('Helvetica').fontSize(9).fillColor(TEXT);
  for (const line of businessDetailLines(business)) doc.text(pdfText(line), left, doc.y + 1, { width: width * 0.6 });
  const nameBottom = doc.y;
  doc.font('Helvetica-Bold').fontSize(22).fillColor(MUTED).text(title, left, top, { width, align: 'right' });
  doc.font('Helvetica').fontSize(11).fillColor(INK).text(pdfText(number), left, doc.y + 2, { width, align: 'right' });
  y = Math.max(nameBottom, doc.y) + 14;
  doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.75).strokeColor(RULE).stroke();
  return y + 20;
}

/** The business's own footer text (bank details, terms), under the body; returns where it ends. */
export function drawFooterText(doc: PDFKit.PDFDocument, business: Business, y: number, newPage: () => void): number {
  const text = business.invoiceFooter.trim();
  if (!text) return y;
  const width = doc.page.width - 2 * MARGIN;
  doc.font('Helvetica').fontSize(8.5);
  const height = doc.heightOfString(pdfText(text), { width });
  if (y + height > doc.page.height - MARGIN - 20) {
    newPage();
    y = MARGIN;
  }
  doc.fillColor(MUTED).text(pdfText(text), MARGIN, y, { width });
  return doc.y;
}

/** One invoice on the page, top to bottom; `y` is where the next block starts. */
class InvoiceLayout {
  private y = MARGIN;
  private readonly left = MARGIN;
  private readonly width: number;
  private readonly money: (minor: number) => string;
  private readonly date: (iso: string) => string;
  private readonly locale: string;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly data: InvoicePdfData,
  ) {
    this.width = doc.page.width - 2 * MARGIN;
    const { currency } = data.invoice;
    const { locale } = data.business;
    this.money = (minor) => pdfText(isCurrencyCode(currency) ? formatMoney(minor, currency, locale) : `${minor} ${currency}`);
    // Dates as the invoice page shows them (the shared formatters, in the business's locale).
    this.locale = locale || 'en-US';
    this.date = (iso) => pdfText(formatDay(iso, this.locale));
  }

  draw(): void {
    this.header();
    this.parties();
    this.lines();
    this.totals();
    this.payments();
    this.closingNote();
    this.y = drawFooterText(this.doc, this.data.business, this.doc.y + 16, () => this.newPage());
    this.footers();
  }

  private get right(): number {
    return this.left + this.width;
  }

  private header(): void {
    this.y = drawBusinessHeader(this.doc, this.data.business, 'INVOICE', this.data.invoice.number, this.y);
  }

  /** Bill-to on the left; the invoice's dates, status and amount due on the right. */
  private parties(): void {
    const { doc, data } = this;
    const { invoice, customer } = data;
    const top = this.y;
    const half = this.width / 2;

    this.label('BILL TO', this.left, top);
    doc.font('Helvetica-Bold').fontSize(11).fillColor(INK).text(pdfText(customer.name), this.left, top + 14, { width: half - 20 });
    const place = [customer.city, [customer.region, customer.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    const rest = [customer.company, customer.addressLine1, customer.addressLine2, place, customer.country, customer.email].filter(Boolean);
    doc.font('Helvetica').fontSize(10).fillColor(TEXT);
    for (const line of rest) doc.text(pdfText(line), this.left, doc.y + 1, { width: half - 20 });
    const billToBottom = doc.y;

    const facts: [string, string][] = [
      ['Invoice number', invoice.number],
      ['Issue date', this.date(invoice.issueDate)],
      ['Due date', this.date(invoice.dueDate)],
    ];
    if (invoice.periodStart && invoice.periodEnd) facts.push(['Service period', this.period(invoice.periodStart, invoice.periodEnd)]);
    facts.push(['Status', statusText(invoice)], ['Amount due', this.money(invoice.amountDue)]);
    const x = this.left + half + 20;
    const w = half - 20;
    let y = top;
    facts.forEach(([label, value], i) => {
      const last = i === facts.length - 1;
      doc.font('Helvetica').fontSize(9.5).fillColor(MUTED).text(label, x, y, { width: w * 0.45 });
      doc.font(last ? 'Helvetica-Bold' : 'Helvetica').fontSize(last ? 11 : 9.5).fillColor(INK);
      doc.text(pdfText(value), x + w * 0.45, y - (last ? 1 : 0), { width: w * 0.55, align: 'right' });
      y = doc.y + 5;
    });
    this.y = Math.max(billToBottom, y) + 24;
  }

  /**
   * PAID, VOID or UNCOLLECTIBLE, tilted, in the blank space left of the totals:
   * sized to fit that space, below the table. Returns the lowest y it reaches.
   */
  private stamp(space: { left: number; right: number; top: number; middle: number }): number {
    const stamp = STAMPS[this.data.invoice.status];
    if (!stamp) return space.top;
    const { doc } = this;
    const tilt = (10 * Math.PI) / 180;
    doc.font('Helvetica-Bold').fontSize(26);
    const fit = (space.right - space.left - 30) / (doc.widthOfString(stamp.text) + 28);
    const size = Math.min(26, 26 * fit);
    doc.fontSize(size);
    const w = doc.widthOfString(stamp.text) + size;
    const h = size * 1.55;
    // Half the height of the tilted box, so it clears the table above.
    const reach = (h / 2) * Math.cos(tilt) + (w / 2) * Math.sin(tilt);
    const cx = (space.left + space.right) / 2;
    const cy = Math.max(space.middle, space.top + reach + 6);
    doc.save();
    doc.rotate(-10, { origin: [cx, cy] });
    doc.opacity(0.85).lineWidth(2.5).strokeColor(stamp.color).roundedRect(cx - w / 2, cy - h / 2, w, h, 4).stroke();
    doc.fillColor(stamp.color).text(stamp.text, cx - w / 2, cy - size * 0.38, { width: w, align: 'center', lineBreak: false });
    doc.restore();
    return cy + reach;
  }

  private lines(): void {
    const { doc } = this;
    const cols = this.columns();
    const header = () => {
      doc.rect(this.left, this.y, this.width, 20).fill(SHADE);
      doc.font('Helvetica-Bold').fontSize(8.5).fillColor(MUTED);
      for (const col of cols) doc.text(col.title, col.x, this.y + 6, { width: col.width, align: col.align, lineBreak: false });
      this.y += 26;
    };
    header();
    const charges = this.data.invoice.lines.filter((l) => CHARGE_KINDS.includes(l.kind));
    for (const line of charges) {
      const period = line.periodStart && line.periodEnd ? this.period(line.periodStart, line.periodEnd) : '';
      // "Unused time on Basic (2026-03-11 to 2026-03-31)": the period column already says when; any other ISO date is formatted.
      const cells = [pdfText(readableDescription(line, this.locale)), period, String(line.quantity), this.money(line.amount)];
      doc.font('Helvetica').fontSize(10);
      const height = Math.max(...cols.map((col, i) => doc.heightOfString(cells[i] ?? '', { width: col.width })));
      if (this.y + height > this.bottom()) {
        this.newPage();
        header();
      }
      cols.forEach((col, i) => {
        doc.font('Helvetica').fontSize(i === 1 ? 9 : 10).fillColor(i === 1 ? TEXT : INK);
        doc.text(cells[i] ?? '', col.x, this.y + (i === 1 ? 0.5 : 0), { width: col.width, align: col.align });
      });
      this.y += height + 7;
      this.rule(this.y - 4);
    }
    if (!charges.length) {
      doc.font('Helvetica-Oblique').fontSize(10).fillColor(MUTED).text('No charges', this.left + 8, this.y);
      this.y = doc.y + 7;
    }
    this.y += 8;
  }

  private columns() {
    const amount = 90;
    const qty = 40;
    const period = 150;
    const gap = 10;
    const description = this.width - amount - qty - period - 3 * gap - 8;
    const x0 = this.left + 8;
    return [
      { title: 'DESCRIPTION', x: x0, width: description, align: 'left' as const },
      { title: 'PERIOD', x: x0 + description + gap, width: period, align: 'left' as const },
      { title: 'QTY', x: x0 + description + period + 2 * gap, width: qty, align: 'right' as const },
      { title: 'AMOUNT', x: this.right - amount - 8, width: amount, align: 'right' as const },
    ];
  }

  /** Subtotal down to amount due, right-aligned under the amounts. */
  private totals(): void {
    const { doc, data } = this;
    const inv = data.invoice;
    const rows: { label: string; amount: number; strong?: boolean; ruleAbove?: boolean }[] = [{ label: 'Subtotal', amount: inv.subtotal }];
    if (inv.discount) rows.push({ label: inv.lines.find((l) => l.kind === 'discount')?.description ?? 'Discount', amount: -inv.discount });
    if (inv.tax) rows.push({ label: taxLabel(inv.lines.find((l) => l.kind === 'tax')?.description ?? 'Tax', inv.taxRatePpm, this.locale), amount: inv.tax });
    rows.push({ label: 'Total', amount: inv.total, strong: true, ruleAbove: true });
    const credited = inv.credited ?? 0;
    if (inv.creditApplied - credited) rows.push({ label: 'Credit applied', amount: -(inv.creditApplied - credited) });
    if (credited) rows.push({ label: 'Credit notes', amount: -credited });
    if (inv.amountPaid) rows.push({ label: 'Paid', amount: -inv.amountPaid });
    const boxWidth = 250;
    const x = this.right - boxWidth;
    if (this.y + (rows.length + 2) * 18 > this.bottom()) this.newPage();
    const top = this.y;
    for (const row of rows) {
      if (row.ruleAbove) {
        this.rule(this.y - 3, x);
        this.y += 3;
      }
      this.amountRow(row.label, this.money(row.amount), x, boxWidth, row.strong ? 'Helvetica-Bold' : 'Helvetica', 10);
    }
    this.y += 4;
    doc.rect(x, this.y, boxWidth, 26).fill(SHADE);
    this.y += 7;
    this.amountRow('Amount due', this.money(inv.amountDue), x, boxWidth, 'Helvetica-Bold', 12);
    const stampBottom = this.stamp({ left: this.left, right: x - 10, top, middle: (top + this.y) / 2 });
    this.y = Math.max(this.y, stampBottom) + 12;
  }

  private amountRow(label: string, amount: string, x: number, width: number, font: string, size: number): void {
    const { doc } = this;
    doc.font(font).fontSize(size).fillColor(INK);
    doc.text(pdfText(label), x + 8, this.y, { width: width * 0.6, lineBreak: false, ellipsis: true });
    doc.text(amount, x + width * 0.4, this.y, { width: width * 0.6 - 8, align: 'right', lineBreak: false });
    this.y += size + 8;
  }

  /** The payments received and any refunds, so the invoice is also a receipt. */
  private payments(): void {
    const { doc, data } = this;
    const received = data.invoice.payments.filter((p) => p.status === 'succeeded');
    if (!received.length && !data.invoice.refunds.length) return;
    const entries = [
      ...received.map((p) => [this.date(p.paidOn), `${METHOD_LABELS[p.method]}${p.reference ? ` (${pdfText(p.reference)})` : ''}`, this.money(p.amount)]),
      ...data.invoice.refunds.map((r) => [this.date(r.refundedOn), 'Refund', this.money(-r.amount)]),
    ];
    if (this.y + 20 + entries.length * 14 > this.bottom()) this.newPage();
    this.label('PAYMENTS', this.left, this.y);
    this.y += 14;
    doc.font('Helvetica').fontSize(9.5).fillColor(TEXT);
    for (const [date = '', what = '', amount = ''] of entries) {
      doc.text(date, this.left, this.y, { width: 80, lineBreak: false });
      doc.text(what, this.left + 80, this.y, { width: 150, lineBreak: false, ellipsis: true });
      doc.text(amount, this.left + 230, this.y, { width: 70, align: 'right', lineBreak: false });
      this.y += 14;
    }
    this.y += 10;
  }

  private closingNote(): void {
    const { doc, data } = this;
    const inv = data.invoice;
    let note: string;
    if (inv.status === 'void') note = 'This invoice was voided: nothing is due.';
    else if (inv.status === 'uncollectible') note = `This invoice is marked uncollectible. ${this.money(inv.amountDue)} remains unpaid.`;
    else if (inv.amountDue === 0) note = `${inv.paidOn ? `Paid in full on ${this.date(inv.paidOn)}` : 'Nothing is due'}. Thank you for your business.`;
    else note = `Please pay ${this.money(inv.amountDue)} by ${this.date(inv.dueDate)}, quoting invoice ${inv.number}. Thank you for your business.`;
    if (this.y + 30 > this.bottom()) this.newPage();
    doc.font('Helvetica').fontSize(10).fillColor(TEXT).text(pdfText(note), this.left, this.y, { width: this.width });
  }

  /** Business and invoice number, and page n of m, along the bottom of every page. */
  private footers(): void {
    const { doc, data } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const y = doc.page.height - MARGIN + 14;
      // Writing below the bottom margin would start a new page; the footer is the one thing allowed there.
      const bottomMargin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      this.rule(y - 8);
      doc.font('Helvetica').fontSize(8).fillColor(MUTED);
      doc.text(pdfText(`${data.business.name} · Invoice ${data.invoice.number}`), this.left, y, { width: this.width * 0.7, lineBreak: false });
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, this.left, y, { width: this.width, align: 'right', lineBreak: false });
      doc.page.margins.bottom = bottomMargin;
    }
  }

  private label(text: string, x: number, y: number): void {
    this.doc.font('Helvetica-Bold').fontSize(8).fillColor(MUTED).text(text, x, y, { characterSpacing: 0.8, lineBreak: false });
  }

  private rule(y: number, x = this.left): void {
    this.doc.moveTo(x, y).lineTo(this.right, y).lineWidth(0.75).strokeColor(RULE).stroke();
  }

  /** Half-open [start, end) as the days it covers, as the invoice page shows it: "Mar 1 – 31, 2026". */
  private period(start: string, end: string): string {
    return pdfText(formatPeriod(start, end, this.locale));
  }

  /** The lowest y the body may use, above the footer. */
  private bottom(): number {
    return this.doc.page.height - MARGIN - 20;
  }

  private newPage(): void {
    this.doc.addPage();
    this.y = MARGIN;
  }
}

function statusText(inv: Invoice): string {
  if (inv.status === 'paid') return 'Paid';
  if (inv.status === 'void') return 'Void';
  if (inv.status === 'uncollectible') return 'Uncollectible';
  if (inv.status === 'draft') return 'Draft';
  return inv.amountPaid > 0 ? 'Partly paid' : 'Open';
}

// The standard PDF fonts encode WinAnsi (Latin-1 plus a few signs). pdfkit writes
// any other character as broken bytes, so text is mapped onto WinAnsi first:
// accents are dropped where the letter has no WinAnsi form (č -> c), a few signs
// get their usual stand-in, anything else becomes "?".
const WIN_ANSI_EXTRAS = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018, 0x2019, 0x201c,
  0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);
const STAND_INS: Record<string, string> = {
  '\u202f': '\u00a0', // narrow no-break space (fr-FR money)
  '\u2009': ' ',
  '\u2007': ' ',
  '\u2212': '-',
  '\u2010': '-',
  '\u2011': '-',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  '₹': 'Rs',
  '₩': 'W',
};

function winAnsi(codePoint: number): boolean {
  return codePoint === 0x0a || (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff) || WIN_ANSI_EXTRAS.has(codePoint);
}

export function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    if (winAnsi(ch.codePointAt(0) ?? 0)) out += ch;
    else if (STAND_INS[ch] !== undefined) out += STAND_INS[ch];
    else {
      const bare = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += bare && [...bare].every((c) => winAnsi(c.codePointAt(0) ?? 0)) ? bare : '?';
    }
  }
  return out;
}
