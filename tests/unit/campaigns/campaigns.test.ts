import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core/core';
import { newId } from '../../../src-main/core/ids';
import { call, callError, connect, OWNER_PASSWORD, type FakeClock, type TestConnection } from '../../support/core';
import { mailCore, startMailBed, type TestSmtp } from '../../support/smtp';

// Campaigns against a real SMTP server (smtp-server on 127.0.0.1, mailparser reads what arrived).

const FROM = 'hello@sunrise.example';

let smtp: TestSmtp;
let dataDir: string;
let clock: FakeClock;
let core: Core;
let conn: TestConnection;
let businessId: string;

beforeEach(async () => {
  ({ smtp, dataDir, clock, core, conn, businessId } = await startMailBed({ dataDirPrefix: 'recurra-campaigns-', at: '2026-03-10T12:00:00Z', smtpFrom: FROM }));
});

afterEach(async () => {
  core.close();
  await smtp.stop();
});

const db = () => core.businesses.get(businessId);

async function customer(name: string, email: string, extra: { segment?: string; tags?: string[]; status?: 'active' | 'inactive' } = {}) {
  return call(core, conn, 'customers.create', { name, email, ...extra });
}

/** Who received what: address -> count. */
function receivedBy(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const mail of smtp.received) {
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address! : '';
    out[to] = (out[to] ?? 0) + 1;
  }
  return out;
}

