import { pgliteOf, type ServerDb } from './open';

/**
 * Requests that each need a statement started after they arrived share one: a request joins the next
 * statement to start, never one already running, so what it reads is younger than the request. The
 * caches of the REST API (licenses/verdict-cache.ts, api/page-cache.ts) check what they kept this way,
 * one statement for however many requests came in while the last one ran.
 */
export class SharedStatement<Ask, Answer> {
  private waiting: { ask: Ask; resolve: (answer: Answer) => void; reject: (error: unknown) => void }[] = [];
  private running = false;
  /** Statements run (tests: the requests share them). */
  runs = 0;

  /** `statement` answers every ask of a batch, in order. */
  constructor(private readonly statement: (asks: Ask[]) => Promise<Answer[]>) {}

  /** This ask's answer, by the next statement to start. */
  ask(ask: Ask): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ask, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Started once this turn of the event loop is over, so the requests it parsed join: on PGlite a statement runs
        // at once, on this thread, and would otherwise be over before the next request is read (one statement each).
        setImmediate(() => void this.run());
      }
    });
  }

  private async run(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        this.runs += 1;
        const answers = await this.statement(batch.map((w) => w.ask));
        batch.forEach((w, i) => w.resolve(answers[i]!));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
  }
}

/** One `make(db)` per database handle: a server process has one handle, tests run several servers with their own. */
export function perHandle<T>(make: (db: ServerDb) => T): (db: ServerDb) => T {
  const kept = new WeakMap<ServerDb, T>();
  return (db) => {
    let value = kept.get(db);
    if (value === undefined) kept.set(db, (value = make(db)));
    return value;
  };
}

/**
 * PGlite only (null on PostgreSQL): the text of `pg_current_snapshot()` now,
 * by the next statement to start (shared as above). PGlite is one backend in
 * this process, running one statement or transaction at a time, so no other
 * transaction is ever in progress when this runs; the snapshot's xmax is the
 * next transaction id, which only a transaction that wrote takes (a read takes
 * none). So the text is the same at two moments if and only if nothing was
 * written, by anyone, in between: what the caches kept as of the first moment
 * still holds at the second, whatever they depend on, without asking about it.
 * A write anywhere (another business, the API usage counts) moves it, and the
 * caches then check what they kept the long way (their own stamps).
 * tests/server/licenses.test.ts checks this premise for reads and each kind of write.
 */
export const writeSnapshotOf = perHandle((db): SharedStatement<null, string> | null => {
  const client = pgliteOf(db);
  if (!client) return null;
  return new SharedStatement<null, string>(async (asks) => {
    const { rows } = await client.query('select pg_current_snapshot()::text as snapshot');
    const snapshot = (rows[0] as { snapshot: string }).snapshot;
    return asks.map(() => snapshot);
  });
});
