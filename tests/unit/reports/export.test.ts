import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_KINDS, type ReportColumn } from '@shared/contract/reports';
import { toDecimalString } from '@shared/domain/money';
import type { ExportDestination } from '../../../src-main/core/ports';
import { callError, OWNER_PASSWORD } from '../../support/core';
import { billedBusiness, exported, view, type Billed } from './fixture';

let billed: Billed;
beforeAll(async () => {
  billed = await billedBusiness();
  // Cells a spreadsheet would run as formulas, in text that reaches the reports.
  await billed.b.call('customers.update', { id: billed.customers.bob.id, company: '=HYPERLINK("http://evil")', segment: '@SUM(A1)' });
});
afterAll(() => billed.b.close());

/** What the CSV must hold for a value the table shows. */
function csvCell(c: ReportColumn, value: unknown): string {
  if (value === null) return '';
  if (c.type === 'money') return toDecimalString(Number(value), 'USD');
  const text = String(value);
  return c.type === 'text' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const RANGES: Record<string, { from?: string; to?: string }> = {
  revenue: { from: '2026-01-01', to: '2026-03-31' },
  'mrr-movements': { from: '2026-01-01', to: '2026-03-31' },
  'mrr-movements-by-customer': { from: '2026-01-01', to: '2026-03-31' },
  'ar-aging': { to: '2026-03-20' },
  subscriptions: { to: '2026-03-31' },
};

describe('reports.export', () => {
  it.each(REPORT_KINDS)('%s: the file parses back to the rows of reports.view, money as exact decimals with the currency in the header', async (kind) => {
    const { b } = billed;
    const range = RANGES[kind] ?? {};
    const table = await view(b, { kind, ...range });
    const { result, header, rows } = await exported(b, { kind, ...range });
    expect(result).toMatchObject({ kind, rows: table.rows.length, downloadUrl: null });
    expect(path.basename(result.path!)).toBe(`sunrise-yoga-${kind}-2026-03-01.csv`);
    expect(header).toEqual(table.columns.map((c) => (c.type === 'money' ? `${c.label} (USD)` : c.type === 'percent' ? `${c.label} (%)` : c.label)));
    expect(rows).toEqual(table.rows.map((row) => table.columns.map((c) => csvCell(c, row[c.key]))));
  });

  it('reads like the hand-worked numbers: refunds negative and not escaped, dates as YYYY-MM-DD', async () => {
    const { rows } = await exported(billed.b, { kind: 'payments', from: '2026-02-05', to: '2026-02-05' });
    expect(rows).toEqual([['2026-02-05', 'refund', 'Alice', 'INV-000003', 'card', 'Goodwill', '-10.00', expect.any(String), expect.any(String), billed.customers.alice.id]]);
    const revenue = await exported(billed.b, { kind: 'revenue', from: '2026-01-01', to: '2026-03-31' });
    expect(revenue.rows.map((r) => r.slice(3))).toEqual([['30.00', '0.00', '30.00'], ['150.00', '10.00', '140.00'], ['150.00', '0.00', '150.00']]);
  });

  it('escapes text a spreadsheet would run as a formula', async () => {
    const { header, rows } = await exported(billed.b, { kind: 'customers' });
    const bob = rows.find((r) => r[0] === 'Bob')!;
    expect(bob[header.indexOf('Company')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(bob[header.indexOf('Segment')]).toBe(`'@SUM(A1)`);
  });

  it('starts with a UTF-8 byte order mark only when asked', async () => {
    const plain = await exported(billed.b, { kind: 'invoices' });
    expect(plain.bytes.subarray(0, 6).toString()).toBe('Number');
    const bom = await exported(billed.b, { kind: 'invoices', bom: true });
    expect(bom.bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(bom.rows).toEqual(plain.rows);
  });

  it('a cancelled save writes nothing and says so', async () => {
    const conn = await connectWith({ open: () => Promise.resolve(null) });
    const result = await billed.b.core.dispatch(conn, 'reports.export', { kind: 'invoices' });
    expect(result).toEqual({ ok: true, data: { kind: 'invoices', rows: 0, path: null, downloadUrl: null } });
  });

  it('a file that fails mid-way fails the export with its error instead of waiting forever', async () => {
    const failing = new Writable({ highWaterMark: 16, write: (_chunk, _enc, done) => done(new Error('disk full')) });
    const conn = await connectWith({ open: () => Promise.resolve({ stream: failing, path: '/nowhere.csv', downloadUrl: null }) });
    const result = await billed.b.core.dispatch(conn, 'reports.export', { kind: 'invoices' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('disk full') } });
    // The customers export streams through the same writer.
    const again = new Writable({ highWaterMark: 16, write: (_chunk, _enc, done) => done(new Error('disk full')) });
    const customersConn = await connectWith({ open: () => Promise.resolve({ stream: again, path: '/nowhere.csv', downloadUrl: null }) });
    const customers = await billed.b.core.dispatch(customersConn, 'customers.export', {});
    expect(customers).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('disk full') } });
  });
});

