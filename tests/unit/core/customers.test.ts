import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core/core';
import type { Connection } from '../../../src-main/core/rpc';
import { call, callError, connect, makeCore, signUp } from '../../support/core';
import { fingerprint } from '../../support/fingerprint';

async function seed(core: Core, conn: Connection) {
  const people = [
    { name: 'John Smith', email: 'john@smith.example', company: 'Smith Plumbing', phone: '(555) 123-4567', segment: 'Retail', tags: ['vip'] },
    { name: 'Jane Doe', email: 'jane@doe.example', company: 'Acme Corp', segment: 'Wholesale', tags: ['newsletter', 'vip'] },
    { name: 'Zoë Martin', email: 'zoe@martin.example', company: 'Café Crème', notes: 'Prefers calls in the morning' },
    { name: 'Bob Stone', email: 'bob@stone.example', status: 'inactive' as const, paymentMethod: 'manual' as const },
  ];
  const out = [];
  for (const p of people) out.push(await call(core, conn, 'customers.create', p));
  return out;
}

describe('customers', () => {
  it('creates, validates and refuses a duplicate email (any case) naming the field', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    const created = await call(core, conn, 'customers.create', { name: 'Ann', email: 'Ann@Example.com', tags: ['a', 'a', ' b '] });
    expect(created).toMatchObject({ name: 'Ann', email: 'Ann@Example.com', status: 'active', paymentMethod: 'card', creditBalance: 0, currency: 'USD', tags: ['a', 'b'] });
    expect(await callError(core, conn, 'customers.create', { name: 'Ann 2', email: 'ann@example.COM' })).toMatchObject({ code: 'conflict', field: 'email' });
    expect(await callError(core, conn, 'customers.create', { name: 'Bad', email: 'not-an-email' })).toMatchObject({ code: 'validation', field: 'email' });
    expect(await callError(core, conn, 'customers.create', { name: '', email: 'x@example.com' })).toMatchObject({ code: 'validation', field: 'name' });
    expect(await callError(core, conn, 'customers.create', { name: 'P', email: 'p@example.com', phone: 'call me' })).toMatchObject({ field: 'phone' });
    expect(await callError(core, conn, 'customers.create', { name: 'P', email: 'p@example.com', paymentMethod: 'bitcoin' as never })).toMatchObject({ field: 'paymentMethod' });
    core.close();
  });

  it('finds people by partial name, company, email, phone digits, accents and typos', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    await seed(core, conn);
    const names = async (search: string) => (await call(core, conn, 'customers.list', { search })).rows.map((r) => r.name);
    expect(await names('smi')).toEqual(['John Smith']);
    expect(await names('acme')).toEqual(['Jane Doe']);
    expect(await names('doe.example')).toEqual(['Jane Doe']);
    expect(await names('555 1234')).toEqual(['John Smith']);
    expect(await names('5551234567')).toEqual(['John Smith']);
    expect(await names('zoe')).toEqual(['Zoë Martin']);
    expect(await names('cafe creme')).toEqual(['Zoë Martin']);
    expect(await names('morning')).toEqual(['Zoë Martin']);
    expect(await names('jo')).toEqual(['John Smith']);
    const typo = await call(core, conn, 'customers.list', { search: 'Jhon Smtih' });
    expect(typo.fuzzy).toBe(true);
    expect(typo.rows.map((r) => r.name)).toContain('John Smith');
    expect(await names('zzzzqqq')).toEqual([]);
    core.close();
  });

  it('an exact search with an empty page (past its end, or filtered away) stays exact: no close matches', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    await seed(core, conn);
    const list = (input: object) => call(core, conn, 'customers.list', input);
    expect(await list({ search: 'smith', offset: 5 })).toEqual({ rows: [], total: 1, fuzzy: false });
    expect(await list({ search: 'smith', status: 'inactive' })).toEqual({ rows: [], total: 0, fuzzy: false });
    // A typo with the same filters reads the close matches, past the end or not.
    expect(await list({ search: 'Smtih', offset: 5 })).toMatchObject({ rows: [], total: 1, fuzzy: true });
    expect((await list({ search: 'Smtih', status: 'active' })).rows.map((r) => r.name)).toEqual(['John Smith']);
    core.close();
  });

  it('filters, sorts by any column and pages', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    await seed(core, conn);
    const list = (input: object) => call(core, conn, 'customers.list', input);
    expect((await list({ status: 'inactive' })).rows.map((r) => r.name)).toEqual(['Bob Stone']);
    expect((await list({ segment: 'retail' })).rows.map((r) => r.name)).toEqual(['John Smith']);
    expect((await list({ tag: 'VIP' })).rows.map((r) => r.name)).toEqual(['Jane Doe', 'John Smith']);
    expect((await list({ hasActiveSubscription: false })).total).toBe(4);
    expect((await list({ hasUnpaidInvoices: true })).total).toBe(0);
    expect((await list({ sort: 'email', direction: 'desc' })).rows.map((r) => r.email)).toEqual([
      'zoe@martin.example', 'john@smith.example', 'jane@doe.example', 'bob@stone.example',
    ]);
    expect((await list({ sort: 'paymentMethod' })).rows[3]!.name).toBe('Bob Stone');
    const page = await list({ sort: 'name', offset: 1, limit: 2 });
    expect(page).toMatchObject({ total: 4 });
    expect(page.rows.map((r) => r.name)).toEqual(['Jane Doe', 'John Smith']);
    expect(await callError(core, conn, 'customers.list', { sort: 'password' })).toMatchObject({ code: 'validation', field: 'sort' });
    core.close();
  });

  it('edits, logs activity, and keeps a newest-first timeline', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    const [john] = await seed(core, conn);
    await call(core, conn, 'customers.update', { id: john!.id, phone: '555-000-1111', company: 'Smith & Sons' });
    await call(core, conn, 'customers.logActivity', { customerId: john!.id, kind: 'call', title: 'Renewal', body: 'Called about the renewal' });
    await call(core, conn, 'customers.update', { id: john!.id, status: 'inactive' });
    const { entries } = await call(core, conn, 'customers.timeline', { id: john!.id });
    expect(entries.map((e) => e.title)).toEqual(['Customer deactivated', 'Renewal', 'Edited phone, company', 'Customer created']);
    expect(entries[1]).toMatchObject({ kind: 'call', body: 'Called about the renewal', userName: 'Olivia Owner' });
    expect((await call(core, conn, 'customers.list', { search: '5550001111' })).rows.map((r) => r.name)).toEqual(['John Smith']);
    expect(await callError(core, conn, 'customers.logActivity', { customerId: john!.id, kind: 'fax', body: 'x' })).toMatchObject({ field: 'kind' });
    expect(await callError(core, conn, 'customers.logActivity', { customerId: 'nope', kind: 'note', body: 'x' })).toMatchObject({ code: 'not_found' });
    core.close();
  });

  it('deletes only what billing does not need, and says why not', async () => {
    const { core, } = makeCore();
    const { conn, businessId } = await signUp(core);
    const [john, jane] = await seed(core, conn);
    const db = core.businesses.get(businessId).sqlite;
    // A plan and a live subscription for Jane, an unpaid invoice for John (the billing issue fills these).
    db.prepare(`INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES ('p1','basic','Basic','USD',1000,'month','x','x')`).run();
    db.prepare(`INSERT INTO subscriptions (id, customer_id, plan_id, status, start_date, anchor_date, created_at, updated_at) VALUES ('s1', ?, 'p1', 'active', '2026-01-01', '2026-01-01', 'x', 'x')`).run(jane!.id);
    db.prepare(`INSERT INTO invoices (id, number, customer_id, kind, status, issue_date, due_date, currency, subtotal, total, amount_due, created_at, updated_at) VALUES ('i1','INV-000001', ?, 'manual', 'open', '2026-01-01', '2026-01-15', 'USD', 500, 500, 500, 'x', 'x')`).run(john!.id);
    const janeDetail = await call(core, conn, 'customers.get', { id: jane!.id });
    expect(janeDetail).toMatchObject({ canDelete: false, activeSubscriptions: 1, deleteBlockedReason: expect.stringContaining('subscription') });
    expect(await callError(core, conn, 'customers.delete', { id: jane!.id })).toMatchObject({ code: 'conflict', message: expect.stringContaining('Cancel it first') });
    expect(await callError(core, conn, 'customers.delete', { id: john!.id })).toMatchObject({ code: 'conflict', message: expect.stringContaining('unpaid invoice') });
    expect((await call(core, conn, 'customers.list', { hasActiveSubscription: true })).rows.map((r) => r.name)).toEqual(['Jane Doe']);
    expect((await call(core, conn, 'customers.list', { hasUnpaidInvoices: true })).rows.map((r) => r.name)).toEqual(['John Smith']);
    db.prepare(`UPDATE invoices SET status = 'paid', amount_due = 0, amount_paid = 500`).run();
    expect(await callError(core, conn, 'customers.delete', { id: john!.id })).toMatchObject({ message: expect.stringContaining('Deactivate') });
    const zoe = (await call(core, conn, 'customers.list', { search: 'zoe' })).rows[0]!;
    expect(await call(core, conn, 'customers.delete', { id: zoe.id })).toEqual({ deleted: zoe.id });
    expect((await call(core, conn, 'customers.list', { search: 'zoe' })).total).toBe(0);
    core.close();
  });

  it('staff cannot delete and viewers cannot edit, in the handlers', async () => {
    const { core } = makeCore();
    const { conn, businessId } = await signUp(core);
    const [john] = await seed(core, conn);
    for (const role of ['staff', 'viewer'] as const) {
      await call(core, conn, 'users.create', { name: role, email: `${role}@example.com`, role, password: 'password one' });
    }
    const as = async (role: string) => {
      const c = connect();
      await call(core, c, 'auth.login', { businessId, email: `${role}@example.com`, password: 'password one' });
      return c;
    };
    const staff = await as('staff');
    const viewer = await as('viewer');
    await call(core, staff, 'customers.update', { id: john!.id, segment: 'Gold' });
    expect(await callError(core, staff, 'customers.delete', { id: john!.id })).toMatchObject({ code: 'forbidden' });
    expect((await call(core, viewer, 'customers.list', {})).total).toBe(4);
    expect(await callError(core, viewer, 'customers.update', { id: john!.id, segment: 'X' })).toMatchObject({ code: 'forbidden' });
    expect(await callError(core, viewer, 'customers.create', { name: 'V', email: 'v@example.com' })).toMatchObject({ code: 'forbidden' });
    expect(await callError(core, viewer, 'customers.import', { csv: 'name,email\nA,a@example.com' })).toMatchObject({ code: 'forbidden' });
    core.close();
  });

  it('bulk-tags, re-segments and deactivates a selection or a filter', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    const [john, jane] = await seed(core, conn);
    expect(await call(core, conn, 'customers.bulk', { ids: [john!.id, jane!.id], change: { action: 'addTag', tag: 'spring' } })).toEqual({ updated: 2 });
    expect(await call(core, conn, 'customers.bulk', { filter: { tag: 'spring' }, change: { action: 'setSegment', segment: 'Promo' } })).toEqual({ updated: 2 });
    expect(await call(core, conn, 'customers.bulk', { filter: { segment: 'Promo' }, change: { action: 'setStatus', status: 'inactive' } })).toEqual({ updated: 2 });
    expect((await call(core, conn, 'customers.list', { status: 'inactive' })).total).toBe(3);
    expect((await call(core, conn, 'customers.facets', {})).segments).toEqual(['Promo']);

    // Everyone matching but the rows unticked: the change and the export leave those out.
    const everyone = { search: '' };
    expect(await call(core, conn, 'customers.bulk', { filter: everyone, except: [john!.id], change: { action: 'addTag', tag: 'all-but-john' } })).toEqual({ updated: 3 });
    expect((await call(core, conn, 'customers.list', { tag: 'all-but-john' })).rows.map((r) => r.name)).not.toContain('John Smith');
    const exported = await call(core, conn, 'customers.export', { ...everyone, except: [john!.id, jane!.id] });
    expect(exported.rows).toBe(2);
    const names = (parse(fs.readFileSync(exported.path!, 'utf8'), { columns: true }) as Record<string, string>[]).map((r) => r.Name);
    expect(names).toEqual(['Bob Stone', 'Zoë Martin']);
    core.close();
  });
});

