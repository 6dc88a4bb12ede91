import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfText, writeInvoicePdf } from '../../../src-main/core/billing/invoice-pdf';
import { billingBusiness, type BillingFixture } from '../../support/billing';
import { tempDir } from '../../support/core';
import { solidPng } from '../../support/png';

// The PDF is checked without a PDF library: its content streams are inflated
// (pdfkit compresses them with zlib) and the text shown by each TJ operator is
// read back from its hex strings, which the standard fonts encode as WinAnsi.

async function pdfBytes(b: BillingFixture, invoiceId: string): Promise<Buffer> {
  const invoice = await b.call('invoices.get', { id: invoiceId });
  const business = await b.call('business.get', {});
  const { customer } = await b.call('customers.get', { id: invoice.customerId });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeInvoicePdf(sink, { invoice, business, customer });
  return Buffer.concat(chunks);
}

/** Every text run on the pages, in drawing order. */
function textRuns(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const runs: string[] = [];
  for (const match of source.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const body = pdf.subarray(start, source.indexOf('endstream', start));
    const content = (match[1] ?? '').includes('/FlateDecode') ? zlib.inflateSync(body).toString('latin1') : body.toString('latin1');
    for (const tj of content.matchAll(/\[((?:<[0-9a-f]*>|[-\d.\s])*)\]\s*TJ/g)) {
      const hex = [...(tj[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => h[1]).join('');
      runs.push(winAnsiDecode(Buffer.from(hex, 'hex')));
    }
  }
  return runs;
}

/** WinAnsi is Latin-1 except 0x80-0x9F (Node's TextDecoder reads those as control characters). */
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function winAnsiDecode(bytes: Buffer): string {
  return [...bytes].map((byte) => (byte >= 0x80 && byte <= 0x9f ? WIN_ANSI_HIGH[byte - 0x80] : String.fromCharCode(byte))).join('');
}

async function billedInvoice(opts: { taxRate?: string } = {}) {
  const b = await billingBusiness(opts);
  const plan = await b.plan({ price: 2900, name: 'Studio Monthly' });
  await b.call('coupons.create', { code: 'TWENTY', percentOff: '20', duration: 'forever' });
  const customer = await b.call('customers.create', {
    name: 'Jane Doe',
    email: 'jane@example.com',
    company: 'Acme Pilates',
    addressLine1: '12 Harbour Street',
    city: 'Boston',
    region: 'MA',
    postalCode: '02110',
    country: 'United States',
    paymentMethod: 'manual',
  });
  await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id, couponCode: 'TWENTY' });
  await b.run('2026-03-01');
  const [invoice] = await b.invoices();
  return { b, invoice: invoice! };
}

