import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';
import { CHURN_BOOK_AS_OF, seedChurnBook } from '../../../bench/insights-churn-data';
import { Core } from '../../../src-main/core/core';
import type { BusinessDb } from '../../../src-main/core/db/open';
import { newId } from '../../../src-main/core/ids';
import { churnInsight, ltvInsight } from '../../../src-main/core/insights/insights-handlers';
import { sourceInsightsWorkerEntry, WorkerInsights } from '../../../src-main/core/insights/worker-executor';
import { silentLogger } from '../../../src-main/core/ports';
import { call, FakeClock, MIGRATIONS_DIR, signUp, tempDir, type TestConnection } from '../../support/core';

// Churn and LTV computed in the insights worker (its own connection to the file), as the app does:
// the same answers as on the calling thread, the calling thread free while it works, and the answer
// kept until the books change.

let core: Core;
let conn: TestConnection;
let db: BusinessDb;
const TODAY = '2026-12-01';

beforeAll(async () => {
  core = new Core({
    paths: { dataDir: tempDir(), migrationsDir: MIGRATIONS_DIR },
    clock: new FakeClock(new Date(`${TODAY}T12:00:00Z`)),
    logger: silentLogger,
    insightsExecutor: new WorkerInsights(sourceInsightsWorkerEntry()),
  });
  const s = await signUp(core, { timezone: 'UTC' });
  conn = s.conn;
  db = core.businesses.get(s.businessId);
  seedChurnBook(db.sqlite, 600, 5);
}, 120_000);
afterAll(async () => {
  await core.insights.close?.();
  core.close();
});

describe('insights in a worker', () => {
  it('answers insights.churn and insights.ltv as the calling thread computes them, without holding it up', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const churn = await call(core, conn, 'insights.churn', { asOf: CHURN_BOOK_AS_OF });
    clearInterval(timer);
    // The worker started, loaded the book and trained the model while this thread went on turning.
    expect(ticks).toBeGreaterThan(5);
    const ltv = await call(core, conn, 'insights.ltv', { asOf: CHURN_BOOK_AS_OF });
    expect(churn.ready).toBe(true);
    expect(churn.customers.length).toBeGreaterThan(100);
    // What the dispatcher sends of the inline computation (its output parsed by the contract, as every answer is).
    expect(churn).toStrictEqual(contract['insights.churn'].output.parse(churnInsight(db, CHURN_BOOK_AS_OF, TODAY)));
    expect(ltv).toStrictEqual(contract['insights.ltv'].output.parse(ltvInsight(db, CHURN_BOOK_AS_OF, TODAY)));
    // The handlers' own trimming still applies.
    expect((await call(core, conn, 'insights.churn', { asOf: CHURN_BOOK_AS_OF, top: 3 })).customers).toStrictEqual(churn.customers.slice(0, 3));
  }, 60_000);

  it('keeps the answer until the books change, then asks the worker again', async () => {
    const first = await core.insights.churn(db, CHURN_BOOK_AS_OF, TODAY);
    expect(await core.insights.churn(db, CHURN_BOOK_AS_OF, TODAY)).toBe(first);
    // Two callers at once share one computation after a change.
    const top = first.customers[0]!;
    for (let i = 0; i < 6; i++) {
      db.sqlite.prepare("INSERT INTO customer_events (id, customer_id, kind, title, occurred_at, created_at) VALUES (?, ?, 'note', 'Complaint', ?, ?)").run(newId(), top.customerId, `${CHURN_BOOK_AS_OF}T09:00:00.000Z`, `${CHURN_BOOK_AS_OF}T09:00:00.000Z`);
    }
    const [a, b] = await Promise.all([core.insights.churn(db, CHURN_BOOK_AS_OF, TODAY), core.insights.churn(db, CHURN_BOOK_AS_OF, TODAY)]);
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    expect(a).toStrictEqual(churnInsight(db, CHURN_BOOK_AS_OF, TODAY));
    const notes = (r: typeof first) => r.customers.find((c) => c.customerId === top.customerId)!.factors.find((f) => f.factor === 'notes');
    expect(notes(a)?.text).not.toBe(notes(first)?.text);
  }, 60_000);

  it('reports a failure in the worker as an error, and the next call still works', async () => {
    await expect(core.insights.churn(db, 'not a date', TODAY)).rejects.toThrow(/asOf/);
    expect((await core.insights.ltv(db, CHURN_BOOK_AS_OF, TODAY)).customers.length).toBeGreaterThan(100);
  }, 60_000);
});
