import type * as CsvStringify from 'csv-stringify';
import { once } from 'node:events';
import { lazyRequire } from '../lazy-require';
import type { ExportFile } from '../ports';

// Loaded by the first export, not by every start of the CLI.
const csvStringify = lazyRequire<typeof CsvStringify>('csv-stringify');

/** Cells a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection). */
export function formulaSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Undo formulaSafe on import, so an export read back is the same data. */
export function unescapeFormula(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

export interface CsvColumn<Row> {
  header: string;
  value(row: Row): string | number;
  /**
   * Ours, made from integers (an amount, a date we wrote): written as it is.
   * Anything else may come from a person and is formula-escaped, which would
   * turn a negative amount ("-12.00") into text a spreadsheet cannot add up.
   */
  trusted?: boolean;
}

/** Customer-style columns: each cell from its column, text escaped unless trusted. */
export async function writeCsv<Row>(
  file: ExportFile,
  columns: readonly CsvColumn<Row>[],
  batches: Iterable<Row[]>,
  opts: { bom: boolean },
): Promise<number> {
  const cells = columns.map((c) => (c.trusted ? c.value : (row: Row) => {
    const v = c.value(row);
    return typeof v === 'number' ? v : formulaSafe(v);
  }));
  return streamCsv(file, columns.map((c) => c.header), batches, (row) => cells.map((cell) => cell(row)), opts);
}

/**
 * Streams rows to a CSV file with constant memory: rows come in batches (each
 * a whole query, never an open iterator, so other calls may use the database
 * meanwhile) and the writer waits whenever the file falls behind. A failing
 * file (disk full, a closed download) ends the export with its own error.
 * `toRecord` makes a row's cells, already escaped as its columns need.
 */
export async function streamCsv<Row>(
  file: ExportFile,
  header: readonly string[],
  batches: Iterable<Row[]>,
  toRecord: (row: Row) => (string | number)[],
  opts: { bom: boolean },
): Promise<number> {
  const csv = csvStringify().stringify({ bom: opts.bom, record_delimiter: 'windows' });
  const stream = file.stream as NodeJS.WritableStream & NodeJS.EventEmitter & { destroy?: () => void };
  const abort = new AbortController();
  stream.once('error', (error) => abort.abort(error));
  csv.pipe(stream);
  let rows = 0;
  try {
    csv.write(header);
    for (const batch of batches) {
      for (const row of batch) {
        rows++;
        if (!csv.write(toRecord(row))) await once(csv, 'drain', { signal: abort.signal });
      }
    }
    csv.end();
    await once(stream, 'finish', { signal: abort.signal });
  } catch (error) {
    csv.destroy();
    stream.destroy?.();
    throw abort.signal.aborted ? abort.signal.reason : error;
  }
  file.done?.();
  return rows;
}
