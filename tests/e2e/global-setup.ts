import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStorage } from '../../src-server/db/open';

/**
 * The sync server's PGlite storage, created and migrated once per run (from
 * empty, by the server's own code), for every end-to-end test that starts a
 * server to copy (serverDataDir in fixtures.ts): a fresh one costs seconds of CPU.
 * Its folder reaches the workers through the environment.
 */
export default async function globalSetup(): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-e2e-pglite-template-'));
  const storage = await openStorage({ dataDir: dir });
  await storage.close();
  process.env.RECURRA_E2E_PGLITE_TEMPLATE = path.join(dir, 'pgdata');
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
