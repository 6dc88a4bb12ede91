import type { Page } from '@playwright/test';
import { customers } from '../../bench/data';
import type { Core } from '../../src-main/core/core';
import { expect } from './fixtures';

// A business of 100,000 customers and the list's moves, shared by the scale
// end-to-end test (which asserts behaviour) and the browser benchmark
// (bench/browser, which measures frame gaps and latencies).

export const SCALE_COUNT = 100_000;
export const SCALE_OWNER = { email: 'owner@example.com', password: 'scale test password' };

/** A CSV of exactly `count` customers (bench/data's generator, skipping emails the validator refuses). */
export function scaleCsv(count: number): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['Name,Email,Phone,Company,Segment,Tags,Status,Payment method,Notes'];
  for (const c of customers(count * 2)) {
    if (!/^[a-z0-9.@-]+$/.test(c.email)) continue;
    lines.push([c.name, c.email, c.phone, c.company, c.segment, c.tags.join(', '), c.status, c.paymentMethod, c.notes].map(cell).join(','));
    if (lines.length > count) break;
  }
  return `${lines.join('\n')}\n`;
}

/** Signs up "Northwind Fitness" and imports `count` customers through customers.import; returns how many were created. */
export async function seedScaleBusiness(core: Core, count = SCALE_COUNT): Promise<number> {
  const conn = { id: 'scale-seed', sessionId: null, send() {} };
  const signUp = await core.dispatch(conn, 'business.signUp', {
    businessName: 'Northwind Fitness',
    currency: 'EUR',
    timezone: 'Europe/Berlin',
    ownerName: 'Nora Owner',
    ownerEmail: SCALE_OWNER.email,
    password: SCALE_OWNER.password,
  });
  if (!signUp.ok) throw new Error(JSON.stringify(signUp.error));
  const imported = await core.dispatch(conn, 'customers.import', { csv: scaleCsv(count) });
  if (!imported.ok) throw new Error(JSON.stringify(imported.error));
  return (imported.data as { created: number }).created;
}

export interface ScrollRun {
  frames: number;
  /** Every frame's gap (requestAnimationFrame to requestAnimationFrame), sorted. */
  gaps: number[];
  maxGap: number;
  p95Gap: number;
  longTasks: number;
  longestTask: number;
  /** Rows still showing their loading placeholder when the scroll ended. */
  rowsMissing: number;
  /** Where the list ended, as a fraction of its scrollable height. */
  reached: number;
}

/** Scrolls the list by `step` px each frame, for `frames` frames or until the bottom, recording every frame's gap. */
export async function scrollThrough(page: Page, step: number, frames: number): Promise<ScrollRun> {
  return page.getByTestId('customer-list').evaluate(
    async (el, { step, frames }) => {
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
      observer.observe({ type: 'longtask', buffered: false });
      const gaps: number[] = [];
      let last = performance.now();
      await new Promise<void>((done) => {
        const tick = (now: number) => {
          gaps.push(now - last);
          last = now;
          if (gaps.length > frames || el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return done();
          el.scrollTop += step;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      observer.disconnect();
      gaps.sort((a, b) => a - b);
      return {
        frames: gaps.length,
        gaps,
        maxGap: gaps.at(-1) ?? 0,
        p95Gap: gaps[Math.floor(gaps.length * 0.95)] ?? 0,
        longTasks: longTasks.length,
        longestTask: Math.max(0, ...longTasks),
        rowsMissing: el.querySelectorAll('[role="row"][aria-busy="true"]').length,
        reached: el.scrollTop / Math.max(1, el.scrollHeight - el.clientHeight),
      };
    },
    { step, frames },
  );
}

/** Jumps to a position (like dragging the scrollbar) and waits until its rows are loaded, not placeholders. */
export async function jumpTo(page: Page, fraction: number): Promise<void> {
  const list = page.getByTestId('customer-list');
  await list.evaluate((el, fraction) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * fraction), fraction);
  await expect(list.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
  await expect(list.getByTestId('customer-row').first()).toBeVisible();
}
