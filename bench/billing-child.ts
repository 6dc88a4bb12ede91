import { performance, PerformanceObserver } from 'node:perf_hooks';
import fs from 'node:fs';
import v8 from 'node:v8';
import { WorkerExecutor, type RunStats } from '../src-main/core/billing/executor';
import { Core } from '../src-main/core/core';
import { UI_THREAD_BUSY_TIMEOUT_MS } from '../src-main/core/db/open';
import { silentLogger } from '../src-main/core/ports';
import type { Connection } from '../src-main/core/rpc';
import { fileIo, fileIoSince, peakRssMark } from './file-io';

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
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
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

  // The thread serving the UI: how long does it ever wait while billing runs in the worker? The ticker does
  // nothing else that could wait: the process's peak RSS (both threads, both SQLite connections) is the kernel's
  // high-water mark, read once at the end (sampled every 100 ms only where there is no such mark).
  let longestStall = 0;
  let stallAt = 0;
  let peakRss = 0;
  let peakMainHeap = 0;
  const rssBefore = process.memoryUsage.rss();
  const kernelPeak = peakRssMark.reset();
  const ioBefore = fileIo();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let last = start;
  let ticks = 0;
  // BENCH_STALL_TRACE=1 (a diagnosis): every stall over 15 ms and every main-thread GC, with their times, on stderr.
  const trace = process.env.BENCH_STALL_TRACE === '1';
  const events: string[] = [];
  let gcObserver: PerformanceObserver | null = null;
  if (trace) {
    gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) events.push(`gc ${(e.startTime - start).toFixed(0)} +${e.duration.toFixed(1)} kind=${(e as { detail?: { kind?: number } }).detail?.kind}`);
    });
    gcObserver.observe({ entryTypes: ['gc'] });
  }
  // In a trace, the thread's scheduler figures (ns on a CPU, ns waiting for one) tell a starved thread from a blocked or busy one.
  const schedstat = () => fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number) as [number, number, number];
  let lastSched = trace ? schedstat() : ([0, 0, 0] as [number, number, number]);
  const ticker = setInterval(() => {
    const now = performance.now();
    if (trace) {
      const sched = schedstat();
      if (now - last - 5 > 15) {
        const ran = (sched[0] - lastSched[0]) / 1e6;
        const queued = (sched[1] - lastSched[1]) / 1e6;
        events.push(`stall ${(last - start).toFixed(0)}..${(now - start).toFixed(0)} = ${(now - last - 5).toFixed(0)}: ran ${ran.toFixed(1)}, waited for a CPU ${queued.toFixed(1)}, off the CPU otherwise ${(now - last - ran - queued).toFixed(1)} ms`);
      }
      lastSched = sched;
    }
    if (now - last - 5 > longestStall) {
      longestStall = now - last - 5;
      stallAt = now - start;
    }
    if (!kernelPeak && ++ticks % 20 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
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
  if (kernelPeak) peakRss = peakRssMark.read() ?? peakRss;
  gcObserver?.disconnect();
  if (trace) process.stderr.write(`${events.join('\n')}\n`);
  // The owner opens the dashboard after the month's run (the worker has folded what the run marked).
  const boardStart = performance.now();
  const boardCpu = process.cpuUsage();
  await must('metrics.dashboard', { asOf });
  const firstDashboardMs = performance.now() - boardStart;
  const firstDashboardCpuMs = cpuMsSince(boardCpu);
  // Then again: what a warm connection takes for the same (the first one reads its pages after the worker's writes).
  const againStart = performance.now();
  const againCpu = process.cpuUsage();
  await must('metrics.dashboard', { asOf });
  const secondDashboardMs = performance.now() - againStart;
  const secondDashboardCpuMs = cpuMsSince(againCpu);
  process.stdout.write(`${JSON.stringify({ summary, engineMs, cpuMs, longestStall, stallAt, firstDashboardMs, firstDashboardCpuMs, secondDashboardMs, secondDashboardCpuMs, peakRss, rssBefore, peakMainHeap, stats, io })}\n`);
} finally {
  clearInterval(keepAlive);
  core.close();
  await executor.close();
}

