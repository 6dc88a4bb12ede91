import { addDays, dateInTimeZone } from '@shared/domain/dates';
import { toDecimalString, type CurrencyCode } from '@shared/domain/money';
import type { InsightTable } from '@shared/contract/insights-lists';
import { getBusinessRow } from '../business/business-service';
import { exportFileName } from '../customers/customer-export';
import { writeCsv, type CsvColumn } from '../csv/write-csv';
import { businessCurrency, businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { defineHandlers } from '../define-handlers';
import { insightsHandlers } from './insights-handlers';
import { loadDayFigures } from './sales-data';
import { businessToday, period, salesInsightsHandlers } from './sales-insights-handlers';

// insights.risk (the customers list's risk column, a page at a time), insights.days (the sales chart's daily figures) and
// insights.export (every insight table as CSV).
// Both read the insight handlers' own results (cached until the books change): the file holds
// exactly the figures the screen shows, never a second computation.

type Ctx = Parameters<(typeof salesInsightsHandlers)['insights.forecast']>[0];
type Row = Record<string, string | number>;

const money = (currency: string) => (minor: number | null) => (minor === null ? '' : toDecimalString(minor, currency as CurrencyCode));

/** The rows and columns of one insight table. Columns are [header, key, trusted]. */
async function tableOf(ctx: Ctx, table: InsightTable, input: { from?: string | undefined; to?: string | undefined; months: number }): Promise<{ columns: [string, string, boolean][]; rows: Row[] }> {
  const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
  const period = { from: input.from, to: input.to };
  switch (table) {
    case 'churn': {
      const churn = await ctx.services.insights.run({ kind: 'churn', asOf: today, today });
      return {
        columns: [['Customer', 'name', false], ['Customer id', 'customerId', true], ['Risk score (chance of leaving in 90 days, %)', 'score', true], ['Band', 'band', true], ['Top factors', 'factors', false]],
        rows: churn.customers.map((c) => ({ name: c.name, customerId: c.customerId, score: c.score, band: c.band, factors: c.factors.map((f) => f.text).join('; ') })),
      };
    }
    case 'ltv': {
      const ltv = await insightsHandlers['insights.ltv'](ctx, {});
      const names = new Map((stmt(ctx.db.sqlite, 'SELECT id, name FROM customers').raw(true).all() as [string, string][]));
      const m = money(ltv.currency);
      return {
        columns: [['Customer', 'name', false], ['Customer id', 'customerId', true], ['Lifetime value', 'ltv', true], ['Currency', 'currency', true], ['Basis', 'basis', false]],
        rows: ltv.customers.map((c) => ({ name: names.get(c.customerId) ?? '', customerId: c.customerId, ltv: m(c.ltv), currency: c.currency, basis: c.basis })),
      };
    }
    case 'best-sellers':
    case 'demand': {
      const p = await salesInsightsHandlers['insights.products'](ctx, period);
      const m = money(p.currency);
      if (table === 'best-sellers') {
        return {
          columns: [['Rank by revenue', 'rankByRevenue', true], ['Rank by units', 'rankByUnits', true], ['SKU', 'sku', false], ['Product', 'name', false], ['Units', 'units', true], ['Revenue', 'revenue', true], ['Currency', 'currency', true], ['Customers', 'customers', true], ['From', 'from', true], ['To', 'to', true]],
          rows: p.bestSellers.map((b) => ({ ...b, revenue: m(b.revenue), currency: p.currency, from: p.from, to: p.to })),
        };
      }
      return {
        columns: [['SKU', 'sku', false], ['Product', 'name', false], ['Week', 'week', true], ['Expected units', 'quantity', true], ['Low (80 % band)', 'low', true], ['High (80 % band)', 'high', true], ['In stock', 'stock', true], ['Runs out in days', 'stockoutInDays', true], ['In words', 'text', false]],
        rows: p.demand.flatMap((d) => d.weeks.map((w) => ({ sku: d.sku, name: d.name, week: w.week, quantity: w.quantity, low: w.low, high: w.high, stock: d.stock ?? '', stockoutInDays: d.stockoutInDays ?? '', text: d.text }))),
      };
    }
    case 'anomalies': {
      const a = await salesInsightsHandlers['insights.anomalies'](ctx, period);
      return {
        columns: [['Date', 'date', true], ['Measure', 'metric', true], ['Value', 'value', true], ['Expected', 'expected', true], ['Expected low', 'low', true], ['Expected high', 'high', true], ['Direction', 'direction', true], ['In words', 'text', false]],
        rows: a.anomalies.map((x) => ({ ...x })),
      };
    }
    case 'forecast': {
      const f = await salesInsightsHandlers['insights.forecast'](ctx, { months: input.months });
      const m = money(f.currency);
      const past = f.history.map((h) => ({ month: h.month, kind: 'actual', mrr: m(h.mrr), low: '', high: '', currency: f.currency }));
      const next = f.months.map((h) => ({ month: h.month, kind: 'forecast', mrr: m(h.mrr), low: m(h.low), high: m(h.high), currency: f.currency }));
      return {
        columns: [['Month', 'month', true], ['Actual or forecast', 'kind', true], ['Revenue', 'mrr', true], ['Low (80 % band)', 'low', true], ['High (80 % band)', 'high', true], ['Currency', 'currency', true]],
        rows: [...past, ...next],
      };
    }
  }
}

export const insightsListsHandlers = defineHandlers({
  'insights.days': (ctx, input) => {
    const today = businessToday(ctx);
    const { from, to } = period(input, today);
    const end = to > today ? today : to;
    const figures = new Map((from > end ? [] : loadDayFigures(ctx.db, from, end)).map((d) => [d.date, d]));
    const days = [];
    for (let date = from; date <= end; date = addDays(date, 1)) days.push(figures.get(date) ?? { date, revenue: 0, sales: 0, refunds: 0, failedPayments: 0 });
    return { from, to, currency: businessCurrency(ctx.db), days };
  },
  // A page of the worker's churn answer (the whole list is several MB at 100,000 customers; CSV has it all).
  'insights.risk': async (ctx, input) => {
    const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
    const page = await ctx.services.insights.run({ kind: 'churn-page', asOf: today, today, offset: input.offset, limit: input.limit, customerIds: input.customerIds ?? null });
    const end = input.offset + input.limit;
    return {
      asOf: page.asOf,
      ready: page.ready,
      ...(page.reason !== undefined ? { reason: page.reason } : {}),
      bands: page.model?.bands.text ?? null,
      total: page.total,
      offset: input.offset,
      nextOffset: end < page.total ? end : null,
      customers: page.customers.map((c) => ({ customerId: c.customerId, score: c.score, band: c.band })),
    };
  },
  'insights.export': async (ctx, input) => {
    const { columns, rows } = await tableOf(ctx, input.table, input);
    const business = getBusinessRow(ctx.db.orm);
    const file = await ctx.exports.open(exportFileName(business.name, `insights-${input.table}`, dateInTimeZone(ctx.now, business.timezone)));
    if (!file) return { rows: 0, path: null, downloadUrl: null };
    const csvColumns: CsvColumn<Row>[] = columns.map(([header, key, trusted]) => ({ header, trusted, value: (r) => r[key] ?? '' }));
    const written = await writeCsv(file, csvColumns, [rows], { bom: input.bom });
    return { rows: written, path: file.path, downloadUrl: file.downloadUrl };
  },
});
