// The sync server for bench/sync.ts, in a process of its own so its RSS is
// its own: startServer as `npm run server` starts it (tsx, on 127.0.0.1 and a
// free port; PostgreSQL at DATABASE_URL, else PGlite in the data folder),
// plus the invites the bench needs, made as `npm run server -- invite` makes
// them. Prints one JSON line {url, invites}; stops on SIGTERM or when its
// parent goes away.
import { randomBytes } from 'node:crypto';
import { startServer } from '../src-server/server';
import { createInvite } from '../src-server/sync/store';

const [dataDir, count] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: sync-server.ts DATA_DIR INVITES');
// BENCH_API_RATE: the REST API's per-key rate (bench/api.ts drives one key far past the default 100 a second).
const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, databaseUrl: process.env.DATABASE_URL || undefined,
  // A throwaway database: any key will do (a real deployment sets RECURRA_SERVER_KEY).
  serverKey: process.env.RECURRA_SERVER_KEY || randomBytes(32).toString('base64'), log: () => {}, apiRatePerSecond: Number(process.env.BENCH_API_RATE) || undefined,
  // BENCH_LICENSE_RATE: the license endpoints' rates per address and per key (bench/api-licenses.ts validates from one address).
  licenseRates: Number(process.env.BENCH_LICENSE_RATE) ? { perIpPerMinute: Number(process.env.BENCH_LICENSE_RATE), perKeyPerMinute: Number(process.env.BENCH_LICENSE_RATE) } : undefined });
const invites: string[] = [];
for (let i = 0; i < Number(count ?? 0); i++) invites.push((await createInvite(server.storage.db, new Date())).code);
process.stdout.write(`${JSON.stringify({ url: server.url, invites })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
