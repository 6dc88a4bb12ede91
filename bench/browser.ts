import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { limit, note, type BenchResult } from './support';

// The customer list in Chromium at 100,000 customers (bench/browser/customers-list.bench.ts,
// driven by Playwright against the built renderer; bench/browser/measure.ts says how each figure
// is taken). Browser figures have no raw SQLite bound: each is held to a limit a person notices
// (a frame is 16.7 ms; software rendering here). The note line also gives the idle page's frame
// gaps in the same run, the floor this machine allowed at that moment.

const ROOT = path.resolve(import.meta.dirname, '..');

interface Scroll {
  frames: number;
  /** The median of the runs' worst gaps. */
  maxGap: number;
  maxGaps: number[];
  /** Over every frame of every run. */
  p95Gap: number;
  rowsMissing: number;
}
interface Figures {
  firstRowsMs: number;
  idle: { frames: number; p95Gap: number; maxGap: number };
  reading: Scroll;
  wheel: Scroll;
  fling: Scroll;
  jumpMs: number;
  /** The median of `searches`, one per term. */
  searchMs: number;
  searches: number[];
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
    // The core as the app runs it: billing and insights in worker threads (tests/e2e/fixtures.ts).
    RECURRA_E2E_APP_THREADS: '1',
  });
  const f = JSON.parse(fs.readFileSync(out, 'utf8')) as Figures;
  const gaps = (s: Scroll) => `${s.maxGap.toFixed(0)}/${s.p95Gap.toFixed(0)} (${s.frames} frames, run maxima ${s.maxGaps.map((g) => g.toFixed(0)).join('/')})`;
  note(
    `browser: idle page max/p95 ${f.idle.maxGap.toFixed(0)}/${f.idle.p95Gap.toFixed(0)} ms; first rows ${f.firstRowsMs.toFixed(0)} ms; ` +
      `frame gaps max/p95: reading ${gaps(f.reading)}, wheel ${gaps(f.wheel)}, fling ${gaps(f.fling)} ms; ` +
      `jump ${f.jumpMs.toFixed(0)} ms; search ${f.searchMs.toFixed(0)} ms (median of ${f.searches.map((s) => s.toFixed(0)).join(', ')}); ` +
      `typo ${f.typoMs.toFixed(0)} ms; sort ${f.sortMs.toFixed(0)} ms`,
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
