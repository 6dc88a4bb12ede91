import type { SyncIndicator } from '@shared/contract/sync-auto';
import type { BusinessService } from '../businesses';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { AppError } from '../errors';
import type { Clock, Logger } from '../ports';
import { pendingCount, readSyncState } from '../sync';
import { SyncRemoteError } from './http';
import type { SyncNowResult } from './sync-client';

// The app syncs by itself (spec/server.md, "Connecting PCs"): at start-up, a
// few seconds after each local change, and every few minutes, while the
// server answers; offline (or refused) it keeps the changes queued and backs
// off. One sync at a time per business, never while this process's billing
// run is under way. The app and the browser host start it for each open
// business (a BusinessService); the CLI never does.

/** Timers the scheduler runs on: the real ones in the app, a hand-moved clock in tests. */
export interface AutoSyncTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, with the time read from the core's clock. */
export const systemTimers = (clock: Clock): AutoSyncTimers => ({
  now: () => clock.now().getTime(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

export interface AutoSyncOptions {
  /** Quiet time after a local change before syncing (debounce). */
  debounceMs: number;
  /** A stream of changes still syncs after at most this long. */
  maxWaitMs: number;
  /** Every so often while all is well (to pull the other PCs' changes). */
  intervalMs: number;
  /** First wait after a failure; doubled each further failure up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How soon to look again when a billing run holds the business. */
  billingWaitMs: number;
  /** The first sync after the business opens. */
  startDelayMs: number;
}

export const DEFAULT_AUTO_SYNC: AutoSyncOptions = {
  debounceMs: 4_000,
  maxWaitMs: 30_000,
  intervalMs: 5 * 60_000,
  backoffMs: 30_000,
  maxBackoffMs: 30 * 60_000,
  billingWaitMs: 5_000,
  startDelayMs: 1_000,
};




export interface AutoSyncDeps {
  /** One sync of a business (SyncClient.now: push, then pull). */
  sync(db: BusinessDb): Promise<SyncNowResult>;
  /** Whether this process is running billing for the business. */
  billingRunning(businessId: string): boolean;
  /** The indicator changed: the windows refresh it. */
  changed(businessId: string): void;
  logger: Logger;
  clock: Clock;
  timers?: AutoSyncTimers;
  options?: Partial<AutoSyncOptions>;
}

type Outcome = 'ok' | 'offline' | 'refused' | 'error';

interface Entry {
  db: BusinessDb;
  timer: unknown;
  /** When the timer fires (ms), or null. */
  dueAt: number | null;
  /** The first local change not yet synced (for maxWait). */
  firstChangeAt: number | null;
  running: boolean;
  /** A change or a request came while a sync ran: go again soon after it. */
  again: boolean;
  failures: number;
  outcome: Outcome | null;
  problem: string | null;
  lastAttemptAt: number | null;
  /** Failures put the next attempt here; local changes do not bring it forward. */
  backoffUntil: number | null;
  /** The last sync was a follow-up of changes a sync itself left (not repeated). */
  followedUp: boolean;
  stopped: boolean;
}

export class AutoSync implements BusinessService {
  private readonly entries = new Map<string, Entry>();
  private readonly timers: AutoSyncTimers;
  private readonly options: AutoSyncOptions;

  constructor(private readonly deps: AutoSyncDeps) {
    this.timers = deps.timers ?? systemTimers(deps.clock);
    this.options = { ...DEFAULT_AUTO_SYNC, ...deps.options };
  }

  /** The business opened: sync soon if it is connected, then on the interval. */
  start(db: BusinessDb): void {
    this.stop(db.businessId);
    const entry: Entry = {
      db,
      timer: null,
      dueAt: null,
      firstChangeAt: null,
      running: false,
      again: false,
      failures: 0,
      outcome: null,
      problem: null,
      lastAttemptAt: null,
      backoffUntil: null,
      followedUp: false,
      stopped: false,
    };
    this.entries.set(db.businessId, entry);
    this.schedule(entry, this.options.startDelayMs);
  }

  stop(businessId: string): void {
    const entry = this.entries.get(businessId);
    if (!entry) return;
    entry.stopped = true;
    this.clear(entry);
    this.entries.delete(businessId);
  }

  /** Something was written on this PC: sync a few seconds after the last change (not before a back-off ends). */
  localChange(businessId: string): void {
    const entry = this.entries.get(businessId);
    if (!entry || !isConnected(entry.db)) return;
    const now = this.timers.now();
    if (entry.running) {
      entry.again = true;
      return;
    }
    if (entry.backoffUntil !== null && entry.backoffUntil > now) return; // offline or refused: the changes wait, queued
    entry.firstChangeAt ??= now;
    const at = Math.min(now + this.options.debounceMs, entry.firstChangeAt + this.options.maxWaitMs);
    this.scheduleAt(entry, at);
  }

  /**
   * A sync asked for by a person (the Sync now button): runs at once, after the
   * sync in flight if any, and resets the back-off whatever its outcome.
   */
  async syncNow(db: BusinessDb): Promise<SyncNowResult> {
    const entry = this.entries.get(db.businessId);
    if (!entry) return this.deps.sync(db);
    entry.backoffUntil = null;
    entry.failures = 0;
    return this.attempt(entry, true) as Promise<SyncNowResult>;
  }

  /** What the header shows: local reads only, never the network. */
  indicator(db: BusinessDb): SyncIndicator {
    const state = readSyncState(db);
    if (!state.server) {
      return { connected: false, pending: 0, lastSyncAt: null, state: 'idle', problem: null, skewMs: null, syncing: false, nextAttemptAt: null, auto: false };
    }
    const entry = this.entries.get(db.businessId);
    const offset = stmt(db.sqlite, 'SELECT offset_ms FROM sync_clock').pluck().get() as number | undefined;
    return {
      connected: true,
      pending: pendingCount(db),
      lastSyncAt: state.lastSyncAt,
      state: entry?.outcome ?? 'idle',
      problem: entry?.problem ?? null,
      skewMs: offset === undefined || offset === null ? null : -offset,
      syncing: entry?.running ?? false,
      nextAttemptAt: entry?.dueAt ? new Date(entry.dueAt).toISOString() : null,
      auto: entry !== undefined,
    };
  }

  /** Waits until no sync runs (tests, closing). */
  async idle(): Promise<void> {
    while ([...this.entries.values()].some((e) => e.running)) await new Promise((r) => setImmediate(r));
  }

  private clear(entry: Entry) {
    if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
    entry.timer = null;
    entry.dueAt = null;
  }

  private schedule(entry: Entry, delayMs: number) {
    this.scheduleAt(entry, this.timers.now() + delayMs);
  }

  private scheduleAt(entry: Entry, at: number) {
    if (entry.stopped) return;
    this.clear(entry);
    entry.dueAt = at;
    entry.timer = this.timers.setTimeout(() => {
      entry.timer = null;
      entry.dueAt = null;
      void this.attempt(entry, false).catch(() => {});
    }, Math.max(0, at - this.timers.now()));
  }

  private async attempt(entry: Entry, byHand: boolean): Promise<SyncNowResult | null> {
    const { db } = entry;
    if (entry.stopped) return null;
    if (!isConnected(db)) {
      // Not connected (or disconnected since): nothing to do but look again on the interval (a connect may come).
      entry.outcome = null;
      entry.problem = null;
      entry.failures = 0;
      entry.backoffUntil = null;
      this.schedule(entry, this.options.intervalMs);
      if (byHand) return this.deps.sync(db); // says why it cannot
      return null;
    }
    if (entry.running) {
      entry.again = true;
      if (byHand) {
        await this.idle();
        return this.attempt(entry, true);
      }
      return null;
    }
    if (this.deps.billingRunning(db.businessId) && !byHand) {
      // A billing run's batches hold the file: sync right after it rather than wait on its lock.
      this.schedule(entry, this.options.billingWaitMs);
      return null;
    }
    this.clear(entry);
    entry.running = true;
    entry.again = false;
    entry.firstChangeAt = null;
    entry.lastAttemptAt = this.timers.now();
    this.deps.changed(db.businessId);
    try {
      const result = await this.deps.sync(db);
      entry.outcome = 'ok';
      entry.problem = null;
      entry.failures = 0;
      entry.backoffUntil = null;
      return result;
    } catch (error) {
      const outcome = classify(error);
      entry.outcome = outcome;
      entry.problem = error instanceof Error ? error.message : String(error);
      entry.failures += 1;
      if (outcome === 'error' && !(error instanceof AppError)) this.deps.logger.warn('sync failed', { businessId: db.businessId, error: entry.problem });
      const wait = Math.min(this.options.backoffMs * 2 ** (entry.failures - 1), this.options.maxBackoffMs);
      entry.backoffUntil = this.timers.now() + (outcome === 'refused' ? this.options.maxBackoffMs : wait);
      if (byHand) throw error;
      return null;
    } finally {
      entry.running = false;
      if (!entry.stopped) {
        // What the pull wrote here (the audit rows of what it merged) is pushed a debounce later, once:
        // a follow-up that again leaves changes waits for the interval, so two PCs never ping-pong.
        const followUp = !entry.again && entry.backoffUntil === null && !entry.followedUp && pendingSafe(db) > 0;
        entry.followedUp = followUp;
        if (entry.backoffUntil !== null) this.scheduleAt(entry, entry.backoffUntil);
        else if (entry.again || followUp) {
          entry.firstChangeAt = this.timers.now();
          this.schedule(entry, this.options.debounceMs);
        } else this.schedule(entry, this.options.intervalMs);
        entry.again = false;
        this.deps.changed(db.businessId);
      }
    }
  }
}

function pendingSafe(db: BusinessDb): number {
  try {
    return pendingCount(db);
  } catch {
    return 0;
  }
}

function isConnected(db: BusinessDb): boolean {
  try {
    return readSyncState(db).server !== null;
  } catch {
    return false; // closed or not yet migrated: not ours to sync
  }
}

/** Offline (no answer), refused (the server said no to this PC: revoked, suspended, token unknown), or another failure. */
export function classify(error: unknown): Outcome {
  if (error instanceof SyncRemoteError) {
    if (error.offline) return 'offline';
    if (error.code === 'forbidden' || error.code === 'unauthenticated') return 'refused';
    return 'error';
  }
  return 'error';
}
