import path from 'node:path';
import { FolderExportDestination } from './csv/folder-destination';
import { FileSecretStore } from './file-secret-store';
import type { EventName, EventPayload } from '@shared/contract';
import type { Role } from '@shared/domain/roles';
import { SessionStore } from './auth/sessions';
import { Businesses } from './businesses';
import type { BusinessDb } from './db/open';
import { business } from './db/schema';
import { stmt } from './db/statements';
import { handlers } from './handlers';
import {
  InMemoryPreferencesStore,
  systemClock,
  systemScheduler,
  consoleLogger,
  type Clock,
  type ExportDestination,
  type Logger,
  type Paths,
  type PreferencesStore,
  type Scheduler,
  type SecretStore,
} from './ports';
import { BillingService } from './billing/billing-service';
import { InlineExecutor, type BillingExecutor } from './billing/executor';
import { InlineInsights, type InsightsExecutor } from './insights/worker-executor';
import { createDispatcher, type Connection, type SessionUser } from './rpc';
import { SyncClient } from './sync-client/sync-client';
import type { FetchLike } from './sync-client/http';
import { EmailService } from './email/email-service';
import { bindEmailServices } from './email/email-handlers';
import type { SmtpTimeouts } from './email/smtp';
import { AutoSync, type AutoSyncOptions, type AutoSyncTimers } from './sync-client/auto-sync';

export interface CoreDeps {
  paths: Paths;
  clock?: Clock;
  logger?: Logger;
  prefs?: PreferencesStore;
  secrets?: SecretStore;
  /** Where exports go when a connection names no destination (default: <dataDir>/exports). */
  exports?: ExportDestination;
  /** How billing runs: in a worker in the app; inline (the default) for the CLI and tests. */
  billingExecutor?: BillingExecutor;
  /** Where churn and LTV are computed: in a worker in the app; inline (the default) for the CLI and tests. */
  insightsExecutor?: InsightsExecutor;
  /** Run billing at start-up and on a timer while a business is open (the app and the browser host). */
  billingTimer?: boolean;
  scheduler?: Scheduler;
  /**
   * How long a statement blocks this thread waiting for another connection's
   * write lock (default 20 s, `DEFAULT_BUSY_TIMEOUT_MS`). The app and the
   * browser host, whose thread serves the UI, pass `UI_THREAD_BUSY_TIMEOUT_MS`:
   * the dispatcher then waits for a busy file without blocking.
   */
  busyTimeoutMs?: number;
  /** What a `billing.run` call is recorded as in the run history: `cli` for the command line (default `manual`). */
  billingRunTrigger?: 'manual' | 'cli';
  /** How the sync client reaches the server (default: Node's fetch). */
  fetch?: FetchLike;
  /** Changes per sync pull page (default 1000, the server's most). */
  syncPullPageSize?: number;
  /** Changes per sync push at most (tests: small batches, so an upload takes several). */
  syncPushBatchSize?: number;
  /** Bytes a sync push is filled to (the bench tries sizes). */
  syncPushBatchBytes?: number;
  /** Sync each open, connected business by itself (the app and the browser host; never the CLI). */
  autoSync?: boolean | { timers?: AutoSyncTimers; options?: Partial<AutoSyncOptions> };
  /** SMTP timeouts (tests make them small); the outbox is delivered on a timer when `billingTimer` is on. */
  email?: { timeouts?: Partial<SmtpTimeouts> };
}

/**
 * Everything behind the windows: open businesses, sessions, connections and
 * the dispatcher. The Electron shell, the browser host, the CLI and the tests
 * each make one and talk to it through `dispatch`.
 */
export class Core {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly paths: Paths;
  readonly prefs: PreferencesStore;
  readonly secrets: SecretStore;
  readonly exports: ExportDestination;
  readonly billing: BillingService;
  /** Every insight off the UI thread in the app (a worker), inline elsewhere. */
  readonly insights: InsightsExecutor;
  readonly sync: SyncClient;
  readonly autoSync: AutoSync;
  readonly email: EmailService;
  readonly sessions = new SessionStore();
  readonly businesses: Businesses;
  private readonly connections = new Map<string, Connection>();
  private readonly endedReasons = new Map<string, string>();
  readonly dispatch: (conn: Connection, method: unknown, input: unknown) => ReturnType<ReturnType<typeof createDispatcher>>;