describe('customer CSV', () => {
  const csv = [
    'Full Name,E-mail,Phone,Company,Tags,Status,Payment method',
    'Ann Lee,ann@example.com,555 0101,Lee Co,"vip, local",active,card',
    'No Email,,555 0102,,,,',
    'Bad Email,bad-email,,,,,',
    'Ann Again,ANN@example.com,,,,,',
    '"Quoted, Name",quoted@example.com,,"=HYPERLINK(""x"")",,inactive,Card Declining',
    'Cara Diaz,cara@example.com,,,,,',
  ].join('\r\n');

  it('dry-runs: reports each bad row by line, field and reason, and writes nothing', async () => {
    const { core, } = makeCore();
    const { conn, businessId } = await signUp(core);
    const before = fingerprint(core.businesses.get(businessId).sqlite);
    const result = await call(core, conn, 'customers.import', { csv, dryRun: true });
    expect(result).toMatchObject({ rows: 6, created: 3, skipped: 3, dryRun: true });
    expect(result.mapping).toMatchObject({ 'Full Name': 'name', 'E-mail': 'email', Tags: 'tags', 'Payment method': 'paymentMethod' });
    expect(result.errors).toEqual([
      { line: 3, field: 'email', message: 'Enter an email address' },
      { line: 4, field: 'email', message: expect.stringContaining('valid email') },
      { line: 5, field: 'email', message: 'This email appears earlier in the file' },
    ]);
    expect(fingerprint(core.businesses.get(businessId).sqlite)).toBe(before);
    core.close();
  });

  it('imports the good rows in one go, skipping the bad, and exports the filtered list back', async () => {
    const { core, dataDir } = makeCore();
    const { conn } = await signUp(core);
    await call(core, conn, 'customers.create', { name: 'Existing', email: 'cara@example.com' });
    const result = await call(core, conn, 'customers.import', { csv });
    expect(result).toMatchObject({ created: 2, skipped: 4 });
    expect(result.errors.at(-1)).toEqual({ line: 7, field: 'email', message: 'A customer with this email already exists' });
    const quoted = (await call(core, conn, 'customers.list', { search: 'quoted' })).rows[0]!;
    expect(quoted).toMatchObject({ name: 'Quoted, Name', company: '=HYPERLINK("x")', status: 'inactive', paymentMethod: 'card_declining' });
    expect((await call(core, conn, 'customers.list', { tag: 'local' })).rows.map((r) => r.name)).toEqual(['Ann Lee']);

    const exported = await call(core, conn, 'customers.export', { search: 'example.com', bom: true });
    expect(exported.rows).toBe(3);
    const text = fs.readFileSync(exported.path!, 'utf8');
    expect(exported.path!.startsWith(`${dataDir}/exports/sunrise-yoga-customers-`)).toBe(true);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.Name)).toEqual(['Ann Lee', 'Existing', 'Quoted, Name']);
    expect(records[2]!.Company).toBe(`'=HYPERLINK("x")`); // a spreadsheet will not run it
    expect(records[0]).toMatchObject({ Email: 'ann@example.com', Tags: 'local, vip', 'Payment method': 'card', 'Credit balance (USD)': '0.00' });

    // In the list's order when it is sorted otherwise.
    const descending = await call(core, conn, 'customers.export', { search: 'example.com', sort: 'name', direction: 'desc' });
    const reversed = parse(fs.readFileSync(descending.path!, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(reversed.map((r) => r.Name)).toEqual(['Quoted, Name', 'Existing', 'Ann Lee']);

    // The exported file imports back into another business as the same people.
    const other = await signUp(core, { businessName: 'Copy', ownerEmail: 'copy@example.com' });
    const back = await call(core, other.conn, 'customers.import', { csv: text });
    expect(back).toMatchObject({ created: 3, skipped: 0 });
    expect((await call(core, other.conn, 'customers.list', { search: 'quoted' })).rows[0]!.company).toBe('=HYPERLINK("x")');
    core.close();
  });

  it('imports when people became customers (year-first dates only, never in the future) and exports it back in the business time zone', async () => {
    const { core } = makeCore(); // today is 2026-03-01 (12:00 UTC)
    const { conn } = await signUp(core, { timezone: 'Asia/Tokyo' });
    const csv = [
      'Name,Email,Member since',
      'Old Timer,old@example.com,2019-06-15',
      'Stamped,stamp@example.com,2024-02-29T10:30:00Z',
      'Ambiguous,amb@example.com,03/04/2024',
      'Future,future@example.com,2026-03-02',
      'No Date,nodate@example.com,',
      'Not Leap,leap@example.com,2023-02-29',
    ].join('\n');
    const dry = await call(core, conn, 'customers.import', { csv, dryRun: true });
    expect(dry.mapping['Member since']).toBe('customerSince');
    expect(dry.errors).toEqual([
      { line: 4, field: 'customerSince', message: 'Use a date written year first, like 2024-03-15' },
      { line: 5, field: 'customerSince', message: 'Customer since cannot be in the future' },
      { line: 7, field: 'customerSince', message: 'Use a date written year first, like 2024-03-15' },
    ]);
    expect(await call(core, conn, 'customers.import', { csv })).toMatchObject({ created: 3, skipped: 3 });
    const created = async (search: string) => (await call(core, conn, 'customers.list', { search })).rows[0]!.createdAt;
    expect(await created('old')).toBe('2019-06-14T15:00:00.000Z'); // midnight in Tokyo
    expect(await created('stamp')).toBe('2024-02-28T15:00:00.000Z');
    expect(await created('nodate')).toBe('2026-03-01T12:00:00.000Z'); // now
    // Only the one without a date is new this month.
    expect((await call(core, conn, 'customers.stats', {})).newThisMonth).toBe(1);

    // The export's Created column is the Tokyo date, and imports back as the same day.
    const exported = await call(core, conn, 'customers.export', { sort: 'createdAt', direction: 'asc' });
    const records = parse(fs.readFileSync(exported.path!, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.Name, r.Created])).toEqual([
      ['Old Timer', '2019-06-15'],
      ['Stamped', '2024-02-29'],
      ['No Date', '2026-03-01'],
    ]);
    const other = await signUp(core, { businessName: 'Copy', ownerEmail: 'copy@example.com', timezone: 'Asia/Tokyo' });
    await call(core, other.conn, 'customers.import', { csv: fs.readFileSync(exported.path!, 'utf8') });
    expect((await call(core, other.conn, 'customers.list', { search: 'old' })).rows[0]!.createdAt).toBe('2019-06-14T15:00:00.000Z');
    core.close();
  });

  it('refuses a malformed file with the line, as a validation error', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    const error = await callError(core, conn, 'customers.import', { csv: 'Name,Email\nA,a@example.com\n"B,b@example.com\n' });
    expect(error).toMatchObject({ code: 'validation', field: 'csv', message: expect.stringMatching(/not valid CSV at line \d/) });
    core.close();
  });

  it('says plainly when no column holds the email', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    const result = await call(core, conn, 'customers.import', { csv: 'Name,Phone\nA,1\n', dryRun: true });
    expect(result.errors).toEqual([{ line: 1, field: 'email', message: 'No column is mapped to email' }]);
    const mapped = await call(core, conn, 'customers.import', { csv: 'Who,Contact\nA,a@example.com\n', mapping: { Who: 'name', Contact: 'email' } });
    expect(mapped.created).toBe(1);
    core.close();
  });
});
