import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../../src-main/core/core';
import { silentLogger } from '../../../src-main/core/ports';
import { MAX_FAILED_LOGINS } from '../../../src-main/core/auth/passwords';
import { bundleChild, type ChildBundle } from '../../support/child-bundle';
import { callError, connect, makeCore, MIGRATIONS_DIR, OWNER_PASSWORD, signUp } from '../../support/core';

// Issue 11, defect 7: ten wrong passwords at once wrote ten failure rows but a
// failed count of 1, and no lock. Real parallelism: ten processes, each with
// its own connection to the business file, released together.

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** login-child.ts, bundled once for the six processes. */
let bundle: ChildBundle;
beforeAll(async () => {
  bundle = await bundleChild(path.join(import.meta.dirname, 'login-child.ts'));
}, 60_000);
afterAll(() => bundle?.remove());
const TRIES = 6;

function startChild(args: string[]): { child: ChildProcess; ready: Promise<void>; result: Promise<string> } {
  const child = spawn(process.execPath, [bundle.file, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const result = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.startsWith('ready\n')) onReady();
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.slice('ready\n'.length).trim()) : reject(new Error(`child exited ${code}: ${out}`))));
  });
  return { child, ready, result };
}

describe('the login lockout', () => {
  it('counts every one of six parallel wrong passwords (ten in the probe), and locks', { timeout: 120_000 }, async () => {
    const { core, dataDir } = makeCore();
    const { businessId } = await signUp(core);
    core.close();

    const children = Array.from({ length: TRIES }, () => startChild([dataDir, MIGRATIONS_DIR, businessId, 'olivia@example.com']));
    await Promise.all(children.map((c) => c.ready));
    for (const { child } of children) child.stdin!.write('go\n');
    const results = (await Promise.all(children.map((c) => c.result))).map((r) => JSON.parse(r) as { ok: boolean; error?: { code: string } });
    expect(results.map((r) => r.error?.code)).toEqual(Array(TRIES).fill('unauthenticated'));

    const after = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, logger: silentLogger });
    try {
      const db = after.businesses.get(businessId);
      const user = db.sqlite.prepare('SELECT failed_login_count AS failed, locked_until AS lockedUntil FROM users').get() as { failed: number; lockedUntil: number | null };
      const rows = db.sqlite
        .prepare(`SELECT action, after FROM audit_log WHERE action IN ('auth.loginFailed', 'auth.locked')`)
        .all() as { action: string; after: string }[];
      const counts = rows.map((r) => (JSON.parse(r.after) as { failedLoginCount: number }).failedLoginCount);
      // Each recorded failure saw the ones before it: the counts climb to the lock, not "1" ten times.
      expect(Math.max(...counts)).toBe(MAX_FAILED_LOGINS);
      expect(rows.filter((r) => r.action === 'auth.locked').length).toBeGreaterThanOrEqual(1);
      expect(user.lockedUntil).not.toBeNull();
      expect(user.lockedUntil!).toBeGreaterThan(Date.now());
      // Locked: even the right password is refused now.
      const refused = await callError(after, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
      expect(refused.message).toMatch(/^Too many failed attempts/);
    } finally {
      after.close();
    }
  });
});