  constructor(deps: CoreDeps) {
    this.paths = deps.paths;
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? consoleLogger;
    this.prefs = deps.prefs ?? new InMemoryPreferencesStore();
    // Without a keychain (tests, tools), the 0600 file in the data folder: the businesses' data keys must
    // outlive the process, or the next one could not open their files.
    this.secrets = deps.secrets ?? new FileSecretStore(this.paths.dataDir, (message) => this.logger.warn(message));
    this.exports = deps.exports ?? new FolderExportDestination(path.join(this.paths.dataDir, 'exports'));
    this.businesses = new Businesses(this.paths, this.logger, deps.busyTimeoutMs, this.secrets);
    this.insights = deps.insightsExecutor ?? new InlineInsights();
    this.billing = new BillingService(
      deps.billingExecutor ?? new InlineExecutor(() => this.clock.now()),
      this.clock,
      this.logger,
      {
        progress: (businessId, p) => this.broadcast(businessId, 'billing-progress', p),
        changed: (businessId) => {
          this.broadcast(businessId, 'data-changed', { entities: ['billing', 'invoices', 'subscriptions', 'payments', 'customers', 'metrics'] });
          this.autoSync.localChange(businessId);
        },
        // Payment reminders follow each billing run of the timer (on the billing PC only).
        afterTimerRun: (db) => this.email.afterBillingRun(db),
      },
      deps.billingTimer ? { scheduler: deps.scheduler ?? systemScheduler } : null,
    );
    this.businesses.addService(this.billing);
    // A business closed (signed out of, restored over, shut down): the insights worker lets go of its file.
    const insightFiles = new Map<string, string>();
    this.businesses.addService({
      start: (db) => insightFiles.set(db.businessId, db.file),
      stop: (businessId) => {
        const file = insightFiles.get(businessId);
        insightFiles.delete(businessId);
        if (file !== undefined) void this.insights.release?.(file);
      },
    });
    this.email = new EmailService({
      secrets: this.secrets,
      clock: this.clock,
      logger: this.logger,
      timeouts: deps.email?.timeouts,
      scheduler: deps.billingTimer ? (deps.scheduler ?? systemScheduler) : null,
      changed: (businessId) => {
        this.broadcast(businessId, 'data-changed', { entities: ['email', 'outbox', 'customers'] });
        this.autoSync.localChange(businessId);
      },
    });
    this.businesses.addService(this.email);
    this.sync = new SyncClient({
      businesses: this.businesses,
      secrets: this.secrets,
      clock: this.clock,
      logger: this.logger,
      fetch: deps.fetch,
      pullPageSize: deps.syncPullPageSize,
      pushBatchSize: deps.syncPushBatchSize,
      pushBatchBytes: deps.syncPushBatchBytes,
      progress: (businessId, p) => this.broadcast(businessId, 'sync-progress', p),
      changed: (businessId, entities) => this.broadcast(businessId, 'data-changed', { entities }),
    });
    this.businesses.addService(this.sync);
    const auto = typeof deps.autoSync === 'object' ? deps.autoSync : {};
    this.autoSync = new AutoSync({
      sync: (db) => this.sync.now(db),
      billingRunning: (businessId) => this.billing.isRunning(businessId),
      changed: (businessId) => this.broadcast(businessId, 'data-changed', { entities: ['sync'] }),
      logger: this.logger,
      clock: this.clock,
      timers: auto.timers,
      options: auto.options,
    });
    if (deps.autoSync) this.businesses.addService(this.autoSync);
    const dispatch = createDispatcher<Core>(
      {
        core: this,
        clock: this.clock,
        logger: this.logger,
        resolveSession: (conn) => this.resolveSession(conn),
        afterWrite: (db, entities) => {
          // The picker shows name, currency and time zone from the registry: keep it in step.
          if (entities.includes('business')) {
            this.refreshRegistryEntry(db);
            this.billing.restart(db);
          }
          this.broadcast(db.businessId, 'data-changed', { entities });
          this.autoSync.localChange(db.businessId);
        },
        writerWaiting: (db) => this.billing.writerWaiting(db.businessId),
        endedReason: (conn) => this.endedReasons.get(conn.id),
        defaultExports: this.exports,
        endSessionsOfUser: (businessId, userId, reason, keep) => this.endSessionsOfUser(businessId, userId, reason, keep),
        services: (db, user) => ({
          billing: {
            run: (asOf) => this.billing.run(db, asOf, deps.billingRunTrigger ?? 'manual', user.id),
            simulate: (from, months) => this.billing.simulate(db, from, months),
            isRunning: () => this.billing.isRunning(db.businessId),
          },
          sync: this.syncServices(db, user),
          autoSync: { indicator: () => this.autoSync.indicator(db) },
          email: bindEmailServices(this.email, db, user),
          insights: {
            run: (query) => this.insights.run(db, query),
          },
          prefs: this.prefs,
        }),
      },
      handlers,
    );
    this.dispatch = async (conn, method, input) => {
      this.connections.set(conn.id, conn);
      // Before a call with no session (sign-up, login, the business list) the data keys of the
      // businesses in the folder are loaded from the secret store (async) so their files open (sync).
      if (!this.sessions.get(conn.sessionId)) {
        try {
          await this.businesses.unlockAll();
        } catch (error) {
          return { ok: false as const, error: { code: 'conflict' as const, message: error instanceof Error ? error.message : String(error) } };
        }
      }
      return dispatch(conn, method, input);
    };
  }

