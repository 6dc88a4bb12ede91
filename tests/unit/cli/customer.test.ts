import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actingAs, createCustomer, JANE, JOHN, ok, openBusinessFile } from './customer-fixtures';
import { errorJson, withBusiness } from './run-cli';

const CUSTOMER = {
  id: expect.any(String),
  name: 'Jane Doe',
  email: 'jane@example.com',
  phone: '',
  company: 'Acme',
  addressLine1: '',
  addressLine2: '',
  city: '',
  region: '',
  postalCode: '',
  country: '',
  segment: '',
  tags: [],
  notes: '',
  status: 'active',
  paymentMethod: 'card',
  creditBalance: 0,
  currency: 'USD',
  createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
  updatedAt: expect.any(String),
};

describe('recurra customer create', () => {
  it('prints {customer} with the spec keys and money as minor units beside its currency', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli([...JANE, '--json'], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ customer: CUSTOMER });
  });

  it('takes every field as a flag', async () => {
    const { cli, asOwner } = await withBusiness();
    const { customer } = await ok<{ customer: unknown }>(
      cli,
      ['customer', 'create', '--name', 'Zoe Park', '--email', 'zoe@example.com', '--phone', '+1 555 000 1111', '--company', 'Park & Co',
        '--address-line1', '1 Main St', '--address-line2', 'Suite 2', '--city', 'Boston', '--region', 'MA', '--postal-code', '02110',
        '--country', 'US', '--segment', 'Enterprise', '--tags', 'vip, yoga,vip', '--notes', 'Prefers email', '--status', 'inactive',
        '--payment-method', 'card_declining'],
      asOwner,
    );
    expect(customer).toMatchObject({
      phone: '+1 555 000 1111', company: 'Park & Co', addressLine1: '1 Main St', addressLine2: 'Suite 2', city: 'Boston',
      region: 'MA', postalCode: '02110', country: 'US', segment: 'Enterprise', tags: ['vip', 'yoga'], notes: 'Prefers email',
      status: 'inactive', paymentMethod: 'card_declining',
    });
  });

  it('tells a person what was created, money formatted', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli([...JANE, '--tags', 'vip,yoga', '--city', 'Boston', '--region', 'MA'], asOwner);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created customer Jane Doe\.\n/);
    expect(run.stdout).toMatch(/Customer id: +\S+\n/);
    expect(run.stdout).toMatch(/Address: +Boston, MA\n/);
    expect(run.stdout).toMatch(/Tags: +vip, yoga\n/);
    expect(run.stdout).toMatch(/Payment method: +card\n/);
    expect(run.stdout).toMatch(/Credit balance: +\$0\.00\n/);
    expect(run.stdout).not.toMatch(/Phone:/);
  });

  it.each([
    [['--email', 'not-an-email'], 'email', '--email', 'Enter a valid email address, like name@example.com'],
    [['--name', ' '], 'name', '--name', 'Enter a name'],
    [['--payment-method', 'cash'], 'paymentMethod', '--payment-method', 'Payment method must be card, card_declining or manual'],
    [['--status', 'gone'], 'status', '--status', 'Status must be active or inactive'],
    [['--phone', 'call me'], 'phone', '--phone', 'Use digits, spaces and + ( ) - . only'],
    [['--tags', 'a,,b'], 'tags.1', '--tags', 'A tag cannot be empty'],
  ])('refuses %j as a validation error on %s (exit 1, nothing on stdout)', async (flags, field, flag, message) => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli([...JANE, ...flags, '--json'], asOwner);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorJson(run)).toEqual({ error: { code: 'validation', field, message } });
    const human = await cli([...JANE, ...flags], asOwner);
    expect(human.stderr).toBe(`Error: ${flag}: ${message}\n`);
    expect(await ok(cli, ['customer', 'list'], asOwner)).toEqual([]);
  });

  it('refuses an email another customer has, in any case: exit 1 on field email', async () => {
    const { cli, asOwner } = await withBusiness();
    await createCustomer(cli, JANE, asOwner);
    const args = ['customer', 'create', '--name', 'Other Jane', '--email', 'JANE@example.com'];
    const run = await cli([...args, '--json'], asOwner);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorJson(run)).toEqual({ error: { code: 'conflict', field: 'email', message: 'Another customer already has this email' } });
    expect((await cli(args, asOwner)).stderr).toBe('Error: --email: Another customer already has this email\n');
  });

  it('is a usage error (2) without --name or --email', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli(['customer', 'create', '--name', 'Jane Doe', '--json'], asOwner);
    expect(run.code).toBe(2);
    expect(errorJson(run)).toEqual({ error: { code: 'usage', message: "required option '--email <email>' not specified" } });
  });

  it('lets staff create, and refuses a viewer with exit 3', async () => {
    const { cli, asOwner } = await withBusiness();
    expect((await cli(JANE, await actingAs(cli, asOwner, 'staff'))).code).toBe(0);
    const run = await cli([...JOHN, '--json'], await actingAs(cli, asOwner, 'viewer'));
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(errorJson(run)).toEqual({ error: { code: 'forbidden', message: 'Your role does not allow this' } });
  });
});

