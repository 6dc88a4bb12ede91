import { sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { foldChanges, type FoldChange } from './fold';
import { PgProjectionReader, writeRows } from './store';

// When the projection is brought up to date (ARCHITECTURE.md, "The projection").
// Not in the push transaction: a push only appends to the change log, and the
// fold catches up afterwards, a bounded chunk of changes per transaction, under
// a per-business transaction-level advisory lock (so two server processes never
// fold the same changes; no session state, so it works behind PgBouncer), with
// the cursor moved in the same commit as the rows. Triggered in the background
// a moment after pushes stop, and by any read that needs current data
// (ensureProjection), which folds what is left or says how far behind it is.

/** Advisory lock class of the projection (the key's second half is the business id's hash). */
const LOCK_CLASS = 727_002;
export const CHUNK = 1000;

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

export type ChunkResult = { state: 'done' | 'more'; folded: number } | { state: 'busy'; folded: 0 };

/**
 * Folds the next chunk of a business's changes (seq > its cursor) in one
 * transaction. 'busy': another process (or request) holds the business's
 * projection lock right now.
 */
export async function catchUpChunk(db: ServerDb, businessId: string, limit = CHUNK): Promise<ChunkResult> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${LOCK_CLASS}, hashtext(${businessId})) as ok`));
    if (!lock?.ok) return { state: 'busy', folded: 0 } as const;
    // Lookups by index only in this transaction (store.ts: a first fold's
    // statistics predate the business's rows; a parallel scan's start-up
    // costs more than the bitmap scan it would share). Transaction-local, so
    // nothing stays on a pooled connection.
    await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`);
    const [cursor] = rowsOf<{ seq: string | number; max_hlc: string }>(
      await tx.execute(sql`select seq, max_hlc from projection_cursors where business_id = ${businessId}`),
    );
    const after = Number(cursor?.seq ?? 0);
    const page = rowsOf<{ seq: string | number; change_id: string; hlc: string; table_name: string; row_id: string; op: 'upsert' | 'delete'; fields: Record<string, unknown> }>(
      await tx.execute(sql`
        select seq, change_id, hlc, table_name, row_id, op, fields from changes
        where business_id = ${businessId} and seq > ${after} order by seq limit ${limit}`),
    );
    if (page.length === 0) return { state: 'done', folded: 0 } as const;
    const changes: FoldChange[] = page.map((r) => ({ seq: Number(r.seq), id: r.change_id, hlc: r.hlc, table: r.table_name, rowId: r.row_id, op: r.op, fields: r.fields ?? {} }));
    const { rows } = await foldChanges(new PgProjectionReader(tx as unknown as ServerDb, businessId), changes);
    await writeRows(tx as unknown as ServerDb, businessId, rows);
    const last = changes[changes.length - 1]!.seq;
    const maxHlc = changes.reduce((m, c) => (c.hlc > m ? c.hlc : m), cursor?.max_hlc ?? '');
    await tx.execute(sql`
      insert into projection_cursors (business_id, seq, max_hlc, updated_at) values (${businessId}, ${last}, ${maxHlc}, now())
      on conflict (business_id) do update set seq = excluded.seq, max_hlc = excluded.max_hlc, updated_at = excluded.updated_at`);
    return { state: page.length < limit ? 'done' : 'more', folded: changes.length } as const;
  });
}

/** The business's last seq and its projection's cursor. */
export async function projectionLag(db: ServerDb, businessId: string): Promise<{ lastSeq: number; seq: number }> {
  const [row] = rowsOf<{ last_seq: string | number; seq: string | number | null }>(
    await db.execute(sql`
      select b.last_seq, p.seq from businesses b left join projection_cursors p on p.business_id = b.id where b.id = ${businessId}`),
  );
  return { lastSeq: Number(row?.last_seq ?? 0), seq: Number(row?.seq ?? 0) };
}

