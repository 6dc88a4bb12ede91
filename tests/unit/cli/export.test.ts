import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { actingAs, createCustomer, JANE, JOHN, ok, openBusinessFile } from './customer-fixtures';
import { errorJson, withBusiness } from './run-cli';

interface ListedCustomer {
  id: string;
  name: string;
  email: string;
  company: string;
  tags: string[];
  status: string;
  paymentMethod: string;
}

/** Three customers, one with a formula-looking company and tags (the cells a spreadsheet would mangle). */
async function withCustomers() {
  const setup = await withBusiness();
  const { cli, asOwner } = setup;
  await createCustomer(cli, [...JANE, '--tags', 'vip,yoga', '--segment', 'Gold'], asOwner);
  await createCustomer(cli, JOHN, asOwner);
  await createCustomer(cli, ['customer', 'create', '--name', 'Zoë Ångström', '--email', 'zoe@example.com', '--company', '=SUM(A1)', '--status', 'inactive'], asOwner);
  return { ...setup, out: path.join(setup.dataDir, 'exports', 'customers.csv') };
}

const readRecords = (file: string) => parse(fs.readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];

describe('recurra export customers', () => {
  it('writes a CSV that parses back to the listed customers, and prints {kind, rows, path}', async () => {
    const { cli, asOwner, out } = await withCustomers();
    const run = await cli(['export', 'customers', '--out', out, '--json'], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ kind: 'customers', rows: 3, path: out });

    const listed = await ok<ListedCustomer[]>(cli, ['customer', 'list'], asOwner);
    const records = readRecords(out);
    expect(records.map((r) => ({
      id: r['Customer id'], name: r.Name, email: r.Email, company: r.Company, tags: r.Tags, status: r.Status,
      paymentMethod: r['Payment method'], credit: r['Credit balance (USD)'],
    }))).toEqual(listed.map((c) => ({
      id: c.id, name: c.name, email: c.email,
      // Formula-looking cells get a leading apostrophe so a spreadsheet shows them as text.
      company: c.company.startsWith('=') ? `'${c.company}` : c.company,
      tags: c.tags.join(', '), status: c.status, paymentMethod: c.paymentMethod, credit: '0.00',
    })));
    expect(fs.readFileSync(out).subarray(0, 3).toString('hex')).not.toBe('efbbbf');
  });

  it('starts the file with a UTF-8 BOM with --bom, for Excel', async () => {
    const { cli, asOwner, out } = await withCustomers();
    await ok(cli, ['export', 'customers', '--out', out, '--bom'], asOwner);
    const bytes = fs.readFileSync(out);
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(bytes.subarray(3, 7).toString()).toBe('Name');
    expect(readRecords(out).map((r) => r.Name)).toEqual(['Jane Doe', 'John Smith', 'Zoë Ångström']);
  });

  it('tells a person where the file went', async () => {
    const { cli, asOwner, out } = await withCustomers();
    const run = await cli(['export', 'customers', '--out', out], asOwner);
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: `Exported 3 rows of customers to ${out}.\n` });
  });

  it('exports what the filters select, like the list', async () => {
    const { cli, asOwner, out } = await withCustomers();
    const exported = async (...flags: string[]) => {
      await ok(cli, ['export', 'customers', '--out', out, ...flags], asOwner);
      return readRecords(out).map((r) => r.Name);
    };
    expect(await exported('--status', 'inactive')).toEqual(['Zoë Ångström']);
    expect(await exported('--search', 'smith')).toEqual(['John Smith']);
    expect(await exported('--segment', 'gold')).toEqual(['Jane Doe']);
    expect(await exported('--tag', 'yoga')).toEqual(['Jane Doe']);
  });

  it('takes --from and --to as the dates the customers were created, in the business time zone', async () => {
    const { dataDir, cli, businessId, asOwner, out } = await withCustomers();
    const db = openBusinessFile(dataDir, businessId);
    const created = db.prepare('UPDATE customers SET created_at = ? WHERE email = ?');
    // New York: 23:59:59 on January 31 and midnight on February 1 (UTC says February 1 for both).
    created.run('2025-02-01T04:59:59.000Z', 'jane@example.com');
    created.run('2025-02-01T05:00:00.000Z', 'john@example.com');
    created.run('2025-03-01T08:00:00.000Z', 'zoe@example.com');
    db.close();
    const exported = async (...flags: string[]) => {
      const result = await ok<{ rows: number }>(cli, ['export', 'customers', '--out', out, ...flags], asOwner);
      const names = readRecords(out).map((r) => r.Name);
      expect(result.rows).toBe(names.length);
      return names;
    };
    expect(await exported('--from', '2025-02-01')).toEqual(['John Smith', 'Zoë Ångström']);
    expect(await exported('--to', '2025-02-01')).toEqual(['Jane Doe', 'John Smith']);
    expect(await exported('--from', '2025-02-01', '--to', '2025-02-28')).toEqual(['John Smith']);
    expect(await exported('--from', '2025-02-01', '--status', 'inactive')).toEqual(['Zoë Ångström']);
    expect(await exported('--from', '2024-01-01', '--to', '2024-12-31')).toEqual([]);
  });

  it('lets a viewer export', async () => {
    const { cli, asOwner, out } = await withCustomers();
    expect(await ok(cli, ['export', 'customers', '--out', out], await actingAs(cli, asOwner, 'viewer'))).toMatchObject({ rows: 3 });
  });

  it('round-trips: the exported file imports into another business as the same customers', async () => {
    const { cli, asOwner, out } = await withCustomers();
    await ok(cli, ['export', 'customers', '--out', out, '--bom'], asOwner);
    const other = await withBusiness();
    expect(await ok(other.cli, ['import', 'customers', '--file', out], other.asOwner)).toMatchObject({ created: 3, skipped: 0 });
    const strip = (rows: ListedCustomer[]) =>
      rows.map(({ name, email, company, tags, status, paymentMethod }) => ({ name, email, company, tags, status, paymentMethod }));
    expect(strip(await ok(other.cli, ['customer', 'list'], other.asOwner))).toEqual(strip(await ok(cli, ['customer', 'list'], asOwner)));
  });
});