async function restart() {
  core.close();
  core = mailCore(dataDir, clock);
  conn = connect();
  await call(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
}

describe('audience', () => {
  it('reaches exactly the segment, tag, status or saved view, each once, unsubscribed never; the email carries the unsubscribe line and header', async () => {
    const ada = await customer('Ada', 'ada@example.com', { segment: 'Retail', tags: ['yoga'] });
    await customer('Ben', 'ben@example.com', { segment: 'Retail', tags: ['pilates'] });
    await customer('Cy', 'cy@example.com', { segment: 'Wholesale', tags: ['yoga'] });
    await customer('Dee', 'dee@example.com', { segment: 'Retail', status: 'inactive' });
    const eve = await customer('Eve', 'eve@example.com', { segment: 'Retail', tags: ['yoga'] });
    await call(core, conn, 'customers.setEmailOptOut', { id: eve.id, optOut: true });
    await call(core, conn, 'customerViews.save', { name: 'Yoga people', filter: { tag: 'yoga' } });

    expect(await call(core, conn, 'campaigns.preview', { audience: { segment: 'retail' } })).toMatchObject({
      count: 3,
      optedOut: 1,
      noEmail: 0,
      recipients: [{ name: 'Ada' }, { name: 'Ben' }, { name: 'Dee' }],
    });
    expect((await call(core, conn, 'campaigns.preview', { audience: { segment: 'Retail', status: 'active' } })).count).toBe(2);
    expect((await call(core, conn, 'campaigns.preview', { audience: { tag: 'yoga' } })).recipients.map((r) => r.name)).toEqual(['Ada', 'Cy']);
    expect((await call(core, conn, 'campaigns.preview', { audience: { view: 'yoga people', segment: 'Retail' } })).recipients.map((r) => r.name)).toEqual(['Ada']);
    expect(await callError(core, conn, 'campaigns.preview', { audience: { view: 'Nope' } })).toMatchObject({ field: 'view' });

    const campaign = await call(core, conn, 'campaigns.create', { name: 'Spring', subject: 'Spring classes', body: 'New classes start Monday.\n\nSee you there!', audience: { view: 'Yoga people' } });
    expect(campaign).toMatchObject({ status: 'draft', audience: { view: 'Yoga people' }, recipients: 0 });
    const sent = await call(core, conn, 'campaigns.send', { id: campaign.id });
    expect(sent).toMatchObject({ status: 'sent', recipients: 2, sent: 2, failed: 0, queued: 0 });
    expect(receivedBy()).toEqual({ 'ada@example.com': 1, 'cy@example.com': 1 });
    const mail = smtp.received.find((m) => m.subject === 'Spring classes')!;
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toBe(`List-Unsubscribe: <mailto:${FROM}?subject=unsubscribe>`);
    expect(mail.text).toContain('New classes start Monday.');
    expect(mail.text).toContain('unsubscribe');
    expect(mail.html).toContain('New classes start Monday.');
    expect(mail.html).toContain(`write to ${FROM} with the subject`);

    // Sending again reaches nobody twice; only a customer who joined the audience since.
    await call(core, conn, 'campaigns.send', { id: campaign.id });
    expect(smtp.received).toHaveLength(2);
    await customer('Fay', 'fay@example.com', { tags: ['yoga'] });
    await call(core, conn, 'customers.update', { id: ada.id, segment: 'Gone' });
    const again = await call(core, conn, 'campaigns.send', { id: campaign.id });
    expect(receivedBy()).toEqual({ 'ada@example.com': 1, 'cy@example.com': 1, 'fay@example.com': 1 });
    expect(again).toMatchObject({ recipients: 3, sent: 3 });
    expect(again.recipientRows.map((r) => [r.name, r.status])).toEqual([
      ['Ada', 'sent'],
      ['Cy', 'sent'],
      ['Fay', 'sent'],
    ]);
  });

  it('an unsubscribe is audited and honoured even for an email already queued', async () => {
    const ada = await customer('Ada', 'ada@example.com');
    await customer('Ben', 'ben@example.com');
    const campaign = await call(core, conn, 'campaigns.create', { name: 'News', subject: 'News', body: 'Hello', audience: {} });
    const { queueCampaign } = await import('../../../src-main/core/campaigns/campaigns-service');
    queueCampaign(db(), { userId: null, userEmail: null }, clock.now(), campaign.id);
    expect(await call(core, conn, 'customers.setEmailOptOut', { id: ada.id, optOut: true })).toMatchObject({ customerId: ada.id, emailOptOutAt: clock.now().toISOString() });
    expect(db().sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'customers.unsubscribe' AND entity_id = ?").pluck().get(ada.id)).toBe(1);
    await core.email.deliverDue(db());
    expect(receivedBy()).toEqual({ 'ben@example.com': 1 });
    const shown = await call(core, conn, 'campaigns.get', { id: campaign.id });
    expect(shown).toMatchObject({ sent: 1, skipped: 1, failed: 0 });
    expect(shown.recipientRows.find((r) => r.name === 'Ada')).toMatchObject({ status: 'skipped', error: 'Not sent: ada@example.com unsubscribed' });
    // Subscribed again: a later campaign reaches them.
    await call(core, conn, 'customers.setEmailOptOut', { id: ada.id, optOut: false });
    expect((await call(core, conn, 'customers.emailOptOut', { id: ada.id })).emailOptOutAt).toBeNull();
  });

  it('a crash between queue and delivery: each recipient still gets it once', async () => {
    await customer('Ada', 'ada@example.com');
    await customer('Ben', 'ben@example.com');
    const campaign = await call(core, conn, 'campaigns.create', { name: 'News', subject: 'News', body: 'Hello', audience: { status: 'active' } });
    const { queueCampaign } = await import('../../../src-main/core/campaigns/campaigns-service');
    expect(queueCampaign(db(), { userId: null, userEmail: null }, clock.now(), campaign.id)).toEqual({ queued: 2 });
    // The process dies before delivering; the queued rows are in the file.
    await restart();
    expect((await call(core, conn, 'campaigns.get', { id: campaign.id })).queued).toBe(2);
    // Sending again after the restart queues nobody new and delivers what was waiting.
    const sent = await call(core, conn, 'campaigns.send', { id: campaign.id });
    expect(sent).toMatchObject({ recipients: 2, sent: 2 });
    await core.email.deliverDue(db());
    expect(receivedBy()).toEqual({ 'ada@example.com': 1, 'ben@example.com': 1 });
    expect(db().sqlite.prepare("SELECT count(*) FROM email_outbox WHERE kind = 'campaign'").pluck().get()).toBe(2);
  });

  it('a Markdown body arrives as HTML (headings, lists, links) with nothing raw let through, and as readable plain text', async () => {
    await customer('Ada', 'ada@example.com');
    const body = [
      '# Spring classes',
      '',
      'Join us for **yoga** at [our studio](https://sunrise.example/spring).',
      '',
      '- Mats free',
      '- Tea included',
      '',
      '<script>alert("x")</script>',
      '',
      '[win](javascript:alert(1)) <img src=x onerror="alert(2)">',
    ].join('\n');
    const campaign = await call(core, conn, 'campaigns.create', { name: 'Spring', subject: 'Spring classes', body, audience: {} });
    expect(await call(core, conn, 'campaigns.send', { id: campaign.id })).toMatchObject({ sent: 1 });
    const mail = smtp.received[0]!;
    const html = mail.html as string;
    expect(html).toMatch(/<h1[^>]*>Spring classes<\/h1>/);
    expect(html).toContain('<strong>yoga</strong>');
    expect(html).toMatch(/<a href="https:\/\/sunrise\.example\/spring"[^>]*>our studio<\/a>/);
    expect(html).toMatch(/<li>Mats free<\/li>\s*<li>Tea included<\/li>/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
    expect(mail.text).toContain('Join us for yoga at our studio (https://sunrise.example/spring).');
    expect(mail.text).toContain('- Mats free\n- Tea included');
    expect(mail.text).not.toContain('**');
    expect(mail.text).toContain('unsubscribe');
  });

  it('a refused recipient is failed with the server answer, the others sent', async () => {
    await customer('Ada', 'ada@example.com');
    await customer('Ben', 'ben@example.com');
    smtp.refuse.add('ben@example.com');
    const campaign = await call(core, conn, 'campaigns.create', { name: 'News', subject: 'News', body: 'Hello', audience: {} });
    const sent = await call(core, conn, 'campaigns.send', { id: campaign.id });
    expect(sent).toMatchObject({ sent: 1, failed: 1 });
    expect(sent.recipientRows.find((r) => r.name === 'Ben')!.error).toContain('550');
  });

  it('refuses bad input naming the field, and an unknown campaign', async () => {
    expect(await callError(core, conn, 'campaigns.create', { name: '', subject: 'S', body: 'B', audience: {} })).toMatchObject({ field: 'name' });
    expect(await callError(core, conn, 'campaigns.create', { name: 'N', subject: 'S', body: '  ', audience: {} })).toMatchObject({ field: 'body' });
    expect(await callError(core, conn, 'campaigns.create', { name: 'N', subject: 'S', body: 'B', audience: { status: 'gone' as 'active' } })).toMatchObject({ field: 'audience.status' });
    expect(await callError(core, conn, 'campaigns.send', { id: 'nope' })).toMatchObject({ code: 'not_found' });
  });
});

describe('performance', () => {
  it('counts the recipients’ payments less refunds and counter sales in the 14 days from the send day, against the 14 days before', async () => {
    const ada = await customer('Ada', 'ada@example.com', { tags: ['vip'] });
    const ben = await customer('Ben', 'ben@example.com', { tags: ['vip'] });
    const cy = await customer('Cy', 'cy@example.com'); // not a recipient: never counted
    const sql = db().sqlite;
    const at = '2026-01-01T00:00:00.000Z';
    const pay = (customerId: string, amount: number, on: string, status = 'succeeded') => {
      const id = newId();
      sql.prepare("INSERT INTO payments (id, invoice_id, customer_id, amount, currency, method, status, paid_on, created_at) VALUES (?, NULL, ?, ?, 'USD', 'cash', ?, ?, ?)").run(id, customerId, amount, status, on, at);
      return id;
    };
    const refund = (paymentId: string, amount: number, on: string) =>
      sql.prepare("INSERT INTO refunds (id, payment_id, amount, currency, refunded_on, created_at) VALUES (?, ?, ?, 'USD', ?, ?)").run(newId(), paymentId, amount, on, at);
    const productId = newId();
    sql.prepare("INSERT INTO products (id, sku, name, price, currency, stock, archived_at, created_at, updated_at) VALUES (?, 'BOOK', 'Book', 1500, 'USD', NULL, NULL, ?, ?)").run(productId, at, at);

    // Before (2026-02-24 .. 2026-03-09): 10.00 + 5.00 from the recipients; Cy's 99.00 never counts.
    pay(ada.id, 1000, '2026-02-24');
    pay(ben.id, 500, '2026-03-09');
    pay(ada.id, 7000, '2026-02-23'); // a day too early
    pay(cy.id, 9900, '2026-03-01');
    // After (2026-03-10 .. 2026-03-23): 40.00 - 15.00 refunded + a 15.00 book; a failed payment and day 15 do not count.
    const p = pay(ada.id, 4000, '2026-03-10');
    refund(p, 1500, '2026-03-20');
    pay(ben.id, 2500, '2026-03-12', 'failed');
    pay(ben.id, 3000, '2026-03-24');
    await call(core, conn, 'sales.create', { items: [{ sku: 'BOOK', quantity: 1 }], customerId: ben.id, payments: [{ method: 'card' }], on: '2026-03-15' });
    await call(core, conn, 'sales.create', { items: [{ sku: 'BOOK', quantity: 2 }], customerId: cy.id, payments: [{ method: 'card' }], on: '2026-03-15' });

    const campaign = await call(core, conn, 'campaigns.create', { name: 'VIP', subject: 'For you', body: 'Thanks', audience: { tag: 'vip' } });
    const sent = await call(core, conn, 'campaigns.send', { id: campaign.id });
    expect(sent).toMatchObject({
      attributedRevenue: 4000 - 1500 + 1500,
      previousRevenue: 1000 + 500,
      currency: 'USD',
      window: { before: { from: '2026-02-24', to: '2026-03-09' }, after: { from: '2026-03-10', to: '2026-03-23' } },
    });
    // A refund of part of the book sale inside the window comes off.
    const sale = (await call(core, conn, 'sales.list', { customerId: ben.id, limit: 10 })).rows[0]!;
    await call(core, conn, 'sales.refund', { id: sale.id, on: '2026-03-16' });
    expect((await call(core, conn, 'campaigns.get', { id: campaign.id })).attributedRevenue).toBe(4000 - 1500);
    const listed = (await call(core, conn, 'campaigns.list', {})).campaigns;
    expect(listed.map((c) => [c.name, c.sent, c.attributedRevenue])).toEqual([['VIP', 2, 2500]]);
  });
});
