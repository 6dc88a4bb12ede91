import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '@shared/domain/periods';
import { dateInTimeZone } from '@shared/domain/dates';
import { billedCli, type BilledCli } from './reports-fixtures';

let b: BilledCli;
beforeAll(async () => {
  b = await billedCli();
}, 60_000);

const out = (name: string) => path.join(b.dataDir, 'exports', `${name}.csv`);
const read = (file: string) => parse(fs.readFileSync(file), { bom: true }) as string[][];
const Q1 = ['--from', '2026-01-01', '--to', '2026-03-31'];

describe('recurra export KIND: every kind of spec/cli.md through the core reports', () => {
  it.each([
    ['subscriptions', Q1, 3, ['Customer', 'Plan', 'Status', 'Quantity', 'Amount per period (USD)', 'Every', 'MRR (USD)']],
    ['invoices', Q1, 8, ['Number', 'Customer', 'Status', 'Issued', 'Due date', 'Period from', 'Period to', 'Subtotal (USD)']],
    ['payments', Q1, 6, ['Date', 'Type', 'Customer', 'Invoice', 'Method', 'Reference or reason', 'Amount (USD)']],
    ['revenue', Q1, 3, ['Month', 'From', 'To', 'Payments (USD)', 'Refunds (USD)', 'Net revenue (USD)']],
    ['mrr-movements', Q1, 3, ['Month', 'MRR at start (USD)', 'New (USD)', 'Reactivation (USD)', 'Expansion (USD)', 'Contraction (USD)', 'Churn (USD)', 'Net change (USD)', 'MRR at end (USD)']],
    ['ar-aging', ['--to', '2026-03-31'], 3, ['Invoice', 'Customer', 'Issued', 'Due date', 'Days past due', 'Current (USD)', '1-30 days (USD)']],
    ['sales', Q1, 0, ['Number', 'Sold on', 'Customer', 'Items', 'Subtotal (USD)', 'Tax (USD)', 'Total (USD)']],
    ['mrr-movements-by-customer', Q1, 4, ['Month', 'Customer', 'Movement', 'MRR at start (USD)', 'MRR at end (USD)', 'Change (USD)']],
  ] as const)('%s prints {kind, rows, path} and writes a file that parses back', async (kind, range, rows, header) => {
    const file = out(kind);
    const run = await b.human(['export', kind, '--out', file, ...range, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ kind, rows, path: file });
    const [head, ...records] = read(file);
    expect(head!.slice(0, header.length)).toEqual(header);
    expect(records).toHaveLength(rows);
    expect(records.every((r) => r.length === head!.length)).toBe(true);
  });

  it('the numbers are the hand-worked ones, money as exact decimals', async () => {
    await b.json(['export', 'revenue', '--out', out('revenue'), ...Q1]);
    expect(read(out('revenue')).slice(1)).toEqual([
      ['2026-01', '2026-01-01', '2026-01-31', '30.00', '0.00', '30.00'],
      ['2026-02', '2026-02-01', '2026-02-28', '90.00', '0.00', '90.00'],
      ['2026-03', '2026-03-01', '2026-03-31', '90.00', '10.00', '80.00'],
    ]);
    await b.json(['export', 'mrr-movements', '--out', out('mrr'), '--from', '2026-03-01', '--to', '2026-03-31']);
    expect(read(out('mrr'))[1]).toEqual(['2026-03', '120.00', '0.00', '0.00', '0.00', '0.00', '60.00', '-60.00', '60.00', '3', '1', '33.33']);
    await b.json(['export', 'ar-aging', '--out', out('aging'), '--to', '2026-03-31']);
    expect(read(out('aging')).slice(1).map((r) => r.slice(0, 10))).toEqual([
      ['INV-000002', 'Bob', '2026-01-15', '2026-01-29', '61', '', '', '', '30.00', ''],
      ['INV-000005', 'Bob', '2026-02-15', '2026-03-01', '30', '', '30.00', '', '', ''],
      ['INV-000008', 'Bob', '2026-03-15', '2026-03-29', '2', '', '30.00', '', '', ''],
    ]);
    await b.json(['export', 'payments', '--out', out('refunds'), '--from', '2026-03-05', '--to', '2026-03-05']);
    expect(read(out('refunds')).slice(1).map((r) => r.slice(0, 7))).toEqual([['2026-03-05', 'refund', 'Alice', 'INV-000006', 'card', '', '-10.00']]);
  });

  it('without --from and --to: lists are everything, revenue the 12 months ending today (in the business time zone)', async () => {
    expect(await b.json(['export', 'invoices', '--out', out('all')])).toMatchObject({ rows: 8 });
    await b.json(['export', 'revenue', '--out', out('year')]);
    const months = read(out('year')).slice(1).map((r) => r[0]);
    const thisMonth = dateInTimeZone(new Date(), 'America/New_York').slice(0, 7);
    expect(months).toHaveLength(12);
    expect(months.at(-1)).toBe(thisMonth);
    expect(months[0]).toBe(addMonths(`${thisMonth}-01`, -11).slice(0, 7));
  });

  it('starts with a BOM with --bom, and tells a person where the file went', async () => {
    const file = out('bom');
    const run = await b.human(['export', 'payments', '--out', file, '--bom']);
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: `Exported 6 rows of payments to ${file}.\n` });
    expect(fs.readFileSync(file).subarray(0, 3).toString('hex')).toBe('efbbbf');
  });

  it('refuses what a kind does not take: --from for ar-aging and the customer filters elsewhere (2), a backwards range (1)', async () => {
    const file = out('refused');
    expect(await b.refused(['export', 'ar-aging', '--out', file, '--from', '2026-01-01'])).toMatchObject({
      code: 2,
      stdout: '',
      error: { code: 'usage', message: '--from does not apply to ar-aging, which is as of one day: give --to (default: today)' },
    });
    expect(await b.refused(['export', 'invoices', '--out', file, '--status', 'active'])).toMatchObject({ code: 2, error: { code: 'usage', message: '--status does not apply to invoices' } });
    expect(await b.refused(['export', 'revenue', '--out', file, '--from', '2026-03-01', '--to', '2026-02-01'])).toMatchObject({
      code: 1,
      error: { code: 'validation', field: 'to', message: 'The range ends (2026-02-01) before it starts (2026-03-01)' },
      stderr: 'Error: --to: The range ends (2026-02-01) before it starts (2026-03-01)\n',
    });
    // The core's own checks name the flag too.
    expect(await b.refused(['export', 'revenue', '--out', file, '--from', '2001-01-01', '--to', '2026-03-31'])).toMatchObject({
      code: 1,
      error: { code: 'validation', field: 'from', message: 'A monthly report covers at most 240 months: choose a shorter range' },
      stderr: 'Error: --from: A monthly report covers at most 240 months: choose a shorter range\n',
    });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('lets a viewer export', async () => {
    expect(await b.json(['export', 'invoices', '--out', out('viewer')], await b.as('viewer'))).toMatchObject({ kind: 'invoices', rows: 8 });
  });
});
