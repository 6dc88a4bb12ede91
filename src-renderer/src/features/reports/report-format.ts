import type { ReportColumn, ReportRow } from '@shared/contract/reports';

// How the report table shows the cells main sends: by column type, with ids
// turned into links instead of columns of their own.

export interface CellFormat {
  money(minor: number): string;
  day(date: string): string;
  month(month: string): string;
  locale: string;
}

/** Ids are for spreadsheets (the CSV keeps them); on screen they become links. */
export function isShownOnScreen(column: ReportColumn): boolean {
  return !/Id$/.test(column.key) && column.key !== 'id' && column.key !== 'refundOf';
}

export function visibleColumns(columns: readonly ReportColumn[]): ReportColumn[] {
  return columns.filter(isShownOnScreen);
}

/** Columns holding words from a fixed list ("past_due", "card_declining") are shown as words ("Past due"). */
const CODE_COLUMNS = new Set(['status', 'movement', 'type', 'paymentMethod', 'method']);

export function humanize(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Whether a column lines up on the right (amounts and counts). */
export function isNumeric(column: ReportColumn): boolean {
  return column.type === 'money' || column.type === 'number' || column.type === 'percent';
}

/** Amounts, dates, invoice numbers and names read badly broken over two lines; free text (notes, references) may wrap. */
export function keepsOnOneLine(column: ReportColumn): boolean {
  return column.type !== 'text' || ['number', 'invoice', 'customer', 'name', 'month', 'movement', 'status', 'type', 'plan'].includes(column.key);
}

/** One cell as text; an empty cell is an empty string. */
export function cellText(value: ReportRow[string] | undefined, column: ReportColumn, f: CellFormat): string {
  if (value === null || value === undefined || value === '') return '';
  switch (column.type) {
    case 'money':
      return typeof value === 'number' ? f.money(value) : String(value);
    case 'date':
      return typeof value === 'string' ? f.day(value) : String(value);
    case 'percent':
      return typeof value === 'number' ? `${value.toFixed(2)}%` : String(value);
    case 'number':
      return typeof value === 'number' ? value.toLocaleString(f.locale) : String(value);
    case 'text': {
      const text = String(value);
      if (column.key === 'month' && /^\d{4}-\d{2}$/.test(text)) return f.month(text);
      return CODE_COLUMNS.has(column.key) ? humanize(text) : text;
    }
  }
}

/** Where a cell leads: a customer's page from their name, an invoice from its number. */
export function cellLink(column: ReportColumn, row: ReportRow): string | null {
  const id = (key: string) => (typeof row[key] === 'string' && row[key] !== '' ? (row[key] as string) : null);
  if (column.key === 'customer' || (column.key === 'name' && 'customerId' in row)) {
    const customerId = id('customerId');
    return customerId ? `/customers/${customerId}` : null;
  }
  if (column.key === 'number' || column.key === 'invoice') {
    const invoiceId = id('invoiceId');
    return invoiceId ? `/invoices/${invoiceId}` : null;
  }
  return null;
}

/** The report's range in words: "Mar 1, 2026 – Mar 31, 2026", "Everything", "Up to Mar 31, 2026". */
export function describeRange(from: string | null, to: string | null, day: (date: string) => string): string {
  if (from && to) return from === to ? day(from) : `${day(from)} – ${day(to)}`;
  if (from) return `From ${day(from)}`;
  if (to) return `Up to ${day(to)}`;
  return 'All time';
}
