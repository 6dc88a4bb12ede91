import type * as Yazl from 'yazl';
import { finished } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import type { ReportKind } from '@shared/contract/reports';
import type { CurrencyCode } from '@shared/domain/money';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { lazyRequire } from '../lazy-require';
import type { ExportDestination } from '../ports';
import { openReport } from '../reports/reports';
import { writeReportCsv } from '../reports/report-csv';

// Loaded by the first export, not by every start of the CLI.
const yazl = lazyRequire<typeof Yazl>('yazl');

/** What an accountant gets: every record and the monthly figures, all of the business's history. */
const FILES: { kind: ReportKind; name: string }[] = [
  { kind: 'customers', name: 'customers.csv' },
  { kind: 'subscriptions', name: 'subscriptions.csv' },
  { kind: 'invoices', name: 'invoices.csv' },
  { kind: 'payments', name: 'payments-and-refunds.csv' },
  { kind: 'revenue', name: 'revenue-by-month.csv' },
  { kind: 'mrr-movements', name: 'mrr-movements-by-month.csv' },
  { kind: 'ar-aging', name: 'accounts-receivable-aging.csv' },
  { kind: 'sales', name: 'sales.csv' },
];

/**
 * Everything as a zip of CSV files, streamed: each report is written into the
 * archive as it is read, so memory stays flat whatever the size.
 */
export async function exportAccounts(
  db: BusinessDb,
  destination: ExportDestination,
  opts: { fileName: string; today: string; timezone: string; currency: CurrencyCode; bom: boolean },
) {
  const file = await destination.open(opts.fileName);
  if (!file) return { path: null, downloadUrl: null, files: [] };
  // The whole history: from the first month anything was invoiced or paid.
  const first = (stmt(db.sqlite, "SELECT min(d) FROM (SELECT min(issue_date) AS d FROM invoices UNION ALL SELECT min(paid_on) FROM payments WHERE status = 'succeeded')")
    .pluck()
    .get() as string | null) ?? opts.today;
  const zip = new (yazl().ZipFile)();
  zip.outputStream.pipe(file.stream as NodeJS.WritableStream);
  const written: { name: string; rows: number }[] = [];
  for (const { kind, name } of FILES) {
    const monthly = kind === 'revenue' || kind === 'mrr-movements';
    const report = openReport({
      db,
      kind,
      from: monthly ? `${first.slice(0, 7)}-01` : null,
      to: kind === 'ar-aging' || monthly ? opts.today : null,
      today: opts.today,
      timezone: opts.timezone,
    });
    const entry = new PassThrough();
    zip.addReadStream(entry, name);
    const rows = await writeReportCsv({ stream: entry, path: null, downloadUrl: null }, report.columns, opts.currency, report.batches(), { bom: opts.bom });
    written.push({ name, rows });
  }
  zip.end();
  await finished(file.stream as NodeJS.WritableStream);
  file.done?.();
  return { path: file.path, downloadUrl: file.downloadUrl, files: written };
}
