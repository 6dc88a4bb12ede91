import fs from 'node:fs';
import path from 'node:path';
import type { PulledChange } from '@shared/sync/server-wire';
import type { Core } from '../../../src-main/core/core';
import { openBusinessDb, type BusinessDb } from '../../../src-main/core/db/open';
import { applyRemote, enableSync, markPushed, observeServerTime, pendingChanges, recordSnapshot } from '../../../src-main/core/sync';
import { call, connect, makeCore, MIGRATIONS_DIR, OWNER_PASSWORD, signUp, tempDir, type TestConnection } from '../../support/core';

/** An in-process stand-in for the server's ordered log: numbers pushed changes per business, 1, 2, 3... */
export class OrderedLog {
  readonly changes: PulledChange[] = [];
  private readonly ids = new Set<string>();

  push(deviceId: string, changes: ReturnType<typeof pendingChanges>): void {
    for (const c of changes) {
      if (this.ids.has(c.id)) continue;
      this.ids.add(c.id);
      this.changes.push({ ...c, seq: this.changes.length + 1, deviceId });
    }
  }

  pull(deviceId: string, after: number, limit: number): { changes: PulledChange[]; next: number } {
    const page: PulledChange[] = [];
    let next = after;
    for (const c of this.changes.slice(after)) {
      if (page.length >= limit) break;
      next = c.seq;
      if (c.deviceId !== deviceId) page.push(c);
    }
    return { changes: page, next };
  }
}

export interface Pc {
  name: string;
  deviceId: string;
  core: Core;
  conn: TestConnection;
  db: BusinessDb;
  cursor: number;
}

export async function firstPc(log: OrderedLog, deviceId = 'a000000000000001'): Promise<{ pc: Pc; businessId: string }> {
  const { core } = makeCore();
  const { conn, businessId } = await signUp(core, { timezone: 'UTC' });
  const db = core.businesses.get(businessId);
  observeServerTime(db, Date.now(), Date.now());
  enableSync(db, deviceId);
  recordSnapshot(db);
  const pc: Pc = { name: 'A', deviceId, core, conn: conn as TestConnection, db, cursor: 0 };
  push(pc, log, 1_000_000);
  return { pc, businessId };
}

/** A PC that joins: an empty, freshly migrated file with the business id, filled by applying, then opened by a Core and logged in. */
export async function joiningPc(log: OrderedLog, businessId: string, name: string, deviceId: string): Promise<Pc> {
  const dataDir = tempDir();
  const file = path.join(dataDir, 'businesses', `${businessId}.sqlite`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const bare = openBusinessDb(businessId, file, { migrationsDir: MIGRATIONS_DIR, create: true });
  enableSync(bare, deviceId);
  // In small pages, each its own transaction: a row's references must come in an earlier page or its own.
  let cursor = 0;
  for (;;) {
    const page = log.pull(deviceId, cursor, 37);
    if (page.next === cursor) break;
    applyRemote(bare, page.changes);
    cursor = page.next;
  }
  bare.sqlite.close();
  const { core } = makeCore({ dataDir });
  const conn = connect();
  await call(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD });
  return { name, deviceId, core, conn, db: core.businesses.get(businessId), cursor };
}

export function push(pc: Pc, log: OrderedLog, batch: number): number {
  const changes = pendingChanges(pc.db, batch);
  log.push(pc.deviceId, changes);
  markPushed(pc.db, changes.map((c) => c.id));
  return changes.length;
}

export function pull(pc: Pc, log: OrderedLog, limit: number, twice = false): number {
  const page = log.pull(pc.deviceId, pc.cursor, limit);
  applyRemote(pc.db, page.changes);
  if (twice) applyRemote(pc.db, page.changes);
  pc.cursor = page.next;
  return page.changes.length;
}

/** Push and pull on every PC until nothing moves. */
export function syncAll(pcs: Pc[], log: OrderedLog): void {
  for (let round = 0; round < 10; round += 1) {
    let moved = 0;
    for (const pc of pcs) while (push(pc, log, 500) > 0) moved += 1;
    for (const pc of pcs) while (pull(pc, log, 500) > 0) moved += 1;
    if (moved === 0) return;
  }
  throw new Error('sync did not settle in 10 rounds');
}
