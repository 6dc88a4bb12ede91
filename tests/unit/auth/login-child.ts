import { createInterface } from 'node:readline';
import { Core } from '../../../src-main/core/core';
import { silentLogger } from '../../../src-main/core/ports';

// One process trying a wrong password, for the parallel lockout test: it loads
// and opens the business, says "ready", waits for "go" on stdin, then logs in.
const [dataDir, migrationsDir, businessId, email] = process.argv.slice(2) as [string, string, string, string];
const core = new Core({ paths: { dataDir, migrationsDir }, logger: silentLogger });
// As ARCHITECTURE.md documents (5 s; issue 11 defect 8 sets it in db/open.ts): six processes
// released together queue for the write lock, and a 20 ms wait would refuse some as "busy".
// The file is encrypted: its key comes from the secret store first (as a login does through dispatch).
await core.businesses.unlockAll();
core.businesses.get(businessId).sqlite.pragma('busy_timeout = 5000');
const conn = { id: `child-${process.pid}`, sessionId: null, send() {} };
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  void core.dispatch(conn, 'auth.login', { businessId, email, password: 'not the password' }).then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    lines.close();
    core.close();
  });
});
