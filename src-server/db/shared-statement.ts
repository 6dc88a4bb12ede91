import type { ServerDb } from './open';

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
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
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
