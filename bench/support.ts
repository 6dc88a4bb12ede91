import { performance } from 'node:perf_hooks';

/** One line of `npm run bench -- --json` (the output contract of every benchmark). */
export interface BenchResult {
  bench: string;
  metric: string;
  unit: string;
  value: number;
  raw: number;
  /** value/raw or raw/value, whichever makes bigger worse. */
  ratio: number;
  target: number;
  pass: boolean;
}

/** A latency (lower is better) against its raw bound. */
export function latency(bench: string, metric: string, value: number, raw: number, target: number): BenchResult {
  const ratio = value / Math.max(raw, 1e-6);
  return { bench, metric, unit: 'ms', value: round(value), raw: round(raw), ratio: round(ratio), target, pass: ratio <= target };
}

/** A rate (higher is better) against its raw bound. */
export function rate(bench: string, metric: string, unit: string, value: number, raw: number, target: number): BenchResult {
  const ratio = raw / Math.max(value, 1e-6);
  return { bench, metric, unit, value: Math.round(value), raw: Math.round(raw), ratio: round(ratio), target, pass: ratio <= target };
}

/** A figure with its own limit rather than a raw bound (a stall, a memory peak). */
export function limit(bench: string, metric: string, unit: string, value: number, max: number): BenchResult {
  return { bench, metric, unit, value: round(value), raw: max, ratio: max > 0 ? round(value / max) : value, target: 1, pass: value <= max };
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

export function timeMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export async function timeMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** A small seeded PRNG (mulberry32), so every run builds the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Progress for people goes to stderr, so stdout stays the JSON lines. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
