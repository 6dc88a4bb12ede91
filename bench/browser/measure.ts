import type { Page } from '@playwright/test';
import { expect } from '../../tests/e2e/fixtures';
import { jumpTo, scrollThrough } from '../../tests/e2e/scale-steps';

// How the browser benchmark measures, in the page itself (bench/browser/customers-list.bench.ts).
//
// Frame gaps are requestAnimationFrame deltas: the page's main thread gets one rAF per frame it
// produces, so a gap of 33 or 50 ms is a frame the list's own work (script, style, layout, paint,
// and the commit to the compositor, which waits for raster) pushed past one or two vsyncs.
// Chromium here renders in software (--disable-gpu) at 60 Hz, so gaps are whole vsyncs: 16.7,
// 33.3, 50 ms. The scroll is driven from rAF (scrollTop += step each frame), so every frame needs
// the main thread: stricter than a wheel scroll, which the compositor moves on its own.
//
// Nothing else may draw frames while measuring: a Playwright trace's screencast (the default
// `trace: 'retain-on-failure'`) copies and encodes every frame on the same two cores, and alone
// turned a 17 ms p95 into 117-283 ms; bench/browser/playwright.config.ts turns it off.

/** A vsync at 60 Hz. */
export const VSYNC_MS = 1000 / 60;

/** Waits (up to 20 s) until the page paints 60 idle frames with no gap over 50 ms: another process's burst is not the list's jank. */
export async function quietFrames(page: Page): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    const gaps = await idleGaps(page, 60);
    if (Math.max(...gaps) < 50) return;
    await page.waitForTimeout(1000);
  }
}

/** The rAF gaps of `frames` frames of the page doing nothing: what this machine gives at best, now. */
export async function idleGaps(page: Page, frames: number): Promise<number[]> {
  return page.evaluate(async (frames) => {
    const gaps: number[] = [];
    let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    for (let i = 0; i < frames; i++) {
      const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      gaps.push(now - last);
      last = now;
    }
    return gaps;
  }, frames);
}

export interface ScrollFigures {
  /** Frames measured, over all runs. */
  frames: number;
  /** The 95th percentile gap over every frame of every run. */
  p95Gap: number;
  /** The median of the runs' worst gaps (one burst from another process on the shared cores is not the list). */
  maxGap: number;
  /** Each run's worst gap. */
  maxGaps: number[];
  longTasks: number;
  /** Rows still loading in the last run's view when it stopped. */
  rowsMissing: number;
}

/**
 * `runs` scrolls from `from` (a fraction of the list), `step` px a frame for `frames` frames, each
 * started on a quiet CPU; the gaps of all runs pooled (3 × 300 frames: the p95 is the 45th worst).
 */
export async function scrollFigures(page: Page, from: number, step: number, frames: number, runs = 3): Promise<ScrollFigures> {
  const gaps: number[] = [];
  const maxGaps: number[] = [];
  let longTasks = 0;
  let rowsMissing = 0;
  for (let run = 0; run < runs; run++) {
    await jumpTo(page, from);
    await quietFrames(page);
    const r = await scrollThrough(page, step, frames);
    gaps.push(...r.gaps);
    maxGaps.push(r.maxGap);
    longTasks += r.longTasks;
    rowsMissing = r.rowsMissing;
  }
  return { frames: gaps.length, p95Gap: percentileOf(gaps, 95), maxGap: median(maxGaps), maxGaps, longTasks, rowsMissing };
}

export function percentileOf(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export function median(samples: number[]): number {
  return percentileOf(samples, 50);
}

/**
 * One search, from the keystroke to the right rows on screen: the box is cleared (the whole list
 * back), then `term` is typed a key at a time, as fast as a quick typist (`delayMs` between keys).
 * The time runs from the last key's keydown (its event timestamp, in the page's clock) to the first
 * frame (rAF) in which every row in view is a loaded row containing `term` and the summary reads
 * `countText` (the count of `term` itself, so a shorter search shown on the way does not count
 * unless it found the very same customers): the search, the query, the answer and the render.
 */
export async function searchLatency(page: Page, term: string, countText: string, allText: string, delayMs = 60): Promise<number> {
  const box = page.getByRole('searchbox', { name: 'Search customers' });
  await box.fill('');
  await expect(page.getByTestId('customer-count')).toHaveText(allText);
  await expect(page.getByTestId('customer-list').locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
  await quietFrames(page);
  await box.focus();
  await page.evaluate(() => {
    const w = window as unknown as { benchLastKey?: number; benchKeyListener?: (e: KeyboardEvent) => void };
    if (w.benchKeyListener) removeEventListener('keydown', w.benchKeyListener, true);
    w.benchKeyListener = (e) => (w.benchLastKey = e.timeStamp);
    addEventListener('keydown', w.benchKeyListener, true);
  });
  await page.keyboard.type(term, { delay: delayMs });
  const shown = await page.waitForFunction(
    ({ term, countText }) => {
      const list = document.querySelector('[data-testid="customer-list"]');
      const count = document.querySelector('[data-testid="customer-count"]')?.textContent ?? '';
      const box = document.querySelector<HTMLInputElement>('input[type="search"]');
      if (!list || count !== countText || box?.value !== term) return false;
      const view = list.getBoundingClientRect();
      const inView = [...list.querySelectorAll<HTMLElement>('[role="row"][aria-rowindex]')].filter((row) => {
        const r = row.getBoundingClientRect();
        return r.bottom > view.top + 41 && r.top < view.bottom;
      });
      if (inView.length === 0) return false;
      if (!inView.every((row) => row.dataset.testid === 'customer-row' && (row.textContent ?? '').toLowerCase().includes(term))) return false;
      return performance.now();
    },
    { term, countText },
    { polling: 'raf', timeout: 30_000 },
  );
  const at = (await shown.jsonValue()) as number;
  const key = await page.evaluate(() => (window as unknown as { benchLastKey: number }).benchLastKey);
  return at - key;
}

/** Back to the whole list at its top, settled. */
export async function wholeList(page: Page, allText: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search customers' }).fill('');
  await expect(page.getByTestId('customer-count')).toHaveText(allText);
  await jumpTo(page, 0);
}
