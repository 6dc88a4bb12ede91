import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core/core';
import type { BusinessDb } from '../../../src-main/core/db/open';
import { silentLogger } from '../../../src-main/core/ports';
import { enableSync, writeSyncState } from '../../../src-main/core/sync';
import { AutoSync, type AutoSyncTimers } from '../../../src-main/core/sync-client/auto-sync';
import { SyncRemoteError } from '../../../src-main/core/sync-client/http';
import type { SyncNowResult } from '../../../src-main/core/sync-client/sync-client';
import { makeCore, signUp } from '../../support/core';

// The app's automatic sync (spec/server.md "The app syncs by itself"), on a
// clock the test moves by hand: debounce, interval, back-off while offline or
// refused, one sync at a time, none during this process's billing run.

/** setTimeout on a hand-moved clock: `advance` fires what falls due, in order. */
class ManualTimers implements AutoSyncTimers {
  t = 0;
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.queue.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.queue.delete(handle as number);
  };
  get pending() {
    return [...this.queue.values()].map((q) => q.at - this.t).sort((a, b) => a - b);
  }
  async advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.queue.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.queue.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

const OPTIONS = { debounceMs: 4_000, maxWaitMs: 30_000, intervalMs: 300_000, backoffMs: 30_000, maxBackoffMs: 1_800_000, billingWaitMs: 5_000, startDelayMs: 1_000 };
const OK: SyncNowResult = { pushed: 0, pulled: 0, conflicts: 0, lastSyncAt: '2026-03-01T12:00:00.000Z' };
const offline = () => new SyncRemoteError('conflict', 'The sync server at http://127.0.0.1:9 could not be reached', 'unreachable', null);

const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

async function connectedBusiness(): Promise<BusinessDb> {
  const { core } = makeCore();
  cores.push(core);
  const { businessId } = await signUp(core);
  const db = core.businesses.get(businessId);
  db.sqlite.transaction(() => {
    enableSync(db, 'dev1');
    writeSyncState(db, { server: 'http://127.0.0.1:9', deviceId: 'dev1', deviceName: 'Front desk', cursor: 0, lastSyncAt: null, billingDevice: { id: 'dev1', name: 'Front desk' } });
  })();
  return db;
}

function harness(db: BusinessDb, behave: () => Promise<SyncNowResult> = () => Promise.resolve(OK)) {
  const timers = new ManualTimers();
  const calls: number[] = [];
  let billing = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const state = { behave };
  const auto = new AutoSync({
    sync: async () => {
      calls.push(timers.now());
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await state.behave();
      } finally {
        inFlight -= 1;
      }
    },
    billingRunning: () => billing,
    changed: () => {},
    logger: silentLogger,
    clock: { now: () => new Date(timers.now()) },
    timers,
    options: OPTIONS,
  });
  auto.start(db);
  return {
    auto,
    timers,
    calls,
    state,
    setBilling: (on: boolean) => (billing = on),
    maxInFlight: () => maxInFlight,
  };
}

