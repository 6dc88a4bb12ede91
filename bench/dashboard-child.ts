import { performance } from 'node:perf_hooks';
import { openBusinessDb } from '../src-main/core/db/open';
import { newId } from '../src-main/core/ids';
import { dashboard } from '../src-main/core/metrics/dashboard';
import { sourceMigrationsDir } from '../src-main/core/paths';
import { rawDashboard } from './dashboard-raw';

/**
 * The dashboard bench proper, in a fresh process (bench/reports.ts spawns it
 * on the seeded file): the cold first open (opening the file, then the
 * dashboard), then rounds that each write a change and open the dashboard,
 * alternating with the hand-SQL full computation; prints one JSON line with
 * the samples and the process's peak RSS.
 */
const [file, asOf, roundsArg] = process.argv.slice(2) as [string, string, string];
const rounds = Number(roundsArg);

const coldStart = performance.now();
// The business's data key from the parent (the file is encrypted; this process has no keychain).
const keyHex = process.env.RECURRA_BENCH_KEY;
const db = openBusinessDb('bench', file, { migrationsDir: sourceMigrationsDir(), ...(keyHex ? { key: Buffer.from(keyHex, 'hex') } : {}) });
const openMs = performance.now() - coldStart;
const first = dashboard(db, asOf, 'UTC');
const coldMs = performance.now() - coldStart;

const raw = rawDashboard(db.sqlite, asOf);
if (raw().mrr !== first.summary.mrr) throw new Error(`raw MRR ${raw().mrr} differs from the dashboard's ${first.summary.mrr}`);

// A change before each round, as the books change between two opens: a subscription's quantity
// change effective on the as-of date (its customer's MRR steps are recomputed) and a payment on it
// (the revenue of the day moves), each its own committed transaction.
const subs = db.sqlite.prepare("SELECT id, customer_id, plan_id, recurring_amount FROM subscription_history WHERE status = 'active' AND effective_date <= ? LIMIT ?").all(asOf, rounds) as {
  id: string;
  customer_id: string;
  plan_id: string;
  recurring_amount: number;
}[];
const subscriptionOf = db.sqlite.prepare('SELECT subscription_id FROM subscription_history WHERE id = ?').pluck();
const change = db.sqlite.transaction((i: number) => {
  const h = subs[i % subs.length]!;
  db.sqlite
    .prepare(
      `INSERT INTO subscription_history (id, subscription_id, customer_id, seq, effective_date, event, status, plan_id, quantity, recurring_amount, recorded_at)
       VALUES (?, ?, ?, 1000 + ?, ?, 'changed', 'active', ?, 2, ?, ?)`,
    )
    .run(newId(), subscriptionOf.get(h.id), h.customer_id, i, asOf, h.plan_id, 2 * h.recurring_amount, new Date().toISOString());
  db.sqlite
    .prepare("INSERT INTO payments (id, customer_id, amount, currency, method, status, paid_on, created_at) VALUES (?, ?, 100, 'USD', 'cash', 'succeeded', ?, ?)")
    .run(newId(), h.customer_id, asOf, new Date().toISOString());
});

const oursMs: number[] = [];
const rawMs: number[] = [];
for (let i = 0; i < rounds; i++) {
  let start = performance.now();
  const bound = raw();
  rawMs.push(performance.now() - start);
  change(i);
  start = performance.now();
  const board = dashboard(db, asOf, 'UTC');
  oursMs.push(performance.now() - start);
  if (i === rounds - 1 && board.summary.mrr !== raw().mrr) throw new Error(`round ${i}: MRR ${board.summary.mrr}, raw ${bound.mrr} before the change`);
}
db.sqlite.close();
process.stdout.write(`${JSON.stringify({ coldMs, openMs, oursMs, rawMs, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
