import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callError } from '../../support/core';
import { saleBusiness, type SaleFixture } from '../../support/sales';
import { TestSmtp } from '../../support/smtp';

/** The text drawn in a pdfkit PDF (its content streams inflated, the TJ hex strings read as Latin-1), joined. */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const runs: string[] = [];
  for (const match of source.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const body = pdf.subarray(start, source.indexOf('endstream', start));
    const content = (match[1] ?? '').includes('/FlateDecode') ? zlib.inflateSync(body).toString('latin1') : body.toString('latin1');
    for (const tj of content.matchAll(/\[((?:<[0-9a-f]*>|[-\d.\s])*)\]\s*TJ/g)) {
      runs.push(Buffer.from([...(tj[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => h[1]).join(''), 'hex').toString('latin1'));
    }
  }
  return runs.join(' ');
}

let smtp: TestSmtp;
let f: SaleFixture;

beforeEach(async () => {
  smtp = await new TestSmtp().start();
  f = await saleBusiness({ taxRate: '10' });
});
afterEach(async () => {
  f.b.core.close();
  await smtp.stop();
});

const setUpSmtp = () => f.call('email.settings.set', { host: '127.0.0.1', port: smtp.port, user: 'shop', from: 'billing@sunrise.example', secure: false, password: 's3cret smtp' });

describe('a receipt by email', () => {
  it('queues the receipt with its PDF, delivers it with the right amounts in the business currency, audited and on the timeline', async () => {
    await setUpSmtp();
    const customer = await f.b.customer('manual', 'Jane Doe');
    f.product({ sku: 'MAT-1', name: 'Yoga mat', price: 2500, stock: 5 });
    f.product({ sku: 'TEA', name: 'Tea', price: 350 });
    const sale = await f.sell({ items: [{ sku: 'MAT-1', quantity: 2 }, { sku: 'TEA', quantity: 1 }], discount: { amount: 500 }, customerId: customer.id, payments: [{ method: 'card', amount: 3000 }, { method: 'cash', tendered: 5000 }] });
    expect(sale.total).toBe(5335); // (5000 + 350 - 500) x 1.10

    const result = await f.call('sales.emailReceipt', { id: sale.number });
    expect(result).toMatchObject({ queued: true, to: customer.email, sent: true, error: null });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe(`Your receipt ${sale.number} from Sunrise Yoga`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toContain(customer.email);
    for (const part of [mail.html as string, mail.text ?? '']) {
      expect(part).toContain('$53.35'); // total
      expect(part).toContain('$53.50'); // subtotal before discount
      expect(part).toContain('-$5.00'); // discount
      expect(part).toContain('$4.85'); // tax
      expect(part).toContain('card $30.00 + cash');
      expect(part).toContain('not a bill');
      expect(part).not.toContain('unsubscribe');
    }
    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0]!;
    expect(pdf.filename).toBe(`${sale.number}.pdf`);
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const drawn = pdfText(pdf.content);
    expect(drawn).toContain(sale.number);
    expect(drawn).toContain('$53.35');
    expect(drawn).toContain('Yoga mat (MAT-1)');

    const row = f.db.sqlite.prepare('SELECT kind, status, ref_type, ref_id, customer_id, message_id FROM email_outbox').get();
    expect(row).toEqual({ kind: 'receipt', status: 'sent', ref_type: 'sale', ref_id: sale.id, customer_id: customer.id, message_id: mail.messageId });
    const audit = f.db.sqlite.prepare("SELECT entity, entity_id, after FROM audit_log WHERE action = 'sales.emailReceipt'").all() as { entity: string; entity_id: string; after: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'sale', entity_id: sale.id });
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ to: customer.email, number: sale.number, outboxId: result.outboxId });
    const events = f.db.sqlite.prepare("SELECT subtype, title FROM customer_events WHERE customer_id = ? AND kind = 'email'").all(customer.id);
    expect(events).toEqual([{ subtype: 'receipt', title: `Your receipt ${sale.number} from Sunrise Yoga` }]);
  });

  it('goes to --to, even to a customer who unsubscribed from campaigns (a receipt is transactional)', async () => {
    await setUpSmtp();
    const customer = await f.b.customer('manual', 'Jane Doe');
    await f.call('customers.setEmailOptOut', { id: customer.id, optOut: true });
    f.product({ sku: 'TEA', name: 'Tea', price: 350 });
    const sale = await f.sell({ items: [{ sku: 'TEA', quantity: 2 }], customerId: customer.id });
    expect(await f.call('sales.emailReceipt', { id: sale.id })).toMatchObject({ to: customer.email, sent: true });
    expect(await f.call('sales.emailReceipt', { id: sale.id, to: 'accounts@acme.example' })).toMatchObject({ to: 'accounts@acme.example', sent: true });
    expect(smtp.received.map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : ''))).toEqual([`"Jane Doe" <${customer.email}>`, 'accounts@acme.example']);
  });

  it('refuses naming the field: no address, a bad address, email not set up; nothing queued', async () => {
    f.product({ sku: 'TEA', name: 'Tea', price: 350 });
    const anonymous = await f.sell({ items: [{ sku: 'TEA', quantity: 1 }] });
    expect((await callError(f.b.core, f.b.conn, 'sales.emailReceipt', { id: anonymous.id })).message).toContain('Email is not set up');
    await setUpSmtp();
    expect(await callError(f.b.core, f.b.conn, 'sales.emailReceipt', { id: anonymous.id })).toMatchObject({ code: 'validation', field: 'to' });
    expect(await callError(f.b.core, f.b.conn, 'sales.emailReceipt', { id: anonymous.id, to: 'not an address' })).toMatchObject({ code: 'validation', field: 'to' });
    expect(await callError(f.b.core, f.b.conn, 'sales.emailReceipt', { id: 'R-999999' })).toMatchObject({ code: 'not_found' });
    expect(f.count('email_outbox')).toBe(0);
  });

  it('a refusing server: queued, not sent, the reason said; the outbox keeps it', async () => {
    await setUpSmtp();
    smtp.refuse.add('nobody@example.com');
    f.product({ sku: 'TEA', name: 'Tea', price: 350 });
    const sale = await f.sell({ items: [{ sku: 'TEA', quantity: 1 }] });
    const result = await f.call('sales.emailReceipt', { id: sale.id, to: 'nobody@example.com' });
    expect(result).toMatchObject({ queued: true, sent: false });
    expect(result.error).toContain('No such user');
    expect(f.db.sqlite.prepare('SELECT status, message_id FROM email_outbox').get()).toEqual({ status: 'failed', message_id: null });
  });
});
