import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LEGACY_MAX_PUSH_CHANGES, MAX_PULL_LIMIT, MAX_PUSH_BYTES, MAX_PUSH_CHANGES, MAX_STAMP_AHEAD_MS, type PushResponse } from '@shared/sync/server-wire';
import type { SyncConflict, SyncStatus } from '@shared/contract/sync';
import type { EventPayload } from '@shared/contract/events';
import { writeAudit, type Actor } from '../audit/audit';
import { getBusinessRow } from '../business/business-service';
import { openBusinessDb, type BusinessDb } from '../db/open';
import { restoreTempName } from '../db/registry';
import { business } from '../db/schema';
import { AppError, conflict } from '../errors';
import type { Clock, Logger, SecretStore } from '../ports';
import type { Businesses, BusinessService } from '../businesses';
import {
  applyRemote,
  digest,
  disableSync,
  enableSync,
  hasChange,
  hlcWallClockMs,
  listConflicts,
  markPushedBatch,
  observeServerTime,
  pendingCount,
  pendingRows,
  readPushBatch,
  type PushBatch,
  readSyncState,
  recordSnapshot,
  restampAhead,
  writeSyncState,
} from '../sync';
import { normalizeServerUrl, SyncHttpClient, SyncRemoteError, type FetchLike } from './http';

// The PC's sync service (spec/server.md, "Connecting PCs"): connect, pair,
// join, sync now, status, the billing PC and disconnect, over the HTTP client
// and the change log of core/sync. Each step writes locally in its own
// transaction and only after the server has answered, so a refusal or a
// network failure leaves the file as it was; a sync stopped midway resumes
// where it stopped (pushed changes are marked after the server took them,
// the cursor moves with the page it applied, in one transaction).

/** The secret store's account for a business's device token. */
export const tokenAccount = (businessId: string) => `sync-token:${businessId}`;

export type SyncProgress = EventPayload<'sync-progress'>;

/**
 * What a push's body is filled to: 1 MB, about 2,000 changes of a first upload. Not the server's 4 MB:
 * at 5,000 subscriptions the first connect measured the same share of the bound with batches of 1,000
 * changes and of 4 MB (24 and 23 %, two runs each, a loaded machine), and 4 MB bodies kept the
 * server's heap about 80 MB bigger.
 */
export const PUSH_BATCH_BYTES = 1024 * 1024;

/**
 * Pushes in flight at once, to a server that checks each push's `after` (the last change of the push
 * before it): the server parses and checks one while PostgreSQL stores the other, and stores them in
 * the log's order whichever arrives first (an overtaking push is refused whole and sent again).
 */
export const MAX_PUSHES_IN_FLIGHT = 2;

export interface SyncClientDeps {
  businesses: Businesses;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  /** The app's windows refresh what a pull changed. */
  changed(businessId: string, entities: string[]): void;
  fetch?: FetchLike;
  /** Changes per pull page (default the server's most, 1000; tests use small pages). */
  pullPageSize?: number;
  /** Changes per push at most (default the server's most, MAX_PUSH_CHANGES; tests use small batches). */
  pushBatchSize?: number;
  /** Bytes of body a push is filled to (default PUSH_BATCH_BYTES; a single change may take up to MAX_PUSH_BYTES). */
  pushBatchBytes?: number;
  /** A big upload's progress (the sync-progress event): a first connect, or a sync of more than one push. */
  progress?(businessId: string, progress: SyncProgress): void;
  /** This PC's name on the server when the caller gives none. */
  defaultDeviceName?: () => string;
}

export interface SyncNowResult {
  pushed: number;
  pulled: number;
  conflicts: number;
  lastSyncAt: string;
}

export class SyncClient implements BusinessService {
  /** One sync at a time per business in this process: a second `now` waits for the first. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Servers that refused a push of more than LEGACY_MAX_PUSH_CHANGES (413 too_many_changes: older than the limit's rise). */
  private readonly legacyServers = new Set<string>();