describe('automatic sync', () => {
  it('syncs at start-up, then every interval', async () => {
    const db = await connectedBusiness();
    const h = harness(db);
    await h.timers.advance(999);
    expect(h.calls).toEqual([]);
    await h.timers.advance(1);
    expect(h.calls).toEqual([1_000]);
    await h.timers.advance(300_000);
    expect(h.calls).toEqual([1_000, 301_000]);
    expect(h.auto.indicator(db)).toMatchObject({ connected: true, state: 'ok', problem: null, syncing: false, auto: true });
  });

  it('debounces local changes: one sync a few seconds after the last, and at most maxWait after the first', async () => {
    const db = await connectedBusiness();
    const h = harness(db);
    await h.timers.advance(1_000); // the start-up sync
    h.calls.length = 0;
    for (let i = 0; i < 3; i++) {
      h.auto.localChange(db.businessId);
      await h.timers.advance(2_000);
    }
    expect(h.calls).toEqual([]); // each change pushed the sync back
    await h.timers.advance(2_000);
    expect(h.calls).toEqual([h.timers.t]);
    // A steady stream (a change every 3 s) still syncs within maxWait of its first change.
    h.calls.length = 0;
    const first = h.timers.t;
    for (let i = 0; i < 12; i++) {
      h.auto.localChange(db.businessId);
      await h.timers.advance(3_000);
    }
    expect(h.calls[0]).toBe(first + 30_000);
  });

  it('offline: backs off (30 s, 60 s, 120 s...), keeps changes queued, and a success resets it', async () => {
    const db = await connectedBusiness();
    const h = harness(db, () => Promise.reject(offline()));
    await h.timers.advance(1_000);
    expect(h.calls).toEqual([1_000]);
    const indicator = h.auto.indicator(db);
    expect(indicator.state).toBe('offline');
    expect(indicator.problem).toMatch(/could not be reached/);
    // A local change during the back-off does not bring the next attempt forward.
    h.auto.localChange(db.businessId);
    await h.timers.advance(29_999);
    expect(h.calls).toHaveLength(1);
    await h.timers.advance(1);
    expect(h.calls).toEqual([1_000, 31_000]);
    await h.timers.advance(60_000);
    expect(h.calls).toEqual([1_000, 31_000, 91_000]);
    await h.timers.advance(120_000);
    expect(h.calls).toEqual([1_000, 31_000, 91_000, 211_000]);
    // Back online: the next attempt succeeds and the interval is the normal one again.
    h.state.behave = () => Promise.resolve(OK);
    await h.timers.advance(240_000);
    expect(h.calls).toHaveLength(5);
    expect(h.auto.indicator(db).state).toBe('ok');
    expect(h.timers.pending).toEqual([300_000]);
  });

  it('a refusal (revoked, suspended) waits the longest back-off and says why', async () => {
    const db = await connectedBusiness();
    const h = harness(db, () => Promise.reject(new SyncRemoteError('forbidden', 'This PC was removed from the business (device_revoked)', 'device_revoked', 403)));
    await h.timers.advance(1_000);
    expect(h.auto.indicator(db)).toMatchObject({ state: 'refused', problem: 'This PC was removed from the business (device_revoked)' });
    expect(h.timers.pending).toEqual([1_800_000]);
  });

  it('one sync at a time: a change or a Sync now during a sync waits for it', async () => {
    const db = await connectedBusiness();
    let release: () => void = () => {};
    const h = harness(db, () => new Promise((resolve) => (release = () => resolve(OK))));
    await h.timers.advance(1_000);
    expect(h.calls).toHaveLength(1);
    expect(h.auto.indicator(db).syncing).toBe(true);
    h.auto.localChange(db.businessId);
    await h.timers.advance(60_000); // no second sync starts while the first runs
    expect(h.calls).toHaveLength(1);
    const byHand = h.auto.syncNow(db);
    await flush();
    expect(h.calls).toHaveLength(1);
    release();
    await flush();
    expect(h.calls).toHaveLength(2); // Sync now, once the first ended
    release();
    await expect(byHand).resolves.toEqual(OK);
    expect(h.maxInFlight()).toBe(1);
    // The Sync now carried the change made during the first sync: next is the interval.
    expect(h.timers.pending).toEqual([300_000]);
    // Without a Sync now, a change made during a sync is synced a debounce after it ends.
    await h.timers.advance(300_000);
    expect(h.calls).toHaveLength(3);
    h.auto.localChange(db.businessId);
    release();
    await flush();
    expect(h.timers.pending).toEqual([4_000]);
    expect(h.maxInFlight()).toBe(1);
  });

  it('changes a sync leaves behind (what the pull merged) are pushed a debounce later, once', async () => {
    const db = await connectedBusiness();
    // A sync that leaves a change waiting every time (as a pull that writes audit rows would).
    const h = harness(db, () => {
      db.sqlite.prepare("UPDATE business SET name = name || '.'").run();
      return Promise.resolve(OK);
    });
    await h.timers.advance(1_000);
    expect(h.timers.pending).toEqual([4_000]);
    await h.timers.advance(4_000);
    expect(h.calls).toEqual([1_000, 5_000]);
    expect(h.timers.pending).toEqual([300_000]); // not again: the interval
  });

  it('waits while a billing run holds the business, then syncs', async () => {
    const db = await connectedBusiness();
    const h = harness(db);
    h.setBilling(true);
    await h.timers.advance(1_000 + 5_000 * 3);
    expect(h.calls).toEqual([]);
    h.setBilling(false);
    await h.timers.advance(5_000);
    expect(h.calls).toHaveLength(1);
  });

  it('a business that never connected: nothing runs, the indicator says not connected', async () => {
    const { core } = makeCore();
    cores.push(core);
    const { businessId } = await signUp(core);
    const db = core.businesses.get(businessId);
    const h = harness(db);
    h.auto.localChange(businessId);
    await h.timers.advance(600_000);
    expect(h.calls).toEqual([]);
    expect(h.auto.indicator(db)).toMatchObject({ connected: false, pending: 0 });
  });

  it('stops with the business: no timer left', async () => {
    const db = await connectedBusiness();
    const h = harness(db);
    h.auto.stop(db.businessId);
    expect(h.timers.pending).toEqual([]);
    await h.timers.advance(600_000);
    expect(h.calls).toEqual([]);
  });

  it('with the real client and no server listening: offline, the changes stay queued and counted', async () => {
    const { core } = makeCore();
    cores.push(core);
    const { businessId } = await signUp(core);
    const db = core.businesses.get(businessId);
    db.sqlite.transaction(() => {
      enableSync(db, 'dev1');
      // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
      writeSyncState(db, { server: 'http://127.0.0.1:9', deviceId: 'dev1', deviceName: 'Front desk', cursor: 0, lastSyncAt: null, billingDevice: { id: 'dev1', name: 'Front desk' } });
    })();
    await core.secrets.set(`sync-token:${businessId}`, 'x'.repeat(43));
    db.sqlite.prepare("UPDATE business SET name = 'Renamed'").run();
    const timers = new ManualTimers();
    const auto = new AutoSync({ sync: (d) => core.sync.now(d), billingRunning: () => false, changed: () => {}, logger: silentLogger, clock: core.clock, timers, options: OPTIONS });
    auto.start(db);
    await timers.advance(1_000);
    await auto.idle();
    const indicator = auto.indicator(db);
    expect(indicator).toMatchObject({ connected: true, state: 'offline' });
    expect(indicator.pending).toBeGreaterThan(0);
    expect(timers.pending).toEqual([30_000]);
    auto.stop(businessId);
  });
});
