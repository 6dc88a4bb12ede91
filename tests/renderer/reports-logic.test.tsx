import { describe, expect, it } from 'vitest';
import type { ReportColumn } from '@shared/contract/reports';
import { cellLink, cellText, describeRange, humanize, visibleColumns, type CellFormat } from '../../src-renderer/src/features/reports/report-format';
import { presetMatching, presetRange, presetsFor, rangeInput, rangeProblem, readReportQuery, writeReportQuery } from '../../src-renderer/src/features/reports/report-range';

const TODAY = '2026-04-10';
const read = (search: string) => readReportQuery(new URLSearchParams(search), TODAY);

describe('date range presets', () => {
  it('covers the days people mean, as of today', () => {
    expect(presetRange('this-month', TODAY)).toEqual({ from: '2026-04-01', to: '2026-04-10' });
    expect(presetRange('last-month', TODAY)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(presetRange('last-12-months', TODAY)).toEqual({ from: '2025-05-01', to: '2026-04-10' });
    expect(presetRange('this-year', TODAY)).toEqual({ from: '2026-01-01', to: '2026-04-10' });
    expect(presetRange('all', TODAY)).toEqual({});
  });

  it('crosses year ends and short months', () => {
    expect(presetRange('last-month', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('last-month', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(presetRange('last-12-months', '2026-01-01')).toEqual({ from: '2025-02-01', to: '2026-01-01' });
    expect(presetRange('this-month', '2026-02-01')).toEqual({ from: '2026-02-01', to: '2026-02-01' });
  });

  it('offers what a report can take: monthly reports need an end, AR aging is one day', () => {
    expect(presetsFor('records')).toContain('all');
    expect(presetsFor('months')).not.toContain('all');
    expect(presetsFor('as-of')).toEqual([]);
  });
});

describe('the report in the address', () => {
  it('fills in each kind’s default range', () => {
    expect(read('')).toEqual({ kind: 'revenue', preset: 'last-12-months', from: '2025-05-01', to: TODAY });
    expect(read('kind=customers')).toEqual({ kind: 'customers', preset: 'all' });
    expect(read('kind=payments')).toEqual({ kind: 'payments', preset: 'this-month', from: '2026-04-01', to: TODAY });
    expect(read('kind=ar-aging')).toEqual({ kind: 'ar-aging', preset: null, to: TODAY });
    expect(read('kind=nonsense').kind).toBe('revenue');
  });

  it('recognizes a preset from its dates (a dashboard link), and keeps other dates as a custom range', () => {
    expect(read('kind=payments&from=2026-04-01&to=2026-04-10').preset).toBe('this-month');
    expect(read('kind=payments&from=2026-03-01&to=2026-03-31').preset).toBe('last-month');
    expect(read('kind=payments&from=2026-03-05&to=2026-03-20')).toEqual({ kind: 'payments', preset: 'custom', from: '2026-03-05', to: '2026-03-20' });
    expect(read('kind=ar-aging&to=2026-03-31')).toEqual({ kind: 'ar-aging', preset: null, to: '2026-03-31' });
    // A day that does not exist is ignored: the kind's default range.
    expect(read('kind=payments&from=2026-02-30')).toEqual({ kind: 'payments', preset: 'this-month', from: '2026-04-01', to: TODAY });
    expect(presetMatching('revenue', {}, TODAY)).toBe('custom'); // "all time" is no monthly preset
  });

  it('round-trips: presets by name (they follow today), custom ranges by their dates', () => {
    for (const search of ['kind=revenue&preset=this-year', 'kind=invoices&preset=custom&from=2026-03-01&to=2026-04-10', 'kind=ar-aging&to=2026-03-31', 'kind=customers&preset=all']) {
      expect(writeReportQuery(read(search)).toString()).toBe(search);
    }
    // A custom range equal to a preset stays custom while it is edited.
    expect(read('kind=payments&preset=custom&from=2026-04-01&to=2026-04-10').preset).toBe('custom');
  });

  it('refuses a range that ends before it starts, and leaves open ends out of the call', () => {
    expect(rangeProblem(read('kind=payments&preset=custom&from=2026-04-10&to=2026-04-01'))).toMatch(/ends before it starts/);
    expect(rangeProblem(read('kind=payments&preset=custom&from=2026-04-01'))).toBeNull();
    expect(rangeInput(read('kind=customers'))).toEqual({});
    expect(rangeInput(read('kind=payments&preset=custom&from=2026-04-01'))).toEqual({ from: '2026-04-01' });
  });
});

const f: CellFormat = { money: (m) => `$${(m / 100).toFixed(2)}`, day: (d) => `day ${d}`, month: (m) => `month ${m}`, locale: 'en-US' };
const col = (key: string, type: ReportColumn['type']): ReportColumn => ({ key, label: key, type });

describe('report cells', () => {
  it('formats by column type', () => {
    expect(cellText(-3000, col('change', 'money'), f)).toBe('$-30.00');
    expect(cellText('2026-04-05', col('dueDate', 'date'), f)).toBe('day 2026-04-05');
    expect(cellText(33.3, col('churnRate', 'percent'), f)).toBe('33.30%');
    expect(cellText(12345, col('quantity', 'number'), f)).toBe('12,345');
    expect(cellText('2026-03', col('month', 'text'), f)).toBe('month 2026-03');
    expect(cellText('past_due', col('status', 'text'), f)).toBe('Past due');
    expect(cellText('card_declining', col('paymentMethod', 'text'), f)).toBe('Card declining');
    expect(cellText('O’Brien & Co', col('customer', 'text'), f)).toBe('O’Brien & Co');
    expect(cellText(null, col('paidOn', 'date'), f)).toBe('');
    expect(humanize('mrr-movements')).toBe('Mrr movements');
  });

  it('turns ids into links instead of columns', () => {
    const columns = [col('number', 'text'), col('customer', 'text'), col('amountDue', 'money'), col('invoiceId', 'text'), col('customerId', 'text')];
    expect(visibleColumns(columns).map((c) => c.key)).toEqual(['number', 'customer', 'amountDue']);
    const row = { number: 'INV-000012', customer: 'Dan', amountDue: 3000, invoiceId: 'inv-1', customerId: 'cus-1' };
    expect(cellLink(columns[0]!, row)).toBe('/invoices/inv-1');
    expect(cellLink(columns[1]!, row)).toBe('/customers/cus-1');
    expect(cellLink(columns[2]!, row)).toBeNull();
    // A sale's number is not an invoice.
    expect(cellLink(col('number', 'text'), { number: 'S-1', saleId: 's1' })).toBeNull();
  });

  it('words a range', () => {
    const day = (d: string) => d;
    expect(describeRange('2026-04-01', '2026-04-10', day)).toBe('2026-04-01 – 2026-04-10');
    expect(describeRange('2026-04-10', '2026-04-10', day)).toBe('2026-04-10');
    expect(describeRange(null, null, day)).toBe('All time');
    expect(describeRange('2026-04-01', null, day)).toBe('From 2026-04-01');
    expect(describeRange(null, '2026-04-10', day)).toBe('Up to 2026-04-10');
  });
});