describe('recurra export: refusals', () => {
  it('an unknown kind or a missing --out is a usage error (2)', async () => {
    const { cli, asOwner, out } = await withCustomers();
    const unknown = await cli(['export', 'customer', '--out', out], asOwner);
    expect(unknown).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'Error: Unknown kind "customer". Kinds: customers, subscriptions, invoices, payments, revenue, mrr-movements, ar-aging, sales, mrr-movements-by-customer, products, insights-churn, insights-ltv, insights-best-sellers, insights-demand, insights-anomalies, insights-forecast\n',
    });
    const noOut = await cli(['export', 'customers', '--json'], asOwner);
    expect(noOut.code).toBe(2);
    expect(errorJson(noOut)).toEqual({ error: { code: 'usage', message: "required option '--out <file>' not specified" } });
  });

  it.each([
    [['--from', '2025-02-30'], 'from', '--from', 'Use a date like 2026-03-01'],
    [['--to', 'yesterday'], 'to', '--to', 'Use a date like 2026-03-01'],
    [['--from', '2025-03-01', '--to', '2025-02-01'], 'to', '--to', 'The range ends (2025-02-01) before it starts (2025-03-01)'],
    [['--status', 'gone'], 'status', '--status', 'Status must be active or inactive'],
  ])('refuses %j as a validation error on %s (exit 1), writing no file', async (flags, field, flag, message) => {
    const { cli, asOwner, out } = await withCustomers();
    const run = await cli(['export', 'customers', '--out', out, ...flags, '--json'], asOwner);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(errorJson(run)).toEqual({ error: { code: 'validation', field, message } });
    expect((await cli(['export', 'customers', '--out', out, ...flags], asOwner)).stderr).toBe(`Error: ${flag}: ${message}\n`);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses an --out that is a folder or lies under a file (exit 1, field out)', async () => {
    const { dataDir, cli, asOwner } = await withCustomers();
    const aFile = path.join(dataDir, 'registry.sqlite');
    for (const [out, why] of [
      [dataDir, 'it is a folder; name a file inside it'],
      [path.join(aFile, 'x.csv'), `${aFile} is not a folder`],
    ] as const) {
      const run = await cli(['export', 'customers', '--out', out, '--json'], asOwner);
      expect(run, out).toMatchObject({ code: 1, stdout: '' });
      expect(errorJson(run)).toEqual({ error: { code: 'validation', field: 'out', message: `Cannot write ${out}: ${why}` } });
    }
  });

  it('checks the role before writing: a wrong password leaves no file (3)', async () => {
    const { cli, asOwner, out } = await withCustomers();
    const run = await cli(['export', 'customers', '--out', out, '--json'], { ...asOwner, RECURRA_PASSWORD: 'not the password' });
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('has help listing the kinds and what --from and --to mean', async () => {
    const { cli } = await withBusiness();
    const run = await cli(['export', '--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('mrr-movements');
    expect(run.stdout).toContain('With customers, --from and --to select');
  });
});
