import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestSmtp } from '../../support/smtp';
import { withBilling } from './billing-fixtures';

let smtp: TestSmtp;
beforeEach(async () => {
  smtp = await new TestSmtp().start();
});
afterEach(async () => {
  await smtp.stop();
});

describe('recurra email, invoice send, reminder', () => {
  it('prints the spec shapes, keeps the SMTP password out of the database, and sends what is due once', async () => {
    const b = await withBilling();
    const settings = await b.json(
      ['email', 'settings', '--host', '127.0.0.1', '--port', String(smtp.port), '--user', 'shop', '--from', 'billing@sunrise.example'],
      { ...b.asOwner, RECURRA_SMTP_PASSWORD: 's3cret smtp' },
    );
    expect(settings).toEqual({ email: { host: '127.0.0.1', port: smtp.port, user: 'shop', from: 'billing@sunrise.example', secure: false } });
    expect(fs.readFileSync(path.join(b.dataDir, 'secrets.json'), 'utf8')).toContain('s3cret smtp');

    const test = await b.json<{ sent: boolean; messageId: string }>(['email', 'test', '--to', 'olivia@example.com']);
    expect(test).toEqual({ sent: true, messageId: expect.stringContaining('@') as string });

    const plan = await b.plan('--name', 'Studio', '--price', '100', '--interval', 'month');
    const customer = await b.customer('Jane Doe', 'manual');
    await b.subscribe(customer.id, plan.id, '2026-03-01');
    await b.run('2026-03-01');
    const [invoice] = await b.invoices();
    expect(await b.json(['invoice', 'send', invoice!.number])).toEqual({ sent: true, to: 'jane.doe@example.com' });
    const pdf = smtp.received.at(-1)!.attachments[0]!.content;
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');

    expect(await b.json(['reminder', 'settings', '--days', '-3,1,7,14'])).toEqual({ reminders: { days: [-3, 1, 7, 14] } });
    expect(await b.json(['reminder', 'run', '--as-of', '2026-03-16'])).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(await b.json(['reminder', 'run', '--as-of', '2026-03-16'])).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(smtp.received.map((m) => m.subject)).toEqual([
      'Test message from Sunrise Yoga',
      'Invoice INV-000001 from Sunrise Yoga',
      'Overdue: invoice INV-000001 (1 day past due)',
    ]);
  });

  it('sale email ID [--to]: {queued:true, to}, the receipt PDF attached; no address refused naming --to', async () => {
    const b = await withBilling();
    await b.json(['email', 'settings', '--host', '127.0.0.1', '--port', String(smtp.port), '--user', 'shop', '--from', 'billing@sunrise.example'], { ...b.asOwner, RECURRA_SMTP_PASSWORD: 's3cret smtp' });
    await b.json(['product', 'create', '--sku', 'MAT-1', '--name', 'Yoga mat', '--price', '25.00', '--stock', '5']);
    const customer = await b.customer('Jane Doe', 'manual');
    await b.json(['sale', 'create', '--item', 'MAT-1:2', '--discount', '10%', '--method', 'card', '--customer', customer.id, '--on', '2026-03-01']);
    expect(await b.json(['sale', 'email', 'R-000001'])).toEqual({ queued: true, to: 'jane.doe@example.com' });
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe('Your receipt R-000001 from Sunrise Yoga');
    expect(mail.text).toContain('Total paid: $45.00');
    expect(mail.attachments.map((a) => [a.filename, a.content.subarray(0, 5).toString('latin1')])).toEqual([['R-000001.pdf', '%PDF-']]);
    expect(await b.json(['sale', 'email', 'R-000001', '--to', 'accounts@acme.example'])).toEqual({ queued: true, to: 'accounts@acme.example' });
    await b.json(['sale', 'create', '--item', 'MAT-1:1', '--method', 'cash', '--on', '2026-03-01']);
    expect(await b.refused(['sale', 'email', 'R-000002'])).toMatchObject({ code: 1, error: { field: 'to' } });
    expect(await b.refused(['sale', 'email', 'R-000002', '--to', 'nope'])).toMatchObject({ code: 1, error: { field: 'to' } });
    expect(smtp.received).toHaveLength(2);
  });

  it('refuses bad flags naming them, and staff may not change the settings', async () => {
    const b = await withBilling();
    expect(await b.refused(['email', 'settings', '--host', 'smtp.example.com', '--port', 'x', '--user', 'u', '--from', 'a@b.co'])).toMatchObject({
      code: 1,
      error: { field: 'port' },
    });
    expect(await b.refused(['email', 'settings', '--host', 'smtp.example.com', '--port', '587', '--user', 'u', '--from', 'nope'])).toMatchObject({
      code: 1,
      error: { field: 'from' },
    });
    expect(await b.refused(['reminder', 'settings', '--days', '1,x'])).toMatchObject({ code: 1, error: { field: 'days' } });
    expect(await b.refused(['invoice', 'send', 'INV-000009'])).toMatchObject({ code: 1 });
    const staff = await b.as('staff');
    expect((await b.refused(['email', 'settings', '--host', 'smtp.example.com', '--port', '587', '--user', 'u', '--from', 'a@b.co'], staff)).code).toBe(3);
  });
});