describe('recurra customer list', () => {
  it('prints every customer as a JSON array, by name', async () => {
    const { cli, asOwner } = await withBusiness();
    await createCustomer(cli, JOHN, asOwner);
    await createCustomer(cli, JANE, asOwner);
    const run = await cli(['customer', 'list', '--json'], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const rows = JSON.parse(run.stdout) as { name: string }[];
    expect(rows.map((r) => r.name)).toEqual(['Jane Doe', 'John Smith']);
    expect(rows[0]).toEqual(CUSTOMER);
  });

  it('searches, filters, sorts and pages', async () => {
    const { cli, asOwner } = await withBusiness();
    const jane = await createCustomer(cli, [...JANE, '--segment', 'Gold', '--tags', 'vip'], asOwner);
    const john = await createCustomer(cli, [...JOHN, '--status', 'inactive'], asOwner);
    const names = async (...flags: string[]) =>
      (await ok<{ name: string }[]>(cli, ['customer', 'list', ...flags], asOwner)).map((c) => c.name);
    expect(await names('--search', 'smith')).toEqual(['John Smith']);
    expect(await names('--search', 'jnae')).toEqual(['Jane Doe']); // a typo finds close matches
    expect(await names('--status', 'inactive')).toEqual(['John Smith']);
    expect(await names('--segment', 'gold')).toEqual(['Jane Doe']);
    expect(await names('--tag', 'vip')).toEqual(['Jane Doe']);
    expect(await names('--desc')).toEqual(['John Smith', 'Jane Doe']);
    expect(await names('--sort', 'paymentMethod')).toEqual(['Jane Doe', 'John Smith']);
    expect(await names('--limit', '1')).toEqual(['Jane Doe']);
    expect(await names('--offset', '1')).toEqual(['John Smith']);
    expect(jane.id).not.toBe(john.id);
  });

  it('returns all customers past the core page size of 500', async () => {
    const { dataDir, cli, asOwner } = await withBusiness();
    const csv = ['Name,Email', ...Array.from({ length: 620 }, (_, i) => `Customer ${i},c${i}@example.com`)].join('\n');
    const file = path.join(dataDir, 'many.csv');
    fs.writeFileSync(file, csv);
    expect(await ok(cli, ['import', 'customers', '--file', file], asOwner)).toMatchObject({ created: 620 });
    expect(await ok<unknown[]>(cli, ['customer', 'list'], asOwner)).toHaveLength(620);
    expect(await ok<unknown[]>(cli, ['customer', 'list', '--limit', '510', '--offset', '600'], asOwner)).toHaveLength(20);
    const human = await cli(['customer', 'list', '--limit', '3'], asOwner);
    expect(human.stdout).toMatch(/\n3 of 620 customers shown/);
  });

  it('shows people an aligned table: name, email, company, status, payment method', async () => {
    const { cli, asOwner } = await withBusiness();
    const jane = await createCustomer(cli, JANE, asOwner);
    const john = await createCustomer(cli, JOHN, asOwner);
    const run = await cli(['customer', 'list'], asOwner);
    expect(run.code).toBe(0);
    const [header, first, second, ...rest] = run.stdout.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(header).toMatch(/^ID +NAME +EMAIL +COMPANY +STATUS +PAYMENT METHOD$/);
    expect(first).toMatch(new RegExp(`^${jane.id} +Jane Doe +jane@example.com +Acme +active +card$`));
    expect(second).toMatch(new RegExp(`^${john.id} +John Smith +john@example.com +active +manual$`));
    expect(first?.indexOf('jane@')).toBe(header?.indexOf('EMAIL'));
    expect(second?.indexOf('active')).toBe(header?.indexOf('STATUS'));
    expect(second?.indexOf('manual')).toBe(header?.indexOf('PAYMENT METHOD'));
  });

  it('says so when there is nobody, or nobody matches', async () => {
    const { cli, asOwner } = await withBusiness();
    expect((await cli(['customer', 'list'], asOwner)).stdout).toMatch(/^No customers yet\./);
    expect((await cli(['customer', 'list', '--json'], asOwner)).stdout).toBe('[]\n');
    await createCustomer(cli, JANE, asOwner);
    expect((await cli(['customer', 'list', '--status', 'inactive'], asOwner)).stdout).toBe('No customers match.\n');
  });

  it('lets a viewer list, and refuses bad paging or sorting flags (exit 1)', async () => {
    const { cli, asOwner } = await withBusiness();
    await createCustomer(cli, JANE, asOwner);
    expect(await ok<unknown[]>(cli, ['customer', 'list'], await actingAs(cli, asOwner, 'viewer'))).toHaveLength(1);
    for (const [flag, value, field] of [['--limit', '0', 'limit'], ['--limit', 'ten', 'limit'], ['--offset', '-1', 'offset'], ['--sort', 'age', 'sort'], ['--status', 'gone', 'status']]) {
      const run = await cli(['customer', 'list', flag!, value!, '--json'], asOwner);
      expect(run.code, `${flag} ${value}`).toBe(1);
      expect(errorJson(run), `${flag} ${value}`).toMatchObject({ error: { code: 'validation', field } });
    }
  });
});

describe('recurra customer update', () => {
  it('changes only the fields given and prints {customer}', async () => {
    const { cli, asOwner } = await withBusiness();
    const jane = await createCustomer(cli, [...JANE, '--phone', '555 1234', '--tags', 'vip'], asOwner);
    const run = await cli(['customer', 'update', jane.id, '--company', 'Acme Corp', '--payment-method', 'manual', '--json'], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      customer: { ...CUSTOMER, id: jane.id, company: 'Acme Corp', paymentMethod: 'manual', phone: '555 1234', tags: ['vip'] },
    });
    const cleared = await ok<{ customer: { tags: string[]; phone: string } }>(cli, ['customer', 'update', jane.id, '--tags', '', '--phone', ''], asOwner);
    expect(cleared.customer).toMatchObject({ tags: [], phone: '' });
  });

  it('tells a person what the customer looks like now', async () => {
    const { cli, asOwner } = await withBusiness();
    const jane = await createCustomer(cli, JANE, asOwner);
    const run = await cli(['customer', 'update', jane.id, '--name', 'Jane Roe'], asOwner);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Updated customer Jane Roe\.\n/);
    expect(run.stdout).toMatch(/Company: +Acme\n/);
  });

  it('refuses: nothing to change (2), an unknown id or a taken email (1), a viewer (3)', async () => {
    const { cli, asOwner } = await withBusiness();
    const jane = await createCustomer(cli, JANE, asOwner);
    await createCustomer(cli, JOHN, asOwner);

    const nothing = await cli(['customer', 'update', jane.id, '--json'], asOwner);
    expect(nothing.code).toBe(2);
    expect(errorJson(nothing)).toEqual({ error: { code: 'usage', message: expect.stringContaining('Nothing to change') } });

    const missing = await cli(['customer', 'update', 'no-such-id', '--city', 'X', '--json'], asOwner);
    expect(missing.code).toBe(1);
    expect(errorJson(missing)).toEqual({ error: { code: 'not_found', field: 'id', message: 'That customer was not found' } });
    expect((await cli(['customer', 'update', 'no-such-id', '--city', 'X'], asOwner)).stderr).toBe(
      'Error: customer no-such-id: That customer was not found\n',
    );

    const taken = await cli(['customer', 'update', jane.id, '--email', 'john@example.com', '--json'], asOwner);
    expect(taken.code).toBe(1);
    expect(errorJson(taken)).toMatchObject({ error: { code: 'conflict', field: 'email' } });

    const viewer = await cli(['customer', 'update', jane.id, '--city', 'X', '--json'], await actingAs(cli, asOwner, 'viewer'));
    expect(viewer).toMatchObject({ code: 3, stdout: '' });
    expect(errorJson(viewer)).toEqual({ error: { code: 'forbidden', message: 'Your role does not allow this' } });
  });
});

