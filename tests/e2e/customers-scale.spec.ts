import { logIn, shot } from './app-steps';
import { listedNames, search } from './customer-steps';
import { expect, test } from './fixtures';
import { jumpTo, scrollThrough, SCALE_COUNT, SCALE_OWNER, seedScaleBusiness } from './scale-steps';

// 100,000 customers through the real import, then the list in Chromium: it opens, scrolls to any
// point with its rows loaded, searches, sorts, and keeps its place. This test asserts behaviour only;
// how fast each step is (first rows, frame gaps, search latency) is measured by `npm run bench`
// (bench/browser), because a timing asserted here fails whenever the other worker is busy.

test('100,000 customers: the list opens, scrolls, searches, sorts and keeps its place', async ({ app, page }) => {
  test.setTimeout(480_000);
  expect(await seedScaleBusiness(app.core)).toBe(SCALE_COUNT);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Log in to Northwind Fitness' })).toBeVisible();
  await logIn(page, SCALE_OWNER.email, SCALE_OWNER.password);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await page.getByRole('link', { name: 'Customers', exact: true }).click();
  const list = page.getByTestId('customer-list');
  await expect(list.getByTestId('customer-row').first()).toBeVisible();
  await expect(page.getByTestId('customer-count')).toHaveText(`${SCALE_COUNT.toLocaleString('en-US')} customers`);
  await expect(list).toHaveAttribute('aria-rowcount', String(SCALE_COUNT + 1));
  await shot(page, 'customers-list-light');

  // Scrolling at reading speed, then a fling: however the frames fall, the rows come in once it stops.
  const reading = await scrollThrough(page, 40, 120);
  expect(reading.frames).toBeGreaterThan(1);
  await expect(list.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
  const fling = await scrollThrough(page, 4000, 60);
  expect(fling.reached).toBeGreaterThan(0);
  await expect(list.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);

  // Jumps like a scrollbar drag: the middle and the very last customer are there.
  await jumpTo(page, 0.5);
  await jumpTo(page, 1);
  await expect(list.locator(`[role="row"][aria-rowindex="${SCALE_COUNT + 1}"]`)).toBeVisible();
  await jumpTo(page, 0);
  await expect(list.locator('[role="row"][aria-rowindex="2"]')).toBeVisible();

  // Scrolled sideways, the checkbox and the name stay at the left edge (they turn sticky only then).
  const nameLeft = () => list.getByTestId('customer-row').first().getByRole('gridcell').nth(1).evaluate((cell, box) => cell.getBoundingClientRect().left - box.getBoundingClientRect().left, listBox);
  const listBox = await list.elementHandle();
  const unscrolled = await nameLeft();
  await list.evaluate((el) => (el.scrollLeft = 200));
  await expect.poll(() => list.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await expect.poll(nameLeft).toBeCloseTo(unscrolled, 0);
  await list.evaluate((el) => (el.scrollLeft = 0));

  // Search by a surname, from the middle of the list, finds only matching rows, and asks main for the
  // new list's first page alone (not its pages at the old scroll offset); a typo falls back to close matches.
  const asked: { search?: string; offset: number }[] = [];
  page.on('request', (request) => {
    const body = request.url().endsWith('/rpc') ? (request.postDataJSON() as { method: string; input: { search?: string; offset: number } }) : null;
    if (body?.method === 'customers.list') asked.push(body.input);
  });
  await jumpTo(page, 0.5);
  await search(page, 'nakamura');
  await expect.poll(async () => (await listedNames(page)).slice(0, 5).every((n) => n.includes('Nakamura'))).toBe(true);
  await expect(page.getByTestId('customer-count')).not.toHaveText(`${SCALE_COUNT.toLocaleString('en-US')} customers`);
  expect(asked.filter((input) => input.search === 'nakamura').map((input) => input.offset)).toEqual([0]);
  await search(page, 'nakamrua');
  await expect(page.getByText('No exact matches, showing close matches')).toBeVisible();
  await expect.poll(async () => (await listedNames(page)).slice(0, 3).some((n) => n.includes('Nakamura'))).toBe(true);

  // Sort by email: the first rows come in ascending order.
  await search(page, '');
  await expect(page.getByTestId('customer-count')).toHaveText(`${SCALE_COUNT.toLocaleString('en-US')} customers`);
  await page.getByRole('button', { name: 'Email' }).click();
  await expect(page.getByRole('columnheader', { name: 'Email' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(list.locator('[role="row"][aria-busy="true"]')).toHaveCount(0);
  await expect
    .poll(async () => {
      const emails = await list.getByTestId('customer-row').evaluateAll((els) =>
        els
          .map((el) => ({ top: el.getBoundingClientRect().top, email: el.querySelectorAll('[role="gridcell"]')[2]?.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .slice(0, 8)
          .map((r) => r.email),
      );
      return emails.length > 1 && emails.every((e, i) => i === 0 || emails[i - 1]!.toLowerCase() <= e.toLowerCase());
    })
    .toBe(true);

  // Open a customer from deep in the list and come back: the list is where it was left.
  await jumpTo(page, 0.3);
  const leftAt = await list.evaluate((el) => el.scrollTop);
  const box = (await list.boundingBox())!;
  const point = { x: box.x + 400, y: box.y + box.height / 2 };
  // The list renders the rows of its new place a moment after the jump: wait until the row under
  // the pointer is a loaded customer row, or the click lands on the old window or a placeholder.
  await expect
    .poll(() =>
      page.evaluate(({ x, y }) => {
        const row = document.elementFromPoint(x, y)?.closest('[role="row"]');
        return !!row && row.getAttribute('data-testid') === 'customer-row' && row.getAttribute('aria-busy') !== 'true';
      }, point),
    )
    .toBe(true);
  await page.mouse.click(point.x, point.y); // a row in view (a locator click would scroll to its row first)
  await expect(page.getByRole('tab', { name: 'Details' })).toBeVisible();
  await page.goBack();
  await expect(list.getByTestId('customer-row').first()).toBeVisible();
  await expect.poll(async () => Math.abs((await list.evaluate((el) => el.scrollTop)) - leftAt)).toBeLessThan(2);

  await page.getByText('Dark', { exact: true }).click({ force: true });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  // Two rows ticked at the top of the list, where no tick has to scroll first: a scroll moves the
  // window of rows under the pointer (and the header's checkbox changes its name once a row is ticked).
  await jumpTo(page, 0);
  const rowBox = (n: number) => page.getByTestId('customer-row').nth(n).getByRole('checkbox');
  await rowBox(1).check();
  await expect(page.getByTestId('selection-count')).toHaveText('1 selected');
  // The selection bar slides in and the list makes room for it: tick the next row once that has settled
  // (under load, a click whose mouse-down and mouse-up land on different row nodes is no click).
  await expect(page.getByRole('group', { name: 'Selected customers' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Selected customers' })).toBeInViewport();
  await page.waitForTimeout(400);
  await rowBox(3).check();
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  await shot(page, 'customers-list-dark');
});
