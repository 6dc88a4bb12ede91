import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runRecorded } from '../../../src-main/core/billing/run-recorder';
import { billingBusiness } from '../../support/billing';

// Issue 11, defect 10 (its WAL part): the run turns SQLite's automatic
// checkpoint off, and a big catch-up run grew the WAL to 266 MB before its
// final checkpoint. Past a size, the run checkpoints between batches.

const LIMIT = 256 * 1024;
/** A checkpointed WAL restarts from its beginning: one batch of this test writes well under this. */
const BOUND = LIMIT + 1024 * 1024;

describe('the WAL during a billing run', () => {
  it('stays under a bound through a run of many small batches, and is emptied at the end', { timeout: 60_000 }, async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    for (let i = 0; i < 60; i++) {
      await b.subscribe({ planId: plan.id, startDate: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}`, customerId: (await b.customer(i % 7 === 0 ? 'card_declining' : 'card')).id });
    }
    const db = b.db;
    const wal = () => fs.statSync(`${db.file}-wal`).size;
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const sizes: number[] = [];
    const summary = runRecorded(db, { asOf: '2026-06-30', trigger: 'manual', userId: null, batchSize: 10, walLimitBytes: LIMIT }, {
      now: () => new Date('2026-07-01T00:00:00Z'),
      onProgress: () => sizes.push(wal()),
    });
    expect(summary.invoicesIssued).toBeGreaterThan(500);
    expect(sizes.length).toBeGreaterThan(50);
    // Without checkpoints between batches this run's WAL grows to about 24 MB.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(BOUND);
    // ...and leaves an empty WAL when nobody else reads.
    expect(wal()).toBe(0);
    b.close();
  });
});
