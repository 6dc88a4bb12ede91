import fs from 'node:fs';
import { callRpc, logIn } from '../../tests/e2e/app-steps';
import { search } from '../../tests/e2e/customer-steps';
import { expect, test } from '../../tests/e2e/fixtures';
import { jumpTo, SCALE_COUNT, SCALE_OWNER, seedScaleBusiness } from '../../tests/e2e/scale-steps';
import { idleGaps, median, percentileOf, quietFrames, scrollFigures, searchLatency, wholeList } from './measure';

// The customer list at 100,000 customers, timed in Chromium: first rows, frame gaps while
// scrolling, a jump, searches, a typo and a sort. Run by bench/browser.ts (`npm run bench`),
// which turns the figures written to RECURRA_BENCH_OUT into PASS/FAIL lines. How each figure is
// taken is in ./measure.ts. Unlike the end-to-end test, this waits for a quiet CPU before each
// measurement, but keeps every sample: no best-of.

/** Surnames and a first name of the generated customers (bench/data): about 2,500 matches each. */
const SEARCH_TERMS = ['nakamura', 'kowalski', 'okafor', 'priya', 'dubois'];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

test('customer list at 100,000 customers', async ({ app, page }) => {
  test.setTimeout(600_000);
  expect(await seedScaleBusiness(app.core)).toBe(SCALE_COUNT);
  const allText = `${SCALE_COUNT.toLocaleString('en-US')} customers`;
  await page.goto(app.url);
  await logIn(page, SCALE_OWNER.email, SCALE_OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await quietFrames(page);
  // What this machine gives a page doing nothing right now: the floor under every frame figure.
  const idle = await idleGaps(page, 300);

  const list = page.getByTestId('customer-list');
  const firstRowsMs = await timed(async () => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await expect(list.getByTestId('customer-row').first()).toBeVisible();
  });
  await expect(page.getByTestId('customer-count')).toHaveText(allText);

  const reading = await scrollFigures(page, 0, 40, 300);
  const wheel = await scrollFigures(page, 0.2, 160, 300);
  const fling = await scrollFigures(page, 0, 4000, 700);
  await jumpTo(page, 0);
  await quietFrames(page);
  const jumpMs = await timed(() => jumpTo(page, 0.5));

  // Each search from the middle of the whole list, as after a scroll; the count each should show, asked first.
  const searches: number[] = [];
  for (const term of SEARCH_TERMS) {
    const found = (await callRpc(page, 'customers.list', { search: term, sort: 'name', direction: 'asc', offset: 0, limit: 1, withTotal: true })) as {
      data: { total: number };
    };
    const n = found.data.total;
    await wholeList(page, allText);
    await jumpTo(page, 0.5);
    searches.push(await searchLatency(page, term, `${n.toLocaleString('en-US')} ${n === 1 ? 'match' : 'matches'}`, allText));
  }
  const searchMs = median(searches);

  await quietFrames(page);
  const typoMs = await timed(async () => {
    await search(page, 'nakamrua');
    await expect(page.getByText('No exact matches, showing close matches')).toBeVisible();
  });
  await search(page, '');
  await expect(page.getByTestId('customer-count')).toHaveText(allText);
  await quietFrames(page);
  const sortMs = await timed(async () => {
    await page.getByRole('button', { name: 'Email' }).click();
    await expect(page.getByRole('columnheader', { name: 'Email' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(list.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
  });

  const figures = {
    firstRowsMs,
    idle: { frames: idle.length, p95Gap: percentileOf(idle, 95), maxGap: Math.max(...idle) },
    reading,
    wheel,
    fling,
    jumpMs,
    searchMs,
    searches,
    typoMs,
    sortMs,
  };
  const out = process.env.RECURRA_BENCH_OUT;
  if (out) fs.writeFileSync(out, JSON.stringify(figures));
  else console.log(JSON.stringify(figures, null, 2));
});
