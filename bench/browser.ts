import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { limit, note, type BenchResult } from './support';

// The customer list in Chromium at 100,000 customers (bench/browser/customers-list.bench.ts,
// driven by Playwright against the built renderer). Browser figures have no raw SQLite bound:
// each is held to a limit a person notices (a frame is 16.7 ms; software rendering here).

const ROOT = path.resolve(import.meta.dirname, '..');

interface Scroll {
  maxGap: number;
  p95Gap: number;
  rowsMissing: number;
}
interface Figures {
  firstRowsMs: number;
  reading: Scroll;
  wheel: Scroll;
  fling: Scroll;
  jumpMs: number;
  searchMs: number;
  typoMs: number;
  sortMs: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  // The child's output goes to stderr: stdout stays the JSON lines of `--json`.
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

export async function browserBench(dataDir: string): Promise<BenchResult[]> {
  note('browser: building the renderer (electron-vite build)');
  run(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
  const out = path.join(dataDir, 'browser-figures.json');
  note('browser: 100,000 customers in Chromium (import, then list, scroll, search, sort)');
  run(process.execPath, [path.join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '--config', 'bench/browser/playwright.config.ts'], {
    ...process.env,
    RECURRA_BENCH_OUT: out,
  });
  const f = JSON.parse(fs.readFileSync(out, 'utf8')) as Figures;
  note(
    `browser: first rows ${f.firstRowsMs.toFixed(0)} ms; frame gaps max/p95: reading ${f.reading.maxGap.toFixed(0)}/${f.reading.p95Gap.toFixed(0)}, ` +
      `wheel ${f.wheel.maxGap.toFixed(0)}/${f.wheel.p95Gap.toFixed(0)}, fling ${f.fling.maxGap.toFixed(0)}/${f.fling.p95Gap.toFixed(0)} ms; ` +
      `jump ${f.jumpMs.toFixed(0)} ms; search ${f.searchMs.toFixed(0)} ms; typo ${f.typoMs.toFixed(0)} ms; sort ${f.sortMs.toFixed(0)} ms`,
  );
  return [
    limit('browser', 'customers_first_rows', 'ms', f.firstRowsMs, 1000),
    limit('browser', 'scroll_reading_max_gap', 'ms', f.reading.maxGap, 100),
    limit('browser', 'scroll_reading_p95_gap', 'ms', f.reading.p95Gap, 34),
    limit('browser', 'scroll_reading_rows_missing', 'rows', f.reading.rowsMissing, 0),
    limit('browser', 'scroll_wheel_max_gap', 'ms', f.wheel.maxGap, 100),
    limit('browser', 'scroll_wheel_p95_gap', 'ms', f.wheel.p95Gap, 50),
    limit('browser', 'scroll_fling_max_gap', 'ms', f.fling.maxGap, 250),
    limit('browser', 'scroll_fling_p95_gap', 'ms', f.fling.p95Gap, 100),
    limit('browser', 'jump_to_middle', 'ms', f.jumpMs, 1000),
    limit('browser', 'search_keystroke_to_rows', 'ms', f.searchMs, 500),
    limit('browser', 'search_typo_to_close_matches', 'ms', f.typoMs, 1000),
    limit('browser', 'sort_by_email', 'ms', f.sortMs, 1000),
  ];
}