  constructor(private readonly deps: SyncClientDeps) {}

  /** Owner only (the dispatcher checks): registers the business and this PC, then uploads every row. */
  async connect(db: BusinessDb, actor: Actor, input: { server: string; inviteCode: string; deviceName?: string | undefined }) {
    const server = normalizeServerUrl(input.server);
    return this.exclusive(db.businessId, async () => {
      const state = readSyncState(db);
      if (state.server) {
        throw conflict(`This business is already connected to ${state.server} as device ${state.deviceId}; run \`recurra sync disconnect\` first`, 'server');
      }
      const row = getBusinessRow(db.orm);
      const deviceName = input.deviceName ?? this.defaultDeviceName();
      const enrolled = await new SyncHttpClient(server, null, this.deps.fetch).connect({
        inviteCode: input.inviteCode,
        businessId: db.businessId,
        businessName: row.name,
        deviceName,
      });
      const received = this.deps.clock.now();
      const receivedWall = hlcWallClockMs(db);
      this.report(db, { phase: 'preparing', uploaded: 0, total: 0, secondsLeft: null, message: null });
      try {
        await this.deps.secrets.set(tokenAccount(db.businessId), enrolled.token);
        db.sqlite
          .transaction(() => {
            enableSync(db, enrolled.deviceId);
            writeSyncState(db, { server, deviceId: enrolled.deviceId, deviceName, cursor: 0, lastSyncAt: null, billingDevice: enrolled.billingDevice });
            observeServerTime(db, enrolled.serverTime, receivedWall);
            // Parents first (core/sync orders the tables so): the others apply it page by page.
            recordSnapshot(db);
            writeAudit(db.orm, actor, received, {
              action: 'sync.connect',
              entity: 'business',
              entityId: db.businessId,
              after: { server, deviceId: enrolled.deviceId, deviceName, billingDevice: enrolled.billingDevice },
            });
          })
          .immediate();
      } catch (error) {
        // Nothing local was kept: give the device back so the server does not list a PC that never came.
        await this.deps.secrets.delete(tokenAccount(db.businessId)).catch(() => false);
        await new SyncHttpClient(server, enrolled.token, this.deps.fetch).disconnect().catch(() => undefined);
        this.report(db, { phase: 'failed', uploaded: 0, total: 0, secondsLeft: null, message: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      const client = new SyncHttpClient(server, enrolled.token, this.deps.fetch);
      let pushed: number;
      try {
        pushed = await this.pushAll(db, client, true);
      } catch (error) {
        if (error instanceof AppError) {
          throw new AppError(
            error.code,
            `Connected as device ${enrolled.deviceId}, but the first upload stopped: ${error.message}. Run \`recurra sync now\` to finish it (nothing is lost).`,
            error.field,
          );
        }
        throw error;
      }
      writeSyncState(db, { lastSyncAt: this.deps.clock.now().toISOString() });
      return { server, deviceId: enrolled.deviceId, pushed };
    });
  }

  /** Owner only: a one-time code another PC types in `sync join`. */
  async pair(db: BusinessDb) {
    const { client } = await this.connected(db);
    return client.pair();
  }

  /**
   * A PC without the business: the server gives it a device and a token, and
   * the business arrives page by page into a private temporary file, renamed
   * into place and listed only once it is whole. A failure (or a kill) leaves
   * no business behind; the server's device is given back when possible.
   */
  async join(input: { server: string; code: string; deviceName?: string | undefined }) {
    const server = normalizeServerUrl(input.server);
    const deviceName = input.deviceName ?? this.defaultDeviceName();
    const enrolled = await new SyncHttpClient(server, null, this.deps.fetch).join({ code: input.code, deviceName });
    const client = new SyncHttpClient(server, enrolled.token, this.deps.fetch);
    const { businesses } = this.deps;
    const giveBack = () => client.disconnect().catch(() => undefined);
    if (businesses.registry.get(enrolled.businessId)) {
      await giveBack();
      throw conflict(`${enrolled.businessName} (${enrolled.businessId}) is already on this PC; nothing was changed`, 'code');
    }
    const folder = businesses.registry.businessesDir;
    const temp = path.join(folder, restoreTempName(enrolled.businessId));
    const target = businesses.registry.fileFor(enrolled.businessId);
    const removeTemp = () => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(temp + suffix, { force: true });
    };
    removeTemp();
    let db: BusinessDb | undefined;
    let pulled = 0;
    let listed = false;
    let keyed = false;
    try {
      // Encrypted from its first byte: a fresh data key, in the secret store before the file exists,
      // keys the temporary file (the same key stays with it once it takes its name).
      const key = await businesses.createKey(enrolled.businessId, target);
      keyed = true;
      db = openBusinessDb(enrolled.businessId, temp, { ...businesses.openOptions(), create: true, key });
      const fresh = db;
      fresh.sqlite
        .transaction(() => {
          enableSync(fresh, enrolled.deviceId);
          writeSyncState(fresh, { server, deviceId: enrolled.deviceId, deviceName, cursor: 0, lastSyncAt: null, billingDevice: enrolled.billingDevice });
          observeServerTime(fresh, enrolled.serverTime, hlcWallClockMs(fresh));
        })
        .immediate();
      pulled = (await this.pullAll(fresh, client)).pulled;
      // Each page was applied whole (the first PC's snapshot goes parents first: snapshot-order.ts);
      // a business that arrives with references to rows it lacks is refused, not listed.
      const broken = fresh.sqlite.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length > 0) {
        const first = broken[0]!;
        throw conflict(`The downloaded business is not whole: ${broken.length} rows refer to rows it lacks (${first.table} -> ${first.parent})`, 'code');
      }
      const row = fresh.orm.select().from(business).get();
      if (!row) {
        throw conflict(`The server has no data of ${enrolled.businessName} yet: let the first PC finish its upload (\`recurra sync now\` there), then pair again`, 'code');
      }
      writeSyncState(fresh, { lastSyncAt: this.deps.clock.now().toISOString() });
      fresh.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      fresh.sqlite.close();
      db = undefined;
      await this.deps.secrets.set(tokenAccount(enrolled.businessId), enrolled.token);
      fs.renameSync(temp, target);
      businesses.registry.add({ id: enrolled.businessId, name: row.name, currency: row.currency, timezone: row.timezone, file: target, createdAt: row.createdAt });
      listed = true;
      const opened = businesses.get(enrolled.businessId);
      opened.sqlite
        .transaction(() =>
          writeAudit(opened.orm, { userId: null, userEmail: null }, this.deps.clock.now(), {
            action: 'sync.join',
            entity: 'business',
            entityId: enrolled.businessId,
            after: { server, deviceId: enrolled.deviceId, deviceName, pulled },
          }),
        )
        .immediate();
      return { business: { id: row.id, name: row.name }, deviceId: enrolled.deviceId, pulled };
    } catch (error) {
      db?.sqlite.close();
      removeTemp();
      if (listed) {
        businesses.close(enrolled.businessId);
        businesses.registry.remove(enrolled.businessId);
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
      }
      await this.deps.secrets.delete(tokenAccount(enrolled.businessId)).catch(() => false);
      if (keyed) await businesses.forgetKey(enrolled.businessId, target);
      await giveBack();
      if (error instanceof AppError) {
        throw new AppError(error.code, `${error.message}. Nothing was kept on this PC; ask for a new pairing code to try again.`, error.field);
      }
      throw error;
    }
  }

  /** Pushes this PC's changes, then pulls the others' until the server has no more. */
  async now(db: BusinessDb): Promise<SyncNowResult> {
    const { client } = await this.connected(db);
    return this.exclusive(db.businessId, async () => {
      // The server also names the newest change this PC pushed: a log without it went back to a backup
      // taken before that push (pulls leave a PC's own changes out, so they would never come back).
      const answer = await this.refreshStatus(db, client, true);
      const lostOwn = typeof answer.ownNewest === 'string' && !hasChange(db, answer.ownNewest);
      // Changes stamped ahead before this PC learned the server's time (its clock jumped while offline)
      // get stamps of the corrected clock first: the server refuses stamps far in its future.
      const restamped = restampAhead(db, MAX_STAMP_AHEAD_MS / 2);
      if (restamped > 0) this.deps.logger.warn('this PC stamped changes ahead of the sync server\'s clock: re-stamped them before pushing', { businessId: db.businessId, restamped });
      let recovered = { pulled: 0, conflicts: 0 };
      if (lostOwn) {
        // Before pushing: a push would make a change of this file the newest again, and hide the loss.
        this.deps.logger.warn('the sync server has changes of this PC that its file lacks (put back to a backup?): pulling everything again, its own included', {
          businessId: db.businessId,
        });
        recovered = await this.pullAll(db, client, true);
      }
      const pushed = await this.pushAll(db, client);
      const rest = await this.pullAll(db, client);
      const pulled = recovered.pulled + rest.pulled;
      const conflicts = recovered.conflicts + rest.conflicts;
      const lastSyncAt = this.deps.clock.now().toISOString();
      writeSyncState(db, { lastSyncAt });
      if (pulled > 0) this.deps.changed(db.businessId, ['customers', 'subscriptions', 'invoices', 'payments', 'billing', 'catalog', 'users', 'business', 'metrics', 'sync']);
      return { pushed, pulled, conflicts, lastSyncAt };
    });
  }

  /** What this PC knows, refreshed from the server when it answers (offline: the last known values). */
  async status(db: BusinessDb): Promise<SyncStatus> {
    const state = readSyncState(db);
    let online = false;
    let problem: string | null = null;
    let devices: SyncStatus['devices'] = [];
    if (state.server) {
      const token = await this.deps.secrets.get(tokenAccount(db.businessId));
      if (!token) problem = `This PC has no token for ${state.server} (the secret store lost it): disconnect and pair it again`;
      else {
        try {
          const answer = await this.refreshStatus(db, new SyncHttpClient(state.server, token, this.deps.fetch));
          online = true;
          if (answer.suspended) problem = 'The sync server has suspended this business: it keeps working on this PC, and syncs again once the server resumes it.';
          devices = answer.devices.map((d) => ({ id: d.id, name: d.name, lastSyncAt: d.lastSyncAt, revoked: d.revoked }));
        } catch (error) {
          if (!(error instanceof SyncRemoteError)) throw error;
          online = !error.offline;
          problem = error.message;
        }
      }
    }
    const now = readSyncState(db);
    return {
      server: now.server,
      deviceId: now.deviceId,
      deviceName: now.deviceName,
      billingDevice: now.billingDevice,
      pending: now.server ? pendingCount(db) : 0,
      lastSyncAt: now.lastSyncAt,
      online,
      problem,
      devices,
    };
  }

  conflicts(db: BusinessDb): SyncConflict[] {
    return listConflicts(db);
  }

  digest(db: BusinessDb): { tables: Record<string, string> } {
    return digest(db);
  }

  /** Owner only, online only: the server moves the billing role here in one transaction. */
  async takeBillingDevice(db: BusinessDb, actor: Actor) {
    const { client } = await this.connected(db);
    const answer = await client.takeBillingDevice();
    db.sqlite
      .transaction(() => {
        const before = readSyncState(db).billingDevice;
        writeSyncState(db, { billingDevice: answer.billingDevice });
        writeAudit(db.orm, actor, this.deps.clock.now(), {
          action: 'sync.billingDevice',
          entity: 'business',
          entityId: db.businessId,
          before: { billingDevice: before },
          after: { billingDevice: answer.billingDevice },
        });
      })
      .immediate();
    this.deps.changed(db.businessId, ['sync', 'billing']);
    return { billingDevice: answer.billingDevice };
  }

  /**
   * The server revokes this PC; here the server is forgotten and changes are
   * no longer recorded for sync. The data stays. A server that no longer
   * knows the PC (revoked, token unknown) is no reason to stay connected; a
   * server that does not answer is: the PC would stay listed there.
   */
  async disconnect(db: BusinessDb, actor: Actor) {
    const state = readSyncState(db);
    if (!state.server) throw conflict('This business is not connected to a sync server');
    const token = await this.deps.secrets.get(tokenAccount(db.businessId));
    if (token) {
      try {
        await new SyncHttpClient(state.server, token, this.deps.fetch).disconnect();
      } catch (error) {
        const gone = error instanceof SyncRemoteError && (error.serverCode === 'device_revoked' || error.serverCode === 'unauthenticated');
        if (!gone) throw error;
      }
    }
    return this.exclusive(db.businessId, async () => {
      db.sqlite
        .transaction(() => {
          disableSync(db);
          writeSyncState(db, { server: null, deviceId: null, deviceName: null, cursor: 0, lastSyncAt: null, billingDevice: null });
          writeAudit(db.orm, actor, this.deps.clock.now(), {
            action: 'sync.disconnect',
            entity: 'business',
            entityId: db.businessId,
            before: { server: state.server, deviceId: state.deviceId },
          });
        })
        .immediate();
      await this.deps.secrets.delete(tokenAccount(db.businessId));
      this.deps.changed(db.businessId, ['sync', 'billing']);
      return { disconnected: true as const };
    });
  }

  // Syncing by itself is auto-sync.ts's (the app and the browser host); this class syncs when asked.
  start(): void {}

  stop(): void {}

  /** Waits for the syncs in flight (closing the app, tests). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }

  private async connected(db: BusinessDb): Promise<{ client: SyncHttpClient; server: string }> {
    const state = readSyncState(db);
    if (!state.server) throw conflict('This business is not connected to a sync server: `recurra sync connect --server URL --invite CODE` (owner) first');
    const token = await this.deps.secrets.get(tokenAccount(db.businessId));
    if (!token) {
      throw conflict(`This PC has no device token for ${state.server} (the secret store does not have it): run \`recurra sync disconnect\`, then pair this PC again`);
    }
    return { client: new SyncHttpClient(state.server, token, this.deps.fetch), server: state.server };
  }

  /** The server's view of this device: its name and who bills. */
  private async refreshStatus(db: BusinessDb, client: SyncHttpClient, own = false) {
    const answer = await client.status(own);
    observeServerTime(db, answer.serverTime, hlcWallClockMs(db));
    const state = readSyncState(db);
    const same = state.billingDevice?.id === answer.billingDevice?.id && state.billingDevice?.name === answer.billingDevice?.name;
    if (!same || state.deviceName !== answer.deviceName) writeSyncState(db, { billingDevice: answer.billingDevice, deviceName: answer.deviceName });
    return answer;
  }

  /**
   * Every pending change, in batches within the server's limits, one push at
   * a time and in order (the server numbers them as they come: parents before
   * children); each batch is marked pushed once the server has it. The PC's
   * own work runs while the server stores a batch: it reads the next batch
   * (the pending changes past the one in flight) before the answer, and marks
   * a batch after sending the next. A stop anywhere pushes again what was not
   * marked; the server keeps each change id once.
   *
   * Batches fill the 4 MB body (up to MAX_PUSH_CHANGES changes); a server
   * older than that limit answers 413 too_many_changes to the first push, and
   * gets batches of LEGACY_MAX_PUSH_CHANGES from then on. Progress goes out
   * (sync-progress) for a first connect, and for any upload of more than one push.
   */
  private async pushAll(db: BusinessDb, client: SyncHttpClient, firstUpload = false): Promise<number> {
    const tracker = new UploadProgress(pendingRows(db), firstUpload, (p) => this.report(db, p));
    try {
      for (;;) {
        const legacy = this.legacyServers.has(client.server);
        try {
          await this.pushBatches(db, client, legacy ? LEGACY_MAX_PUSH_CHANGES : (this.deps.pushBatchSize ?? MAX_PUSH_CHANGES), tracker);
          break;
        } catch (error) {
          if (legacy || !(error instanceof SyncRemoteError) || error.serverCode !== 'too_many_changes') throw error;
          this.deps.logger.warn(`the sync server takes at most ${LEGACY_MAX_PUSH_CHANGES} changes per push: pushing in smaller batches`, { server: client.server });
          this.legacyServers.add(client.server);
        }
      }
    } catch (error) {
      tracker.failed(error);
      throw error;
    }
    tracker.finished();
    return tracker.uploaded;
  }

  private async pushBatches(db: BusinessDb, client: SyncHttpClient, maxChanges: number, tracker: UploadProgress): Promise<void> {
    interface Sent {
      batch: PushBatch;
      /** The last change of the push before it, when that one was still in flight (the server checks it has it). */
      after: string | undefined;
      answer: Promise<PushResponse>;
    }
    const send = (batch: PushBatch, after?: string): Sent => {
      const answer = client.pushBody(after === undefined ? batch.body : `{"after":${JSON.stringify(after)},${batch.body.slice(1)}`);
      answer.catch(() => {}); // awaited below; not unhandled while this PC works meanwhile
      return { batch, after, answer };
    };
    // Lets a request just sent go out before the synchronous SQLite work that follows it.
    const letGo = () => new Promise((resolve) => setImmediate(resolve));
    const target = this.deps.pushBatchBytes ?? PUSH_BATCH_BYTES;
    const read = (afterSeq: number) => readPushBatch(db, afterSeq, maxChanges, MAX_PUSH_BYTES, target);
    const first = read(0);
    if (!first) return;
    const inFlight: Sent[] = [send(first)];
    let lastRead = first;
    let next = read(first.lastSeq);
    // One push in flight until a server says it checks `after` (its first answer); then two.
    let ordered = false;
    let resent = false;
    /** Sends the batch read ahead (naming the last change of the push still in flight, if one is) and reads the one after it. */
    const sendNext = async (ahead: PushBatch) => {
      inFlight.push(send(ahead, inFlight.at(-1)?.batch.ids.at(-1)));
      lastRead = ahead;
      await letGo();
      next = read(lastRead.lastSeq);
    };
    while (inFlight.length > 0) {
      if (ordered && inFlight.length < MAX_PUSHES_IN_FLIGHT && next) {
        await sendNext(next);
        continue;
      }
      await letGo();
      const head = inFlight[0]!;
      let answer: PushResponse;
      try {
        answer = await head.answer;
      } catch (error) {
        // It overtook the push before it, which the server has now (answered above): once more, in turn.
        if (head.after !== undefined && !resent && error instanceof SyncRemoteError && error.serverCode === 'push_out_of_order') {
          resent = true;
          inFlight[0] = send(head.batch, head.after);
          continue;
        }
        throw error;
      }
      resent = false;
      inFlight.shift();
      ordered ||= answer.ordered === true;
      // The next push goes out before this one is marked (two in flight once the server checks the order).
      if (next && inFlight.length < (ordered ? MAX_PUSHES_IN_FLIGHT : 1)) await sendNext(next);
      observeServerTime(db, answer.serverTime, hlcWallClockMs(db));
      markPushedBatch(db, head.batch);
      tracker.pushed(head.batch.ids.length, inFlight.length > 0 || next !== null);
    }
  }

  private report(db: BusinessDb, progress: SyncProgress): void {
    try {
      this.deps.progress?.(db.businessId, progress);
    } catch (error) {
      this.deps.logger.warn('could not report the sync progress', { error: String(error) });
    }
  }

  /**
   * Pages of the others' changes from the stored cursor, each applied and the
   * cursor moved in one transaction. A server restored from an older backup
   * (409 cursor_ahead) is read again from the start: applying a change twice
   * changes nothing.
   */
  private async pullAll(db: BusinessDb, client: SyncHttpClient, recoverOwn = false): Promise<{ pulled: number; conflicts: number }> {
    let pulled = 0;
    let conflicts = 0;
    // Recovering own changes: everything from 0, this PC's own included (what the log has is skipped by id).
    let cursor = recoverOwn ? 0 : readSyncState(db).cursor;
    let restarted = false;
    for (;;) {
      let page;
      try {
        page = await client.pull(cursor, this.deps.pullPageSize ?? MAX_PULL_LIMIT, recoverOwn);
      } catch (error) {
        if (error instanceof SyncRemoteError && error.serverCode === 'cursor_ahead' && !restarted) {
          this.deps.logger.warn('the sync server is behind this PC (restored from a backup?): pulling everything again', { businessId: db.businessId, cursor });
          restarted = true;
          cursor = 0;
          continue;
        }
        throw error;
      }
      const received = hlcWallClockMs(db);
      const current = page;
      const result = db.sqlite
        .transaction(() => {
          observeServerTime(db, current.serverTime, received);
          const applied = current.changes.length ? applyRemote(db, current.changes) : { applied: 0, skipped: 0, conflicts: 0 };
          writeSyncState(db, { cursor: current.next });
          return applied;
        })
        .immediate();
      pulled += page.changes.length;
      conflicts += result.conflicts;
      cursor = page.next;
      if (!page.hasMore) return { pulled, conflicts };
    }
  }

  private exclusive<T>(businessId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(businessId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    this.queues.set(businessId, next);
    void next
      .finally(() => {
        if (this.queues.get(businessId) === next) this.queues.delete(businessId);
      })
      .catch(() => {});
    return next;
  }

  private defaultDeviceName(): string {
    return (this.deps.defaultDeviceName?.() ?? os.hostname()).slice(0, 200) || 'This PC';
  }
}

/**
 * What a push loop tells of itself: after each push the server took, how many
 * of how many, and a rough time left from the pace so far. A sync of one push
 * says nothing (it is over before anyone could read it); a first connect always does.
 */
class UploadProgress {
  uploaded = 0;
  private readonly startedAt = performance.now();
  private spoke: boolean;

  constructor(
    private total: number,
    firstUpload: boolean,
    private readonly emit: (p: SyncProgress) => void,
  ) {
    this.spoke = firstUpload;
    if (firstUpload) emit({ phase: 'uploading', uploaded: 0, total, secondsLeft: null, message: null });
  }

  pushed(count: number, more: boolean): void {
    this.uploaded += count;
    // Changes made while it uploads go too: the total grows with them.
    this.total = Math.max(this.total, this.uploaded + (more ? 1 : 0));
    if (!this.spoke && !more) return;
    this.spoke = true;
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const left = this.total - this.uploaded;
    const secondsLeft = more && elapsed > 0 ? Math.round((left / this.uploaded) * elapsed) : more ? null : 0;
    this.emit({ phase: 'uploading', uploaded: this.uploaded, total: this.total, secondsLeft, message: null });
  }

  finished(): void {
    if (this.spoke) this.emit({ phase: 'finished', uploaded: this.uploaded, total: Math.max(this.total, this.uploaded), secondsLeft: 0, message: null });
  }

  failed(error: unknown): void {
    if (!this.spoke) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.emit({ phase: 'failed', uploaded: this.uploaded, total: Math.max(this.total, this.uploaded), secondsLeft: null, message: reason });
  }
}
