import fs from 'node:fs';
import type { Command } from 'commander';
import type { ImportResult } from '@shared/contract/customers';
import type { CliContext } from '../context';
import { validationError } from '../errors';
import type { CommandOutput } from '../output';
import type { Runner } from '../program';

interface ImportOptions {
  file: string;
  dryRun?: boolean;
}

// Problems with the file are the caller's input at fault, not a malformed command line:
// validation (exit 1) on the field "file", like the core's own "The file is empty".
const FILE_FLAG = '--file';

export function registerImportCommands(program: Command, run: Runner): void {
  const importCommand = program.command('import').description('bring records in from CSV files');

  importCommand
    .command('customers')
    .description('customers from a CSV file with a header row; bad rows are reported, good rows kept (staff or owner)')
    .requiredOption('--file <file>', 'the CSV file (UTF-8; headers like Name, Email, Phone, Company, Tags)')
    .option('--dry-run', 'check every row and report, writing nothing')
    .action(run(importCustomers));

  importCommand
    .command('products')
    .description('products from a CSV file: sku,name,price,category,stock,low_stock_at; all or nothing (staff or owner)')
    .argument('[file]', 'the CSV file (UTF-8, a header row; prices like 4.50)')
    .option('--file <file>', 'the CSV file, as a flag')
    .option('--dry-run', 'check every row, writing nothing')
    .action(run(importProducts));
}

async function importProducts(ctx: CliContext, opts: { file?: string; dryRun?: boolean }, [file]: string[]): Promise<CommandOutput> {
  const path = file ?? opts.file;
  if (!path) throw validationError('file', 'Give the CSV file: recurra import products FILE', FILE_FLAG);
  const csv = readCsvText(path);
  await ctx.login();
  const result = await ctx.call('products.import', { csv, dryRun: opts.dryRun === true }, { csv: FILE_FLAG });
  const n = (k: number) => `${k} product${k === 1 ? '' : 's'}`;
  return {
    json: { rows: result.rows, created: result.created, dryRun: opts.dryRun === true },
    human: opts.dryRun ? `Dry run: all ${n(result.rows)} are good; nothing was written.` : `Imported ${n(result.created)}.`,
  };
}

async function importCustomers(ctx: CliContext, opts: ImportOptions): Promise<CommandOutput> {
  // Read before logging in: a wrong path costs no login.
  const csv = readCsvText(opts.file);
  await ctx.login();
  const result = await ctx.call('customers.import', { csv, dryRun: opts.dryRun === true }, { csv: FILE_FLAG });
  return {
    json: { created: result.created, skipped: result.skipped, errors: result.errors, dryRun: result.dryRun },
    human: importText(result),
  };
}

/** The file as text; a missing, unreadable, empty or non-UTF-8 file is refused naming --file. */
function readCsvText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw validationError('file', `Cannot read ${file}: ${readProblem(error)}`, FILE_FLAG);
  }
  let text: string;
  try {
    // fatal: a file saved in another encoding would otherwise import with U+FFFD in place of accents.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw validationError('file', `${file} is not UTF-8 text; save it as "CSV UTF-8" and try again`, FILE_FLAG);
  }
  if (text.trim() === '') throw validationError('file', `${file} is empty`, FILE_FLAG);
  return text;
}

function readProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function importText(r: ImportResult): string {
  const customers = (n: number) => `${n} customer${n === 1 ? '' : 's'}`;
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  const lines = [
    r.dryRun
      ? `Dry run: ${customers(r.created)} would be imported, ${rows(r.skipped)} skipped. Nothing was written.`
      : `Imported ${customers(r.created)}, skipped ${rows(r.skipped)}.`,
    ...r.errors.map((e) => `line ${e.line}: ${e.field}: ${e.message}`),
  ];
  // The core lists at most its first 1000 problems while counting every skipped row. (One problem
  // for many skipped rows is a missing name or email column, which speaks for itself.)
  if (r.errors.length > 1 && r.errors.length < r.skipped) lines.push(`(the first ${r.errors.length} problems are shown)`);
  return lines.join('\n');
}
