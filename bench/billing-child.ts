import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { WorkerExecutor, type RunStats } from '../src-main/core/billing/executor';
import { Core } from '../src-main/core/core';
import { UI_THREAD_BUSY_TIMEOUT_MS } from '../src-main/core/db/open';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { fileIo, fileIoSince } from './file-io';

/**
 * The billing bench proper, in a fresh process shaped like the app's main
 * process (bench/billing.ts bundles it, as electron-vite bundles main, and
 * spawns it on the seeded data folder): the core, the business opened by a
 * login, billing.run through the worker thread. What it measures is this
 * process alone: the UI thread's longest stall and the peak RSS of both
 * threads and both SQLite connections, not the seeding that came before.
 * Prints one JSON line.
 */
const [dataDir, migrationsDir, workerUrl, businessId, warmAsOf, asOf] = process.argv.slice(2) as [string, string, string, string, string, string];

let stats: RunStats | null = null;
let statsArrived = () => {};
const executor = new WorkerExecutor({
  url: workerUrl,
  // A CPU profile of the child (BENCH_CPU_PROF) covers its worker too.
  execArgv: process.execArgv,
  onStats: (s) => {
    stats = s;
    statsArrived();
  },
});
const core = new Core({ paths: { dataDir, migrationsDir }, logger: silentLogger, billingExecutor: executor, busyTimeoutMs: UI_THREAD_BUSY_TIMEOUT_MS });
const conn: Connection = { id: 'bench', sessionId: null, send() {} };
const must = async (method: string, input: unknown) => {
  const result = await core.dispatch(conn, method, input);
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.data;
};
// The worker is unref'd once it has answered; its stats come after that: stay alive for them.
const keepAlive = setInterval(() => {}, 1000);
try {
  await must('auth.login', { businessId, email: 'owner@example.com', password: 'benchmark password' });
  // The app keeps one billing worker per open business; start it first (a run with nothing due), so
  // what is timed is the engine, not thread start-up.
  const warmStats = new Promise<void>((resolve) => (statsArrived = resolve));
  await must('billing.run', { asOf: warmAsOf });
  await warmStats;

  // The thread serving the UI: how long does it ever wait while billing runs in the worker?
  // The same ticker samples the process's memory (RSS: both threads, both SQLite connections).
  let longestStall = 0;
  let stallAt = 0;
  let peakRss = 0;
  let peakMainHeap = 0;
  const rssBefore = process.memoryUsage.rss();
  const ioBefore = fileIo();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let last = start;
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now - last - 5 > longestStall) {
      longestStall = now - last - 5;
      stallAt = now - start;
    }
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakMainHeap = Math.max(peakMainHeap, v8.getHeapStatistics().used_heap_size);
    last = now;
  }, 5);
  const statsOfRun = new Promise<void>((resolve) => (statsArrived = resolve));
  const summary = await must('billing.run', { asOf });
  const engineMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const io = fileIoSince(ioBefore);
  // The worker checkpoints after it has answered (nobody waits for it): still this process's memory.
  await statsOfRun;
  clearInterval(ticker);
  process.stdout.write(`${JSON.stringify({ summary, engineMs, cpuMs, longestStall, stallAt, peakRss, rssBefore, peakMainHeap, stats, io })}\n`);
} finally {
  clearInterval(keepAlive);
  core.close();
  await executor.close();
}