describe('recurra customer delete', () => {
  it('deletes as the owner: {deleted: ID}, and the customer is gone', async () => {
    const { cli, asOwner } = await withBusiness();
    const jane = await createCustomer(cli, JANE, asOwner);
    const john = await createCustomer(cli, JOHN, asOwner);
    const run = await cli(['customer', 'delete', jane.id, '--json'], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ deleted: jane.id });
    expect((await cli(['customer', 'delete', john.id], asOwner)).stdout).toBe(`Deleted customer John Smith (${john.id}).\n`);
    expect(await ok(cli, ['customer', 'list'], asOwner)).toEqual([]);
  });

  it('refuses staff with exit 3, and the customer stays', async () => {
    const { cli, asOwner } = await withBusiness();
    const jane = await createCustomer(cli, JANE, asOwner);
    const run = await cli(['customer', 'delete', jane.id, '--json'], await actingAs(cli, asOwner, 'staff'));
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(errorJson(run)).toEqual({ error: { code: 'forbidden', message: 'Your role does not allow this' } });
    expect(await ok<unknown[]>(cli, ['customer', 'list'], asOwner)).toHaveLength(1);
  });

  it("refuses a customer with a live subscription or an unpaid invoice: exit 1 with the core's reason", async () => {
    const { dataDir, cli, businessId, asOwner } = await withBusiness();
    const jane = await createCustomer(cli, JANE, asOwner);
    const john = await createCustomer(cli, JOHN, asOwner);
    // What `subscription create` and billing will make, put in place by hand until those commands exist.
    const db = openBusinessFile(dataDir, businessId);
    db.prepare(`INSERT INTO plans (id, code, name, currency, unit_amount, interval, created_at, updated_at) VALUES ('p1','basic','Basic','USD',1000,'month','x','x')`).run();
    db.prepare(`INSERT INTO subscriptions (id, customer_id, plan_id, status, start_date, anchor_date, created_at, updated_at) VALUES ('s1', ?, 'p1', 'active', '2026-01-01', '2026-01-01', 'x', 'x')`).run(jane.id);
    db.prepare(`INSERT INTO invoices (id, number, customer_id, kind, status, issue_date, due_date, currency, subtotal, total, amount_due, created_at, updated_at) VALUES ('i1','INV-000001', ?, 'manual', 'open', '2026-01-01', '2026-01-15', 'USD', 500, 500, 500, 'x', 'x')`).run(john.id);
    db.close();

    const subscribed = await cli(['customer', 'delete', jane.id, '--json'], asOwner);
    expect(subscribed).toMatchObject({ code: 1, stdout: '' });
    expect(errorJson(subscribed)).toEqual({
      error: { code: 'conflict', field: 'id', message: 'This customer has a subscription that is not canceled. Cancel it first.' },
    });
    const unpaid = await cli(['customer', 'delete', john.id], asOwner);
    expect(unpaid).toMatchObject({ code: 1, stdout: '' });
    expect(unpaid.stderr).toBe(`Error: customer ${john.id}: This customer has an unpaid invoice. Record the payment or void it first.\n`);
    expect(await ok<unknown[]>(cli, ['customer', 'list'], asOwner)).toHaveLength(2);
  });

  it('reports an unknown id as not found (1)', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli(['customer', 'delete', 'no-such-id', '--json'], asOwner);
    expect(run.code).toBe(1);
    expect(errorJson(run)).toEqual({ error: { code: 'not_found', field: 'id', message: 'That customer was not found' } });
  });
});

describe('customer help', () => {
  it('documents every command', async () => {
    const { cli } = await withBusiness();
    for (const args of [['customer', '--help'], ['customer', 'create', '--help'], ['customer', 'list', '--help'],
      ['customer', 'update', '--help'], ['customer', 'delete', '--help']]) {
      const run = await cli(args);
      expect(run, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout, args.join(' ')).toMatch(/^Usage: recurra customer/);
    }
    expect((await cli(['customer', 'create', '--help'])).stdout).toContain('--payment-method <method>');
  });
});
