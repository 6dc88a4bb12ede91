import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../../bench/insights-churn-data';
import { Core } from '../../../src-main/core/core';
import { sourceInsightsWorkerEntry, WorkerInsights } from '../../../src-main/core/insights/worker-executor';
import { silentLogger } from '../../../src-main/core/ports';
import { FakeClock, MIGRATIONS_DIR, signUp, tempDir } from '../../support/core';
import { loweredSince, niceOfThreads } from '../../support/threads';

// The insights worker keeps its own connection to each business file it computed for. When the business
// is closed (signed out of, restored over, the core shut down), the worker lets go of the file: no handle
// of this process stays open on it (a Windows file with an open handle can be neither replaced nor deleted).
// Counted from /proc/self/fd, which lists the descriptors of every thread of the process (Linux only).

const linux = process.platform === 'linux';

/** Open descriptors of this process (any thread) on the file or its -wal / -shm. */
function handlesOn(file: string): number {
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(file)) n++;
    } catch {
      // closed while listed
    }
  }
  return n;
}

let core: Core | undefined;
afterEach(() => core?.close());

describe.runIf(linux)('the insights worker lets go of a closed business', () => {
  it('runs at a lower priority than the thread serving the window', async () => {
    const before = niceOfThreads();
    const insights = new WorkerInsights(sourceInsightsWorkerEntry());
    core = new Core({ paths: { dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR }, clock: new FakeClock(new Date('2026-12-01T12:00:00Z')), logger: silentLogger, insightsExecutor: insights });
    const { businessId } = await signUp(core, { timezone: 'UTC' });
    await insights.run(core.businesses.get(businessId), { kind: 'ltv', asOf: '2026-12-01', today: '2026-12-01' });
    const after = niceOfThreads();
    expect(after.get(process.pid)).toBe(0);
    expect(loweredSince(before, after, 10)).toEqual({ lowered: [expect.any(Number)], othersKept: true });
  }, 60_000);

  it('closes its connection when the business is closed, and opens it again when asked', async () => {
    const insights = new WorkerInsights(sourceInsightsWorkerEntry());
    core = new Core({ paths: { dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR }, clock: new FakeClock(new Date('2026-12-01T12:00:00Z')), logger: silentLogger, insightsExecutor: insights });
    const { businessId } = await signUp(core, { timezone: 'UTC' });
    const db = core.businesses.get(businessId);
    seedChurnBook(db.sqlite, 60, 3);
    const thisThread = handlesOn(db.file);
    const query = { kind: 'ltv', asOf: CHURN_BOOK_AS_OF, today: '2026-12-01' } as const;
    const before = await insights.run(db, query);
    expect(before.customers.length).toBeGreaterThan(0);
    // The worker holds the file too while the business is open.
    expect(handlesOn(db.file)).toBeGreaterThan(thisThread);
    core.businesses.close(businessId);
    // This thread's connection is closed at once; the worker's as soon as it reads the message.
    await vi.waitFor(() => expect(handlesOn(db.file)).toBe(0), { timeout: 10_000 });
    // The worker is still running and opens the file again when the business is.
    const again = core.businesses.get(businessId);
    expect(await insights.run(again, query)).toStrictEqual(before);
    expect(handlesOn(again.file)).toBeGreaterThan(thisThread);
  }, 60_000);

  it('lets go of every file when the core shuts down', async () => {
    const insights = new WorkerInsights(sourceInsightsWorkerEntry());
    core = new Core({ paths: { dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR }, clock: new FakeClock(new Date('2026-12-01T12:00:00Z')), logger: silentLogger, insightsExecutor: insights });
    const a = await signUp(core, { timezone: 'UTC' });
    const b = await signUp(core, { timezone: 'UTC', ownerEmail: 'second@example.com', businessName: 'Second' });
    const files = [core.businesses.get(a.businessId), core.businesses.get(b.businessId)].map((db) => db.file);
    for (const id of [a.businessId, b.businessId]) await insights.run(core.businesses.get(id), { kind: 'ltv', asOf: '2026-12-01', today: '2026-12-01' });
    core.close();
    core = undefined;
    await vi.waitFor(() => expect(files.map(handlesOn)).toStrictEqual([0, 0]), { timeout: 10_000 });
  }, 60_000);
});
