import type { ServerDb } from './db/open';

/** What every route gets: the database and the clock. Nothing else is shared between requests. */
export interface ServerContext {
  db: ServerDb;
  now: () => Date;
}