describe('reports: ranges and access', () => {
  it.each([
    [{ kind: 'invoices', from: '2026-03-01', to: '2026-02-01' }, 'to', 'The range ends (2026-02-01) before it starts (2026-03-01)'],
    [{ kind: 'invoices', from: '2026-02-30' }, 'from', 'Use a date like 2026-03-01'],
    [{ kind: 'invoices', to: 'yesterday' }, 'to', 'Use a date like 2026-03-01'],
    [{ kind: 'revenue', from: '2001-01-01', to: '2026-03-31' }, 'from', 'A monthly report covers at most 240 months: choose a shorter range'],
    [{ kind: 'revenue', from: '2026-04-01' }, 'from', 'The range starts (2026-04-01) after today (2026-03-01): give an end date too'],
    [{ kind: 'ledger' }, 'kind', expect.stringContaining('Choose a report: customers, subscriptions')],
  ])('refuses %j naming %s, and writes no file', async (input, field, message) => {
    const { b } = billed;
    const files = () => (fs.existsSync(exportsDir()) ? fs.readdirSync(exportsDir()).length : 0);
    const before = files();
    expect(await callError(b.core, b.conn, 'reports.view', input)).toEqual({ code: 'validation', field, message });
    expect(await callError(b.core, b.conn, 'reports.export', input)).toEqual({ code: 'validation', field, message });
    expect(files()).toBe(before);
  });

  it('defaults: lists are open, monthly reports are the 12 months ending today, AR aging is as of today', async () => {
    const { b } = billed; // the fake clock says 2026-03-01 (UTC)
    expect(await view(b, { kind: 'invoices' })).toMatchObject({ from: null, to: null, total: 10 });
    const revenue = await view(b, { kind: 'revenue' });
    expect(revenue).toMatchObject({ from: '2025-04-01', to: '2026-03-01', total: 12 });
    expect(revenue.rows.at(-1)).toMatchObject({ month: '2026-03', from: '2026-03-01', to: '2026-03-01', payments: 9000 });
    expect(await view(b, { kind: 'revenue', to: '2026-02-28' })).toMatchObject({ from: '2025-03-01', to: '2026-02-28' });
    expect(await view(b, { kind: 'ar-aging' })).toMatchObject({ from: null, to: '2026-03-01' });
  });

  it('a viewer may view and export', async () => {
    const { b } = billed;
    await b.call('users.create', { name: 'Vera', email: 'vera@example.com', role: 'viewer', password: 'password one' });
    const viewer = b.newConnection();
    await b.core.dispatch(viewer, 'auth.login', { businessId: b.businessId, email: 'vera@example.com', password: 'password one' });
    expect(await b.core.dispatch(viewer, 'reports.view', { kind: 'revenue' })).toMatchObject({ ok: true });
    expect(await b.core.dispatch(viewer, 'reports.export', { kind: 'payments' })).toMatchObject({ ok: true, data: { rows: 9 } });
    expect(await b.core.dispatch(b.newConnection(), 'reports.view', { kind: 'revenue' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

const exportsDir = () => path.join(path.dirname(path.dirname(billed.b.db.file)), 'exports');

/** A connection of the owner whose exports go to `destination`. */
async function connectWith(destination: ExportDestination) {
  const conn = { ...billed.b.newConnection(), exports: destination };
  await billed.b.core.dispatch(conn, 'auth.login', { businessId: billed.b.businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
  return conn;
}
