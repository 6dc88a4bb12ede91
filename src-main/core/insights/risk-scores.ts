import { dateInTimeZone } from '@shared/domain/dates';
import type { BusinessDb } from '../db/open';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import { validation } from '../errors';
import { RISK_TABLE, type RiskLookup } from '../customers/customer-search';
import type { SessionServices } from '../services';
import { scratchWrite } from './cache';

// The customers list's risk sort and "At risk" filter (and a campaign to that view) read today's churn
// scores: insights.churn's own answer, computed by the insights executor (the worker in the app, kept
// until the books change), copied into a TEMP table of this connection that the list's SQL joins. This
// thread never computes churn; it copies the scores once per answer (about 150 ms at 100,000 customers).

const filledWith = new WeakMap<BusinessDb['sqlite'], string>();

/** Today's churn scores, ready in `temp.customer_risk` for the list's SQL: ask before the SQL that reads them runs. */
export async function todaysRisk(ctx: { db: BusinessDb; now: Date; services: Pick<SessionServices, 'insights'> }): Promise<() => RiskLookup> {
  const today = dateInTimeZone(ctx.now, businessTimezone(ctx.db));
  // The scores only, as one JSON string made in the worker (a string crosses threads in one copy; the
  // churn answer's 100,000 objects took seconds to unpack here).
  fillRiskTable(ctx.db, await ctx.services.insights.run({ kind: 'risk-rows', asOf: today, today }));
  return () => ({ table: RISK_TABLE });
}

/** Copies the scores (JSON of [customerId, score, at risk]) into the TEMP table (nothing to do if it holds them already). */
export function fillRiskTable(db: BusinessDb, rows: string): void {
  const s = db.sqlite;
  if (filledWith.get(s) === rows) return;
  scratchWrite(s, () => {
    s.exec(`CREATE TEMP TABLE IF NOT EXISTS customer_risk (customer_id TEXT PRIMARY KEY, score INTEGER NOT NULL, at_risk INTEGER NOT NULL) WITHOUT ROWID`);
    s.transaction(() => {
      stmt(s, `DELETE FROM ${RISK_TABLE}`).run();
      stmt(s, `INSERT INTO ${RISK_TABLE} (customer_id, score, at_risk) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`).run(rows);
    })();
  });
  filledWith.set(s, rows);
}

/** Whether a list's filter or order reads the churn scores. */
export function listNeedsRisk(input: { atRisk?: boolean | undefined; sort?: string | undefined }): boolean {
  return input.atRisk !== undefined || input.sort === 'risk';
}

/**
 * For a write that filters by risk (a bulk change to everyone "At risk"): it runs in a transaction and
 * cannot wait for the worker, so it reads the scores last copied for this connection, those of the list
 * the person was looking at. None copied yet: a validation error naming the filter.
 */
export function riskAsShown(db: BusinessDb): () => RiskLookup {
  return () => {
    if (!filledWith.has(db.sqlite)) throw validation('atRisk', 'The churn scores are not loaded yet: show the list with this filter first');
    return { table: RISK_TABLE };
  };
}
