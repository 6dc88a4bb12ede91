import type { RunSummary } from '@shared/domain/billing';
import { dateInTimeZone } from '@shared/domain/dates';
import type { BusinessDb } from '../db/open';
import { newId } from '../ids';
import { businessTimezone } from '../db/settings';
import { stmt } from '../db/statements';
import type { Clock, Logger, Scheduler } from '../ports';
import type { BusinessService } from '../businesses';
import type { BillingExecutor } from './executor';
import type { RunTrigger } from './run-recorder';
import type { Simulation } from './simulate';
import { assertBillingDevice, billingRefusal } from '../sync-client/billing-device';

export interface BillingEvents {
  progress(businessId: string, p: { runId: string; asOf: string; processed: number; phase: 'started' | 'running' | 'finished' | 'failed'; message: string | null }): void;
  /** A run wrote something: the UI refreshes what billing touches. */
  changed(businessId: string): void;
  /** After each run of the timer (payment reminders follow billing). */
  afterTimerRun?(db: BusinessDb): Promise<void>;
}

/**
 * Runs billing for open businesses: on demand, and (when the timer is on) at
 * start-up to catch up on the days the PC was off, then every N minutes, as
 * of today in the business's time zone. One run at a time per business: a
 * request while one runs waits for it and then runs.
 */
export class BillingService implements BusinessService {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly running = new Set<string>();
  private readonly timers = new Map<string, { cancel(): void }>();

  constructor(
    private readonly executor: BillingExecutor,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly events: BillingEvents,
    private readonly timer: { scheduler: Scheduler } | null,
  ) {}

  isRunning(businessId: string): boolean {
    return this.running.has(businessId);
  }

  /** A writer of this thread waits for the file: a run in a worker ends its batch for it (executor.ts). */
  writerWaiting(businessId: string): () => void {
    return this.executor.writerWaiting?.(businessId) ?? (() => {});
  }

  /** Today in the business's time zone: the only clock read of billing, and only here. */
  today(db: BusinessDb): string {
    return dateInTimeZone(this.clock.now(), businessTimezone(db));
  }

  run(db: BusinessDb, asOf: string, trigger: RunTrigger, userId: string | null): Promise<RunSummary> {
    const previous = this.queues.get(db.businessId) ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(() => {
        // A business that syncs bills on its billing PC only (spec/server.md, guarantee 4): the CLI, a
        // window and the timer alike; checked when the run starts (the role may move while one waits).
        assertBillingDevice(db);
        return this.execute(db, asOf, trigger, userId);
      });
    this.queues.set(db.businessId, next);
    void next.finally(() => {
      if (this.queues.get(db.businessId) === next) this.queues.delete(db.businessId);
    }).catch(() => {});
    return next;
  }

  simulate(db: BusinessDb, from: string, months: number): Promise<Simulation> {
    return this.executor.simulate(db, from, months);
  }

  private async execute(db: BusinessDb, asOf: string, trigger: RunTrigger, userId: string | null): Promise<RunSummary> {
    this.running.add(db.businessId);
    const runId = newId();
    this.events.progress(db.businessId, { runId, asOf, processed: 0, phase: 'started', message: null });
    try {
      const summary = await this.executor.run(db, { runId, asOf, trigger, userId }, (p) =>
        this.events.progress(db.businessId, { runId: p.runId, asOf, processed: p.processed, phase: 'running', message: null }),
      );
      this.events.progress(db.businessId, { runId: summary.runId, asOf, processed: 0, phase: 'finished', message: null });
      const { runId: _runId, ...result } = summary;
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error('billing run failed', { businessId: db.businessId, error: message });
      this.events.progress(db.businessId, { runId, asOf, processed: 0, phase: 'failed', message });
      throw error;
    } finally {
      this.running.delete(db.businessId);
      this.events.changed(db.businessId);
    }
  }

  private readonly files = new Map<string, string>();

  // The timer, as a service of each open business.
  start(db: BusinessDb): void {
    this.files.set(db.businessId, db.file);
    if (!this.timer) return;
    const tick = (trigger: RunTrigger) => {
      // Not the billing PC of a synced business: the timer stays quiet (the billing PC runs it).
      if (billingRefusal(db)) return;
      this.run(db, this.today(db), trigger, null)
        .then(() => this.events.afterTimerRun?.(db))
        .catch(() => {}); // failures are recorded and shown; the timer goes on
    };
    tick('startup');
    const minutes = stmt(db.sqlite, 'SELECT billing_interval_minutes FROM business LIMIT 1').pluck().get() as number;
    this.timers.set(db.businessId, this.timer.scheduler.every(minutes * 60_000, () => tick('timer')));
  }

  stop(businessId: string): void {
    this.timers.get(businessId)?.cancel();
    this.timers.delete(businessId);
    // The business closed: its worker (if any) closes its connection and ends.
    const file = this.files.get(businessId);
    if (file) void this.executor.release?.(businessId, file);
    this.files.delete(businessId);
  }

  /** The app is closing. */
  async close(): Promise<void> {
    await this.executor.close?.();
  }

  /** After the interval setting changes. */
  restart(db: BusinessDb): void {
    if (!this.timers.has(db.businessId)) return;
    this.stop(db.businessId);
    this.start(db);
  }

  /** Waits for the runs in flight (closing the app, tests). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }
}
