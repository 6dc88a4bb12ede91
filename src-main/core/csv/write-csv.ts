import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import type { ExportFile } from '../ports';

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
}

/**
 * Streams rows to a CSV file with constant memory: rows come in batches from
 * the database and the writer waits whenever the file falls behind.
 * Text cells are formula-escaped; numbers are written as they are.
 */
export async function writeCsv<Row>(
  file: ExportFile,
  columns: CsvColumn<Row>[],
  batches: Iterable<Row[]>,
  opts: { bom: boolean },
): Promise<number> {
  const csv = stringify({ bom: opts.bom, record_delimiter: 'windows' });
  csv.pipe(file.stream as NodeJS.WritableStream);
  const finished = once(file.stream as unknown as NodeJS.EventEmitter, 'finish');
  let rows = 0;
  csv.write(columns.map((c) => c.header));
  // Batches are whole queries (never an open iterator), so other calls may use the database while we wait.
  for (const batch of batches) {
    for (const row of batch) {
      const record = columns.map((c) => {
        const v = c.value(row);
        return typeof v === 'number' ? v : formulaSafe(v);
      });
      rows++;
      if (!csv.write(record)) await once(csv, 'drain');
    }
  }
  csv.end();
  await finished;
  file.done?.();
  return rows;
}
