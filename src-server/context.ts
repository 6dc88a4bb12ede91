import type { ServerDb } from './db/open';
import type { ServerKey } from './server-key';

/** What every route gets: the database, the clock and the server key (server-key.ts). Nothing else is shared between requests. */
export interface ServerContext {
  db: ServerDb;
  now: () => Date;
  serverKey: ServerKey;
}
