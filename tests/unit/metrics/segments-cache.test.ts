import { openBusinessFile } from '../../support/core';
import { describe, expect, it } from 'vitest';
import { loadSegments } from '../../../src-main/core/metrics/segments';
import { billingBusiness } from '../../support/billing';

describe('the segments of the whole history are read again only when the file changed', () => {
  it('reuses the last read until this connection or another one commits; never keeps one read inside a transaction', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 3000 });
    await b.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    const first = loadSegments(b.db);
    expect(first).toHaveLength(1);
    expect(loadSegments(b.db)).toBe(first);

    // A write through the app's own connection.
    await b.subscribe({ planId: plan.id, startDate: '2026-03-02' });
    const second = loadSegments(b.db);
    expect(second).toHaveLength(2);
    expect(loadSegments(b.db)).toBe(second);

    // A commit by another connection to the same file (the billing worker, the CLI).
    const other = openBusinessFile(b.db.file);
    other.prepare("UPDATE subscription_history SET recurring_amount = 4000 WHERE effective_date = '2026-03-02'").run();
    other.close();
    const third = loadSegments(b.db);
    expect(third).not.toBe(second);
    expect(third.map((s) => s.mrr).sort()).toEqual([3000, 4000]);

    // Inside a transaction (which may yet roll back) nothing is kept.
    const rolledBack = b.db.sqlite.transaction(() => {
      b.db.sqlite.prepare("UPDATE subscription_history SET recurring_amount = 5000 WHERE effective_date = '2026-03-02'").run();
      expect(loadSegments(b.db).map((s) => s.mrr).sort()).toEqual([3000, 5000]);
      throw new Error('roll back');
    });
    expect(rolledBack).toThrow('roll back');
    expect(loadSegments(b.db).map((s) => s.mrr).sort()).toEqual([3000, 4000]);
    b.core.close();
  });
});