  /** Forget a connection (window closed, socket gone); its session ends with it. */
  disconnect(conn: Connection): void {
    if (conn.sessionId) this.sessions.delete(conn.sessionId);
    conn.sessionId = null;
    this.connections.delete(conn.id);
    this.endedReasons.delete(conn.id);
  }

  /** Binds a new session to the connection (login, sign-up). */
  startSession(conn: Connection, businessId: string, userId: string): void {
    if (conn.sessionId) this.sessions.delete(conn.sessionId);
    conn.sessionId = this.sessions.create(businessId, userId, this.clock.now().getTime()).id;
    this.connections.set(conn.id, conn);
    this.endedReasons.delete(conn.id);
  }

  endSession(conn: Connection): void {
    if (conn.sessionId) this.sessions.delete(conn.sessionId);
    conn.sessionId = null;
  }

  /** Ends a user's other sessions and tells their windows why. */
  endSessionsOfUser(businessId: string, userId: string, reason: string, keepSessionId?: string): void {
    const ended = new Set(this.sessions.deleteForUser(businessId, userId, keepSessionId));
    for (const conn of this.connections.values()) {
      if (conn.sessionId && ended.has(conn.sessionId)) {
        conn.sessionId = null;
        this.endedReasons.set(conn.id, reason);
        conn.send('session-ended', { reason });
      }
    }
  }

  broadcast<E extends EventName>(businessId: string, event: E, payload: EventPayload<E>): void {
    for (const conn of this.connections.values()) {
      const session = this.sessions.get(conn.sessionId);
      if (session?.businessId !== businessId) continue;
      try {
        conn.send(event, payload);
      } catch (error) {
        this.logger.warn('could not deliver an event', { event, error: String(error) });
      }
    }
  }

  resolveSession(conn: Connection): { sessionId: string; db: BusinessDb; user: SessionUser } | null {
    const session = this.sessions.get(conn.sessionId);
    if (!session) return null;
    const db = this.businesses.get(session.businessId);
    // Re-read the user each call: a deactivation or role change takes effect at once. A cached
    // prepared statement: this runs before every call of a logged-in window, a search keystroke too.
    const user = stmt(db.sqlite, 'SELECT id, name, email, role, active FROM users WHERE id = ?').get(session.userId) as
      | { id: string; name: string; email: string; role: Role; active: number }
      | undefined;
    if (!user?.active) {
      this.sessions.delete(session.id);
      conn.sessionId = null;
      this.endedReasons.set(conn.id, 'Your account was deactivated. Ask the owner of the business.');
      return null;
    }
    return { sessionId: session.id, db, user: { id: user.id, name: user.name, email: user.email, role: user.role } };
  }

  private syncServices(db: BusinessDb, user: SessionUser) {
    const actor = { userId: user.id, userEmail: user.email };
    const sync = this.sync;
    return {
      connect: (input: { server: string; inviteCode: string; deviceName?: string | undefined }) => sync.connect(db, actor, input),
      pair: () => sync.pair(db),
      // Through the scheduler: a person's Sync now waits for an automatic one in flight and resets its back-off.
      now: () => this.autoSync.syncNow(db),
      status: () => sync.status(db),
      conflicts: () => sync.conflicts(db),
      digest: () => sync.digest(db),
      takeBillingDevice: () => sync.takeBillingDevice(db, actor),
      disconnect: () => sync.disconnect(db, actor),
    };
  }

  private refreshRegistryEntry(db: BusinessDb): void {
    const row = db.orm.select().from(business).get();
    if (row) {
      this.businesses.registry.add({
        id: row.id,
        name: row.name,
        currency: row.currency,
        timezone: row.timezone,
        file: db.file,
        createdAt: row.createdAt,
      });
    }
  }

  close(): void {
    for (const entry of this.businesses.registry.list()) {
      this.billing.stop(entry.id);
      this.autoSync.stop(entry.id);
      this.email.stop(entry.id);
    }
    void this.billing.close();
    // Each business closed first: the insights worker is told to let go of its file, then stopped.
    this.businesses.closeAll();
    void this.insights.close?.();
  }
}

export function createCore(deps: CoreDeps): Core {
  return new Core(deps);
}