describe('writeInvoicePdf', () => {
  it("prints the business's address, email, tax ID and logo in the header, and its footer text", async () => {
    const { b, invoice } = await billedInvoice({ taxRate: '8.25' });
    const logo = `data:image/png;base64,${solidPng(120, 40, [37, 99, 235]).toString('base64')}`;
    await b.call('business.update', {
      addressLine1: '400 Lakeview Avenue',
      addressLine2: 'Suite 2',
      city: 'Chicago',
      region: 'IL',
      postalCode: '60601',
      country: 'United States',
      email: 'billing@sunrise.example',
      phone: '+1 312 555 0100',
      taxId: 'EIN 12-3456789',
      invoiceFooter: 'Pay by transfer to IBAN US00 1234 5678.\nThank you!',
      logo,
    });
    const pdf = await pdfBytes(b, invoice.id);
    const runs = textRuns(pdf);
    expect(runs).toEqual(
      expect.arrayContaining([
        'Sunrise Yoga',
        '400 Lakeview Avenue',
        'Suite 2',
        'Chicago, IL 60601',
        'United States',
        'billing@sunrise.example · +1 312 555 0100',
        'Tax ID: EIN 12-3456789',
        'Tax (8.25%)',
        'Pay by transfer to IBAN US00 1234 5678.',
        'Thank you!',
      ]),
    );
    expect(pdf.toString('latin1')).toMatch(/\/Subtype \/Image/);
    // A non-image behind an image type is refused naming the field; removing the logo takes the image out.
    await expect(b.call('business.update', { logo: 'data:image/png;base64,AAAAAAAAAAAAAAAA' })).rejects.toMatchObject({ body: { code: 'validation', field: 'logo' } });
    await b.call('business.update', { logo: null });
    expect((await pdfBytes(b, invoice.id)).toString('latin1')).not.toMatch(/\/Subtype \/Image/);
    b.close();
  });


  it('writes a PDF with the number, the bill-to, every line and the totals of spec 3 ($29.00, 20% off, 8.25% tax: $25.11)', async () => {
    const { b, invoice } = await billedInvoice({ taxRate: '8.25' });
    expect(invoice).toMatchObject({ number: 'INV-000001', subtotal: 2900, discount: 580, tax: 191, total: 2511, status: 'open' });
    const pdf = await pdfBytes(b, invoice.id);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);

    const text = textRuns(pdf).join('\n');
    for (const expected of [
      'Sunrise Yoga',
      'INVOICE',
      'INV-000001',
      'Jane Doe',
      'Acme Pilates',
      '12 Harbour Street',
      'Boston, MA 02110',
      'jane@example.com',
      'Studio Monthly',
      'Mar 1 – 31, 2026', // the period as the invoice page shows it
      'Mar 15, 2026', // due: a hand payer gets the 14 net days
      '$29.00',
      'Discount (TWENTY)',
      '-$5.80',
      'Tax (8.25%)',
      '$1.91',
      '$25.11',
      'Open',
      'Please pay $25.11 by Mar 15, 2026, quoting invoice INV-000001. Thank you for your business.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('PAID');
    b.close();
  });

  it('shows proration dates as the invoice page does (no ISO dates) and the tax rate beside the tax', async () => {
    const b = await billingBusiness({ taxRate: '20' });
    const plan = await b.plan({ price: 3000, name: 'Gold' });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-06-05' });
    await b.run('2026-06-05');
    await b.call('subscriptions.change', { id: sub.id, quantity: 2, on: '2026-06-15', mode: 'invoice_now' });
    const invoice = (await b.invoices()).find((i) => i.lines.some((l) => l.kind === 'proration'))!;
    expect(invoice.lines.find((l) => l.kind === 'proration')!.description).toMatch(/\(2026-06-15 to 2026-07-04\)$/);
    const runs = textRuns(await pdfBytes(b, invoice.id));
    const text = runs.join('\n');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(runs).toEqual(expect.arrayContaining(['Unused time on Gold', 'Remaining time on Gold x 2', 'Jun 15 – Jul 4, 2026', 'Tax (20%)']));
    // In another locale the period and the rate follow it.
    await b.call('business.update', { locale: 'de-DE' });
    const german = textRuns(await pdfBytes(b, invoice.id));
    expect(german).toEqual(expect.arrayContaining(['Tax (20%)', '15.06. – 04.07.2026']));
    expect(german.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    b.close();
  });

  it('stamps a paid invoice PAID and lists its payments and refunds', async () => {
    const { b, invoice } = await billedInvoice();
    const { payment } = await b.call('invoices.pay', { id: invoice.id, amount: 2320, method: 'bank_transfer', on: '2026-03-05', reference: 'TX-1' });
    await b.call('payments.refund', { id: payment.id, amount: 500, on: '2026-03-20' });
    const text = textRuns(await pdfBytes(b, invoice.id));
    expect(text).toEqual(expect.arrayContaining(['PAID', 'Paid', 'Bank transfer (TX-1)', '$23.20', '-$23.20', 'Refund', '-$5.00']));
    expect(text.join('\n')).toContain('Paid in full on Mar 5, 2026.');
    b.close();
  });

  it('stamps a voided invoice VOID and says nothing is due', async () => {
    const { b, invoice } = await billedInvoice();
    await b.call('invoices.void', { id: invoice.id, on: '2026-03-02' });
    const text = textRuns(await pdfBytes(b, invoice.id));
    expect(text).toEqual(expect.arrayContaining(['VOID', 'Void', '$0.00']));
    expect(text.join('\n')).toContain('This invoice was voided: nothing is due.');
    b.close();
  });

  it('uses Letter paper for US businesses and A4 elsewhere, with money and dates in the business locale', async () => {
    const { b, invoice } = await billedInvoice();
    expect((await pdfBytes(b, invoice.id)).toString('latin1')).toContain('/MediaBox [0 0 612 792]');
    await b.call('business.update', { locale: 'de-DE' });
    const pdf = await pdfBytes(b, invoice.id);
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
    // The invoice keeps its own currency (USD); the locale formats it.
    expect(textRuns(pdf)).toEqual(expect.arrayContaining(['01.03.2026', '23,20\u00a0$']));
    b.close();
  });

  it('is the same file for the same invoice (no clock in it)', async () => {
    const { b, invoice } = await billedInvoice();
    expect((await pdfBytes(b, invoice.id)).equals(await pdfBytes(b, invoice.id))).toBe(true);
    b.close();
  });

  it('adds pages for a very long invoice, numbering them', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    await b.run('2026-03-01');
    for (let quantity = 2; quantity <= 30; quantity++) await b.call('subscriptions.change', { id: sub.id, quantity, on: '2026-03-02' });
    await b.run('2026-04-01');
    const april = (await b.invoices()).find((i) => i.issueDate === '2026-04-01')!;
    expect(april.lines.length).toBe(59);
    const text = textRuns(await pdfBytes(b, april.id));
    const pages = text.filter((run) => /^Page \d+ of \d+$/.test(run));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages).toEqual(pages.map((_, i) => `Page ${i + 1} of ${pages.length}`));
    // The table goes on where it stopped, under its header again, and the totals follow.
    expect(text.filter((run) => run === 'DESCRIPTION').length).toBeGreaterThan(1);
    expect(text.some((run) => /^Remaining time on Plan \d+ x 30$/.test(run))).toBe(true);
    expect(text).toContain('Amount due');
    b.close();
  });

  it('is a PDF poppler reads, when pdftotext is installed', async (ctx) => {
    if (spawnSync('pdftotext', ['-v']).error) ctx.skip();
    const { b, invoice } = await billedInvoice({ taxRate: '8.25' });
    const file = path.join(tempDir('recurra-pdf-'), 'invoice.pdf');
    fs.writeFileSync(file, await pdfBytes(b, invoice.id));
    const result = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Total\s+\$25\.11/);
    expect(result.stdout).toMatch(/Amount due\s+\$25\.11/);
    b.close();
  });
});

describe('pdfText (the standard fonts only draw WinAnsi)', () => {
  it('keeps Latin-1 and the WinAnsi signs, drops accents WinAnsi lacks, and marks the rest', () => {
    expect(pdfText('Zoë Ångström – “€5” · ß')).toBe('Zoë Ångström – “€5” · ß');
    expect(pdfText('Paweł Żółć, Łódź, Kč')).toBe('Pawel Zólc, Lódz, Kc');
    expect(pdfText('1\u202f234,56\u00a0€')).toBe('1\u00a0234,56\u00a0€');
    expect(pdfText('王小明')).toBe('???');
  });
});
