import { toDecimalString, type CurrencyCode } from '@shared/domain/money';
import { formulaSafe, streamCsv } from '../csv/write-csv';
import type { ExportFile } from '../ports';
import type { Cell, ReportColumn, Row } from './report';

/** The CSV header of a column: money says its currency, percentages their unit. */
export function csvHeader(c: ReportColumn, currency: string): string {
  if (c.type === 'money') return `${c.label} (${currency})`;
  if (c.type === 'percent') return `${c.label} (%)`;
  return c.label;
}

/**
 * One cell as the file holds it. Money is the exact decimal of its minor
 * units; text is formula-escaped (it may come from a person). Money and
 * numbers are ours, made from integers, so they are written as they are:
 * escaping would turn a negative amount ("-12.00" is not a formula, and a
 * spreadsheet must read a refund or a churn as a number).
 */
function cellWriter(c: ReportColumn, currency: CurrencyCode): (value: Cell | undefined) => string | number {
  switch (c.type) {
    case 'money':
      return (v) => (typeof v === 'number' ? toDecimalString(v, currency) : '');
    case 'number':
    case 'percent':
      return (v) => (typeof v === 'number' ? v : '');
    case 'date':
      return (v) => (typeof v === 'string' ? v : '');
    case 'text':
      return (v) => formulaSafe(v === null || v === undefined ? '' : String(v));
  }
}

/** Streams a report's rows to a CSV file (streamCsv: flat memory, a failing file ends it). */
export function writeReportCsv(
  file: ExportFile,
  columns: readonly ReportColumn[],
  currency: CurrencyCode,
  batches: Iterable<Row[]>,
  opts: { bom: boolean },
): Promise<number> {
  const cells = columns.map((c) => cellWriter(c, currency));
  return streamCsv(
    file,
    columns.map((c) => csvHeader(c, currency)),
    batches,
    (row) => {
      const record = new Array<string | number>(cells.length);
      for (let i = 0; i < cells.length; i++) record[i] = cells[i]!(row[i]);
      return record;
    },
    opts,
  );
}