export interface EnsureResult {
  /** True: every change committed before the call is folded. */
  ready: boolean;
  /** Changes still to fold (0 when ready). */
  behind: number;
  /** When not ready: seconds after which asking again makes sense (an API answers 503 with Retry-After). */
  retryAfterSeconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Brings a business's projection up to the changes committed before the
 * call, folding them here (chunk by chunk) or waiting for the process that
 * is, for at most maxWaitMs. A backlog larger than maxBacklog (a first
 * connect just uploaded) is not attempted: the answer says how far behind it
 * is, and a background catch-up (scheduleProjection) does the work.
 */
export async function ensureProjection(db: ServerDb, businessId: string, options: { maxWaitMs?: number; maxBacklog?: number } = {}): Promise<EnsureResult> {
  const maxWaitMs = options.maxWaitMs ?? 2000;
  const maxBacklog = options.maxBacklog ?? 20_000;
  const started = Date.now();
  const { lastSeq: target, seq: start } = await projectionLag(db, businessId);
  let seq = start;
  const notReady = (): EnsureResult => {
    const behind = Math.max(1, target - seq);
    // 500 to 1,000 changes a second folded (README, the projection's figures): a rough hint, 1 s to 10 min.
    return { ready: false, behind, retryAfterSeconds: Math.min(600, Math.max(1, Math.ceil(behind / 750))) };
  };
  if (seq >= target) return { ready: true, behind: 0, retryAfterSeconds: 0 };
  if (target - seq > maxBacklog) {
    scheduleProjection(db, businessId, 0);
    return notReady();
  }
  for (;;) {
    const result = await catchUpChunk(db, businessId);
    if (result.state === 'busy') await sleep(20);
    seq = (await projectionLag(db, businessId)).seq;
    if (seq >= target) return { ready: true, behind: 0, retryAfterSeconds: 0 };
    if (Date.now() - started >= maxWaitMs) {
      scheduleProjection(db, businessId, 0);
      return notReady();
    }
  }
}

/**
 * Background catch-up, per process: a business is folded a moment after its
 * last push (a first connect's thousand pushes in a row are not slowed by a
 * fold between each), chunk after chunk until nothing is left or another
 * process holds the lock. A push that arrives while a backlog is being folded
 * makes the fold give way after its chunk: the business is uploading (a first
 * connect), and a fold running beside it took a third of the server's CPU and
 * PostgreSQL's writes from the pushes (README, the sync bench). Its next start
 * then waits for UPLOAD_QUIET_MS without a push, until a run folds everything.
 * What it keeps in memory is only which timers run and which businesses are
 * uploading; the state is the cursor in the database, so a process that stops
 * loses nothing (the next read or push carries on), and reads fold on demand
 * meanwhile (ensureProjection).
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Businesses a push reached while their fold ran. */
  private readonly pushedDuring = new Set<string>();
  /** Businesses whose fold gave way to their pushes: the next one waits for a longer quiet. */
  private readonly uploading = new Set<string>();
  private closed = false;

  constructor(
    private readonly db: ServerDb,
    private readonly onError: (error: unknown) => void,
    /** Changes per chunk, and the quiet an uploading business's fold waits for (tests make them small, and watch each chunk). */
    private readonly sizes: { chunk: number; uploadQuietMs: number; afterChunk?: (businessId: string) => void } = { chunk: CHUNK, uploadQuietMs: UPLOAD_QUIET_MS },
  ) {}

  schedule(businessId: string, delayMs: number, push = false): void {
    if (this.closed) return;
    if (this.running.has(businessId)) {
      this.again.add(businessId);
      if (push) this.pushedDuring.add(businessId);
      return;
    }
    clearTimeout(this.timers.get(businessId));
    const wait = push && this.uploading.has(businessId) ? Math.max(delayMs, this.sizes.uploadQuietMs) : delayMs;
    const timer = setTimeout(() => {
      this.timers.delete(businessId);
      this.run(businessId);
    }, wait);
    timer.unref?.();
    this.timers.set(businessId, timer);
  }

  private run(businessId: string): void {
    this.pushedDuring.delete(businessId);
    const work = (async () => {
      try {
        for (;;) {
          if (this.closed) return;
          const result = await catchUpChunk(this.db, businessId, this.sizes.chunk);
          this.sizes.afterChunk?.(businessId);
          if (result.state === 'done') this.uploading.delete(businessId);
          if (result.state !== 'more') return; // done, or another process is folding it
          if (this.pushedDuring.has(businessId)) {
            this.uploading.add(businessId);
            return; // pushes keep coming: give way (the finally schedules the rest)
          }
        }
      } catch (error) {
        if (!this.closed) this.onError(error);
      }
    })().finally(() => {
      this.running.delete(businessId);
      const pushed = this.pushedDuring.delete(businessId);
      if (this.again.delete(businessId)) this.schedule(businessId, AFTER_PUSH_MS, pushed);
    });
    this.running.set(businessId, work);
  }

  /** Stops scheduling and waits for the chunks under way (before the database closes). */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.running.values()]);
  }
}

/** How long after a business's last push its background catch-up starts. */
export const AFTER_PUSH_MS = 300;
/** The same, for a business whose fold gave way to its pushes (an upload under way). */
export const UPLOAD_QUIET_MS = 2000;

const schedulers = new WeakMap<ServerDb, Scheduler>();

/** The process's background catch-up for this database (created on first use). */
export function projectionScheduler(db: ServerDb, onError: (error: unknown) => void = (e) => console.error('projection catch-up failed:', e)): Scheduler {
  let s = schedulers.get(db);
  if (!s) schedulers.set(db, (s = new Scheduler(db, onError)));
  return s;
}

/**
 * Folds a business's new changes in the background after delayMs (coalesced per business). `push`: called
 * for a push, which makes a fold of a backlog under way give way (Scheduler).
 */
export function scheduleProjection(db: ServerDb, businessId: string, delayMs = AFTER_PUSH_MS, push = false): void {
  projectionScheduler(db).schedule(businessId, delayMs, push);
}

/** Stops this process's background catch-up and waits for it (call before closing the database). */
export async function stopProjection(db: ServerDb): Promise<void> {
  await schedulers.get(db)?.close();
  schedulers.delete(db);
}
