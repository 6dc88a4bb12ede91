import { formatMoney, isCurrencyCode, type CurrencyCode } from '@shared/domain/money';
import type { CliError } from './errors';

/** Where the CLI reads its environment and writes its output: the process, or a test's buffers. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** What a command produced: the JSON document of spec/cli.md, and the same for people. */
export interface CommandOutput {
  json: unknown;
  human: string;
}

export function printOutput(io: CliIo, asJson: boolean, output: CommandOutput): void {
  // One compact document and a newline: `jq`, JSON.parse and line-based tools all take it.
  if (asJson) io.stdout(`${JSON.stringify(output.json)}\n`);
  else io.stdout(output.human.endsWith('\n') ? output.human : `${output.human}\n`);
}

/** On failure stdout stays empty; stderr holds the error (exactly one JSON document with --json). */
export function printError(io: CliIo, asJson: boolean, error: CliError): void {
  if (asJson) {
    io.stderr(`${JSON.stringify({ error: error.toBody() })}\n`);
    return;
  }
  // Who-is-acting errors read better without a field ("Wrong email or password", not "password: ...").
  const authFailure = error.code === 'unauthenticated' || error.code === 'forbidden';
  const label = authFailure ? undefined : (error.flag ?? error.field);
  io.stderr(`Error: ${label ? `${label}: ` : ''}${error.message}\n`);
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Amounts and counts line up on the right. */
  align?: 'left' | 'right';
}

/** Rows under a header, columns padded to their widest cell, two spaces apart. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => c.value(row)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (columns[i]?.align === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "Label:  value" lines with the values aligned, for one object. */
export function formatFields(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length + 1));
  return pairs.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`).join('\n');
}

/** Minor units for people ("$29.00"); an unknown currency code still shows the exact number. */
export function moneyText(minor: number, currency: string): string {
  return isCurrencyCode(currency) ? formatMoney(minor, currency as CurrencyCode) : `${minor} ${currency} (minor units)`;
}
