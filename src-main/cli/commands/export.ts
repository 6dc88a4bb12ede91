import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { isIsoDate } from '@shared/domain/dates';
import type { CliContext } from '../context';
import { usageError, validationError } from '../errors';
import type { CommandOutput } from '../output';
import type { Runner } from '../program';
import { customersExporter } from '../exports/customers';
import type { Exporter } from '../exports/exporter';
import { INSIGHT_EXPORTERS } from '../exports/insights';
import { productsExporter } from '../exports/products';
import { REPORT_EXPORTERS } from '../exports/report';
import { addFilterOptions, FILTER_FLAGS, type FilterOptions } from './customer';

/** Every KIND spec/cli.md names, in its order, then the ones added since (extend, never break). */
const KINDS = [
  'customers', 'subscriptions', 'invoices', 'payments', 'revenue', 'mrr-movements', 'ar-aging', 'sales', 'mrr-movements-by-customer', 'products',
  'insights-churn', 'insights-ltv', 'insights-best-sellers', 'insights-demand', 'insights-anomalies', 'insights-forecast',
] as const;
type ExportKind = (typeof KINDS)[number];

/** customers and products keep their own exports (files that import back); every other kind is one of the core's reports. */
const EXPORTERS: Record<ExportKind, Exporter> = {
  customers: customersExporter,
  ...REPORT_EXPORTERS,
  products: productsExporter,
  ...INSIGHT_EXPORTERS,
};

interface ExportOptions extends FilterOptions {
  out: string;
  from?: string;
  to?: string;
  bom?: boolean;
}

export function registerExportCommands(program: Command, run: Runner): void {
  addFilterOptions(
    program
      .command('export')
      .description('write a CSV file of one KIND of record or report (money as exact decimals, the currency in the header)')
      .argument('<kind>', KINDS.join(', '))
      .requiredOption('--out <file>', 'the CSV file to write (replaced if it exists)')
      .option('--from <date>', 'first date of the range, YYYY-MM-DD')
      .option('--to <date>', 'last date of the range, YYYY-MM-DD')
      .option('--bom', 'start the file with a byte order mark, so Excel reads it as UTF-8'),
  )
    .addHelpText('after', `\nThe filters --search, --status, --segment and --tag apply to customers; --search to products.\n${rangeHelp()}\nToday is the date in the business's time zone.`)
    .action(run(exportRecords));
}

function rangeHelp(): string {
  return KINDS.map((kind) => `With ${kind}, --from and --to select ${EXPORTERS[kind].rangeMeans}.`).join('\n');
}

async function exportRecords(ctx: CliContext, opts: ExportOptions, [kind = '']: string[]): Promise<CommandOutput> {
  // Everything the command line says is checked before logging in, so a typo costs no login.
  const exporter = exporterFor(kind);
  const filters = filtersFor(kind, exporter, opts);
  if ((opts.from !== undefined || opts.to !== undefined) && exporter.usesRange === false) throw usageError(`--from and --to do not apply to ${kind}, which has no dates`);
  if (opts.from !== undefined && exporter.usesFrom === false) throw usageError(`--from does not apply to ${kind}, which is as of one day: give --to (default: today)`);
  const from = optionalDate(opts.from, 'from', '--from');
  const to = optionalDate(opts.to, 'to', '--to');
  if (from !== undefined && to !== undefined && to < from) throw validationError('to', `The range ends (${to}) before it starts (${from})`, '--to');
  const out = checkedOutFile(opts.out);
  await ctx.login();
  ctx.exportTo(out);
  const { rows, path: written } = await exporter.run(ctx, { filters, from, to, bom: opts.bom === true });
  const file = written ?? out;
  return {
    json: { kind, rows, path: file },
    human: `Exported ${rows} ${rows === 1 ? 'row' : 'rows'} of ${kind} to ${file}.`,
  };
}

function exporterFor(kind: string): Exporter {
  if ((KINDS as readonly string[]).includes(kind)) return EXPORTERS[kind as ExportKind];
  throw usageError(`Unknown kind "${kind}". Kinds: ${KINDS.join(', ')}`);
}

/** Only the filters the kind reads; one it would ignore is refused, so a script never gets more rows than it asked for. */
function filtersFor(kind: string, exporter: Exporter, opts: ExportOptions): FilterOptions {
  const filters: FilterOptions = {};
  for (const name of Object.keys(FILTER_FLAGS) as (keyof FilterOptions)[]) {
    if (opts[name] === undefined) continue;
    if (!exporter.filters.includes(name)) throw usageError(`${FILTER_FLAGS[name]} does not apply to ${kind}`);
    filters[name] = opts[name];
  }
  return filters;
}

function optionalDate(text: string | undefined, field: string, flag: string): string | undefined {
  if (text === undefined) return undefined;
  if (!isIsoDate(text.trim())) throw validationError(field, 'Use a date like 2026-03-01', flag);
  return text.trim();
}

/**
 * The core would report an unwritable --out as a crash (after logging in, possibly mid-file),
 * so the plain cases are refused here first: a folder, or a parent that is a file or not writable.
 */
export function checkedOutFile(file: string): string {
  const out = path.resolve(file);
  const refuse = (why: string) => validationError('out', `Cannot write ${file}: ${why}`, '--out');
  if (file.trim() === '') throw validationError('out', 'Name the file to write', '--out');
  const existing = statOrNull(out);
  if (existing?.isDirectory()) throw refuse('it is a folder; name a file inside it');
  // The destination creates missing folders, so the nearest existing ancestor must be a writable folder.
  let dir = path.dirname(out);
  while (!statOrNull(dir)) dir = path.dirname(dir);
  if (!statOrNull(dir)?.isDirectory()) throw refuse(`${dir} is not a folder`);
  try {
    fs.accessSync(existing ? out : dir, fs.constants.W_OK);
  } catch {
    throw refuse('permission denied');
  }
  return out;
}

/** null when nothing is there, including a path that runs through a file (ENOTDIR). */
function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
