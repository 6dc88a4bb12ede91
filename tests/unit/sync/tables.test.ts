import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBusinessDb } from '../../../src-main/core/db/open';
import { fileTableShapes } from '../../../src-main/core/sync/schema-info';
import { isLocalOnlyTable, syncedTable, triggerSql, UNIQUE_KEYS, UNIQUE_NOT_COLLIDING } from '../../../src-main/core/sync/tables';
import { enableSync, pendingChanges } from '../../../src-main/core/sync';
import { MIGRATIONS_DIR, tempDir, openBusinessFile } from '../../support/core';

const norm = (sql: string) => sql.replace(/\s+/g, ' ').trim();

function migrated() {
  const dir = tempDir('recurra-sync-');
  return openBusinessDb('b1', path.join(dir, 'b1.sqlite'), { migrationsDir: MIGRATIONS_DIR, create: true });
}

describe('every table of the schema syncs with current triggers, or is local-only for a reason', () => {
  it('walks sqlite_schema: triggers equal what the current columns generate', () => {
    const db = migrated();
    const triggers = new Map(
      (db.sqlite.prepare("SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'").all() as { name: string; tbl_name: string; sql: string }[]).map(
        (t) => [t.name, t],
      ),
    );
    const problems: string[] = [];
    let synced = 0;
    for (const shape of fileTableShapes(db.sqlite)) {
      if (isLocalOnlyTable(shape.name)) continue;
      synced += 1;
      const expected = triggerSql(syncedTable(shape));
      const names = expected.map((sql) => /CREATE TRIGGER (\S+)/.exec(sql)![1]!);
      for (const [i, name] of names.entries()) {
        const actual = triggers.get(name);
        if (!actual) problems.push(`${shape.name}: trigger ${name} is missing (run npm run db:sync-triggers)`);
        else if (norm(actual.sql) !== norm(expected[i]!)) problems.push(`${shape.name}: trigger ${name} does not match the table's columns (run npm run db:sync-triggers)`);
        triggers.delete(name);
      }
    }
    for (const left of triggers.values()) if (!isLocalOnlyTable(left.tbl_name)) problems.push(`trigger ${left.name} on ${left.tbl_name} is not one the table should have`);
    expect(problems).toEqual([]);
    expect(synced).toBeGreaterThan(15);
    db.sqlite.close();
  });

  it('every unique index of a synced table is a collision key or explained', () => {
    const db = migrated();
    const problems: string[] = [];
    for (const shape of fileTableShapes(db.sqlite)) {
      if (isLocalOnlyTable(shape.name)) continue;
      const indexes = db.sqlite.prepare(`PRAGMA index_list("${shape.name}")`).all() as { name: string; unique: number; origin: string }[];
      for (const ix of indexes) {
        if (!ix.unique || ix.origin === 'pk') continue;
        const known = (UNIQUE_KEYS[shape.name] ?? []).some((k) => k.index === ix.name) || ix.name in UNIQUE_NOT_COLLIDING;
        if (!known) problems.push(`${shape.name}.${ix.name}`);
      }
    }
    expect(problems).toEqual([]);
    db.sqlite.close();
  });

  it('a new column without regenerated triggers is caught', () => {
    const db = migrated();
    db.sqlite.exec("ALTER TABLE plans ADD COLUMN colour TEXT NOT NULL DEFAULT ''");
    const shape = fileTableShapes(db.sqlite).find((s) => s.name === 'plans')!;
    const actual = db.sqlite.prepare("SELECT sql FROM sqlite_schema WHERE name = 'sync_plans_insert'").pluck().get() as string;
    expect(norm(actual)).not.toBe(norm(triggerSql(syncedTable(shape))[0]!));
    db.sqlite.close();
  });

  it('a raw connection (no custom function) records its writes once sync is on, and a rollback leaves no change', () => {
    const db = migrated();
    enableSync(db, 'dev0000000000001');
    const raw = openBusinessFile(db.file);
    raw.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', 'now')").run();
    raw.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('billing.lock', '{}', 'now')").run();
    raw.prepare("UPDATE settings SET value = '2' WHERE key = 'x'").run();
    raw.prepare("UPDATE settings SET value = '2' WHERE key = 'x'").run(); // no change: no record
    expect(() =>
      raw.transaction(() => {
        raw.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('y', '1', 'now')").run();
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    raw.prepare("DELETE FROM settings WHERE key = 'x'").run();
    raw.close();
    const changes = pendingChanges(db, 100);
    expect(changes.map((c) => [c.table, c.rowId, c.op])).toEqual([
      ['settings', 'x', 'upsert'],
      ['settings', 'x', 'upsert'],
      ['settings', 'x', 'delete'],
    ]);
    expect(changes[0]!.fields).toEqual({ key: 'x', value: '1', updated_at: 'now' });
    expect(changes[1]!.fields).toEqual({ value: '2', '@base': { value: '1' } });
    expect(changes[0]!.id < changes[1]!.id && changes[1]!.id < changes[2]!.id).toBe(true);
    expect(changes[0]!.id).toMatch(/^\d{13}-\d{9}-dev0000000000001$/);
    db.sqlite.close();
  });
});

describe('the HLC', () => {
  it('a PC hours ahead stamps at the server time once it has seen it; a PC behind orders after what it applied', async () => {
    const { applyRemote, observeServerTime } = await import('../../../src-main/core/sync');
    const db = migrated();
    const now = Date.now();
    // This PC's clock is 3 hours ahead of the server's.
    expect(observeServerTime(db, now - 3 * 3_600_000, now)).toEqual({ skewMs: 3 * 3_600_000 });
    enableSync(db, 'dev0000000000001');
    db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', 'now')").run();
    const ms = Number(pendingChanges(db, 1)[0]!.hlc.slice(0, 13));
    expect(Math.abs(ms - (now - 3 * 3_600_000))).toBeLessThan(60_000);
    // A change from a PC an hour ahead of that: the next local stamp still sorts after it.
    const ahead = `${String(now + 3_600_000).padStart(13, '0')}-000000005-dev0000000000002`;
    applyRemote(db, [{ seq: 1, id: ahead, hlc: ahead, deviceId: 'dev0000000000002', table: 'settings', rowId: 'b', op: 'upsert', fields: { key: 'b', value: '2', updated_at: 'now' } }]);
    db.sqlite.prepare("UPDATE settings SET value = '3' WHERE key = 'b'").run();
    const last = pendingChanges(db, 10).at(-1)!;
    expect(last.rowId).toBe('b');
    expect(last.hlc > ahead).toBe(true);
    // Applying it again changes nothing.
    expect(applyRemote(db, [{ seq: 1, id: ahead, hlc: ahead, deviceId: 'dev0000000000002', table: 'settings', rowId: 'b', op: 'upsert', fields: { key: 'b', value: '2', updated_at: 'now' } }])).toEqual({ applied: 0, skipped: 1, conflicts: 0 });
    expect(db.sqlite.prepare("SELECT value FROM settings WHERE key = 'b'").pluck().get()).toBe('3');
    db.sqlite.close();
  });
});

describe('a change the file refuses', () => {
  it('is listed and skipped, the rest of the page applies, and it is not retried', async () => {
    const { applyRemote, listConflicts } = await import('../../../src-main/core/sync');
    const db = migrated();
    enableSync(db, 'dev0000000000001');
    const stamp = (n: number) => `${String(1_800_000_000_000 + n).padStart(13, '0')}-000000000-dev0000000000002`;
    const change = (n: number, fields: Record<string, unknown>) => ({ seq: n, id: stamp(n), hlc: stamp(n), deviceId: 'dev0000000000002', table: 'settings', rowId: `k${n}`, op: 'upsert' as const, fields });
    const page = [change(1, { key: 'k1', value: null, updated_at: 'x' }), change(2, { key: 'k2', value: 'ok', updated_at: 'x' })];
    expect(applyRemote(db, page)).toEqual({ applied: 2, skipped: 0, conflicts: 1 });
    expect(db.sqlite.prepare('SELECT key FROM settings').pluck().all()).toEqual(['k2']);
    expect(listConflicts(db)).toEqual([expect.objectContaining({ entity: 'settings', id: 'k1', field: '(refused)', overwritten: expect.stringContaining('NOT NULL') })]);
    expect(applyRemote(db, page)).toEqual({ applied: 0, skipped: 2, conflicts: 0 });
    db.sqlite.close();
  });
});
