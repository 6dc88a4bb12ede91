import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeInvoicePdf } from '../../../src-main/core/billing/invoice-pdf';
import { writeCreditNotePdf } from '../../../src-main/core/invoicing/credit-note-pdf';
import { billingBusiness, type BillingFixture } from '../../support/billing';
import { tempDir } from '../../support/core';
import { solidPng } from '../../support/png';

// The credit note's PDF has the invoices' header (logo, the business's details),
// the tax rate on its tax line and the footer. Read back with poppler's
// pdftotext when installed (apt poppler-utils). RECURRA_PDF_SAMPLES=dir keeps
// the files there (and PNGs of their first pages when pdftoppm is there) to look at.

async function bytes(write: (sink: PassThrough) => Promise<void>): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await write(sink);
  return Buffer.concat(chunks);
}

async function documents(b: BillingFixture) {
  await b.call('business.update', {
    addressLine1: '400 Lakeview Avenue',
    city: 'Chicago',
    region: 'IL',
    postalCode: '60601',
    country: 'United States',
    email: 'billing@sunrise.example',
    phone: '+1 312 555 0100',
    taxId: 'EIN 12-3456789',
    invoiceFooter: 'Bank transfer: First Lakeview Bank, account 000123456, routing 071000013.\nQuestions? billing@sunrise.example',
    logo: `data:image/png;base64,${solidPng(180, 60, [79, 70, 229]).toString('base64')}`,
  });
  const customer = await b.call('customers.create', { name: 'Jane Doe', email: 'jane@example.com', company: 'Acme Pilates', addressLine1: '12 Harbour Street', city: 'Boston', region: 'MA', postalCode: '02110', paymentMethod: 'manual' });
  const inv = await b.call('invoices.create', {
    customerId: customer.id,
    issueDate: '2026-03-01',
    lines: [{ description: 'Private class', quantity: 4, unitAmount: 4000 }, { description: 'Workshop: breathing', unitAmount: 2500 }],
    discount: 1000,
  });
  const note = await b.call('creditNotes.create', { invoiceId: inv.id, settlement: 'invoice', lines: [{ position: 0, quantity: 1 }], reason: 'Class on Mar 8 cancelled by the studio', issueDate: '2026-03-09' });
  const business = await b.call('business.get', {});
  const { customer: c } = await b.call('customers.get', { id: customer.id });
  const detail = await b.call('invoices.get', { id: inv.id });
  return {
    invoicePdf: await bytes((s) => writeInvoicePdf(s, { invoice: detail, business, customer: c })),
    notePdf: await bytes((s) => writeCreditNotePdf(s, { note, business, customer: c, taxRatePpm: detail.taxRatePpm })),
    inv: detail,
    note,
  };
}

describe('the credit note PDF', () => {
  it('carries the business header, the invoice it credits, the tax rate and the footer (pdftotext)', async (ctx) => {
    if (spawnSync('pdftotext', ['-v']).error) ctx.skip();
    const b = await billingBusiness({ taxRate: '8.25' });
    const { invoicePdf, notePdf, inv, note } = await documents(b);
    // 16000 + 2500 = 18500 - 1000 = 17500, tax 1444, total 18944; one class: 4000 less its share of the discount (216) = 3784, tax 312.
    expect(inv).toMatchObject({ subtotal: 18500, discount: 1000, tax: 1444, total: 18944, creditApplied: 4096, amountDue: 14848 });
    expect(note).toMatchObject({ number: 'CN-000001', subtotal: 3784, tax: 312, total: 4096 });
    const dir = process.env.RECURRA_PDF_SAMPLES ?? tempDir('recurra-pdf-');
    fs.mkdirSync(dir, { recursive: true });
    const text: Record<string, string> = {};
    for (const [name, pdf] of [['invoice', invoicePdf], ['credit-note', notePdf]] as const) {
      const file = path.join(dir, `${name}.pdf`);
      fs.writeFileSync(file, pdf);
      const result = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      text[name] = result.stdout;
      if (process.env.RECURRA_PDF_SAMPLES) spawnSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file, path.join(dir, name)]);
    }
    for (const t of [text.invoice!, text['credit-note']!]) {
      for (const expected of ['Sunrise Yoga', '400 Lakeview Avenue', 'Chicago, IL 60601', 'billing@sunrise.example', 'Tax ID: EIN 12-3456789', 'Tax (8.25%)', 'Bank transfer: First Lakeview Bank']) {
        expect(t).toContain(expected);
      }
    }
    expect(text['credit-note']).toMatch(/CREDIT NOTE/);
    expect(text['credit-note']).toMatch(/Invoice credited\s+INV-000001/);
    expect(text['credit-note']).toMatch(/Total credited\s+-\$40\.96/);
    expect(text['credit-note']).toContain('Deducted from the amount due on invoice INV-000001.');
    expect(text.invoice).toMatch(/Amount due\s+\$148\.48/);
    expect(text.invoice).toMatch(/Credit notes\s+-\$40\.96/);
    expect(text.invoice).not.toContain('Credit applied');
    b.close();
  });
});
