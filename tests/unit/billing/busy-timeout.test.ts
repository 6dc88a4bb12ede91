import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UI_THREAD_BUSY_TIMEOUT_MS } from '../../../src-main/core/db/open';
import { Core } from '../../../src-main/core/core';
import { silentLogger } from '../../../src-main/core/ports';
import { withBusiness } from '../cli/run-cli';
import { call, FakeClock, MIGRATIONS_DIR, signUp, tempDir } from '../../support/core';
import { LockHolder } from './lock-holder';

// Issue 11, defect 8: with a 20 ms busy timeout, CLI commands failed "busy"
// while a billing run wrote, reads included (the dashboard folds its marks
// in a write transaction; a billing run takes its lease in one).

const holders: LockHolder[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.close();
});

describe('a busy business file', () => {
  it('the CLI waits for another connection’s write transaction (~200 ms) and succeeds, reads and writes', { timeout: 60_000 }, async () => {
    const { cli, asOwner, dataDir, businessId } = await withBusiness();
    await cli(['customer', 'create', '--name', 'Ada', '--email', 'ada@example.com', '--json'], asOwner);
    const holder = new LockHolder(path.join(dataDir, 'businesses', `${businessId}.sqlite`));
    holders.push(holder);
    const commands = [
      ['metrics', '--as-of', '2026-01-31'],
      ['customer', 'create', '--name', 'Bea', '--email', 'bea@example.com'],
      ['metrics', '--as-of', '2026-02-28'],
      ['customer', 'list'],
      ['billing', 'run', '--as-of', '2026-01-31'],
      ['billing', 'status'],
    ];
    for (const command of commands) {
      const { released } = await holder.hold(200);
      const result = await cli([...command, '--json'], asOwner);
      await released;
      expect({ command: command.join(' '), code: result.code, stderr: result.stderr }).toEqual({ command: command.join(' '), code: 0, stderr: '' });
    }
  });

  it('the UI thread (short busy timeout) waits for it without blocking: a read that writes succeeds, timers keep firing meanwhile', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR }, clock: new FakeClock(), logger: silentLogger, busyTimeoutMs: UI_THREAD_BUSY_TIMEOUT_MS });
    const { conn, businessId } = await signUp(core, { timezone: 'UTC' });
    await call(core, conn, 'customers.create', { name: 'Ada', email: 'ada@example.com', paymentMethod: 'card' });
    const holder = new LockHolder(core.businesses.get(businessId).file);
    holders.push(holder);
    const { released } = await holder.hold(200);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    // The dashboard folds the new customer's marks in a write transaction: it must wait for the lock.
    const dashboard = await call(core, conn, 'metrics.dashboard', { asOf: '2026-03-01' });
    clearInterval(timer);
    await released;
    expect(dashboard).toBeTruthy();
    expect(ticks).toBeGreaterThan(0);
    core.close();
  });
});
