import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BatchWrites } from '../../../src-main/core/db/batch-writes';

describe('BatchWrites (a billing batch holds rows back and makes them table by table)', () => {
  it('writes nothing until flushed, then every row in order, many per statement, with statements on a table after its earlier rows', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY, note TEXT); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id), v TEXT)');
    db.pragma('foreign_keys = ON');
    const writes = new BatchWrites(db);
    const PARENT = ['id', 'note'] as const;
    const CHILD = ['id', 'parent_id', 'v'] as const;
    // 123 parents: two statements of 50 rows, then 23 one at a time.
    for (let i = 1; i <= 123; i++) writes.insert('parent', PARENT, [i, `p${i}`]);
    writes.run('parent', 'UPDATE parent SET note = ? WHERE id = ?', ['changed', 7]);
    writes.insert('parent', PARENT, [124, 'after the update']);
    for (let i = 1; i <= 60; i++) writes.insert('child', CHILD, [i, (i % 123) + 1, `c${i}`]);
    expect(writes.size).toBe(123 + 1 + 1 + 60);
    expect(db.prepare('SELECT count(*) FROM parent').pluck().get()).toBe(0);

    db.transaction(() => writes.flush())();
    expect(writes.size).toBe(0);
    expect(db.prepare('SELECT count(*) FROM parent').pluck().get()).toBe(124);
    expect(db.prepare('SELECT note FROM parent WHERE id = 7').pluck().get()).toBe('changed');
    expect(db.prepare('SELECT note FROM parent WHERE id = 124').pluck().get()).toBe('after the update');
    expect(db.prepare('SELECT group_concat(v) FROM (SELECT v FROM child ORDER BY id)').pluck().get()).toBe(
      Array.from({ length: 60 }, (_, i) => `c${i + 1}`).join(','),
    );
  });

  it('an error while flushing leaves nothing of the batch when its transaction rolls back', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    db.prepare('INSERT INTO t VALUES (1, ?)').run('before');
    const writes = new BatchWrites(db);
    const COLUMNS = ['id', 'v'] as const;
    writes.insert('t', COLUMNS, [2, 'a']);
    writes.insert('t', COLUMNS, [3, null]); // NOT NULL fails
    expect(() => db.transaction(() => writes.flush())()).toThrow(/NOT NULL/);
    expect(db.prepare('SELECT group_concat(v) FROM t').pluck().get()).toBe('before');
  });

  it('merges later changes of a held row into it (its INSERT or its UPDATE), never across a statement queued in between', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, status TEXT, tries INTEGER, note TEXT)');
    db.prepare("INSERT INTO t VALUES ('old', 'open', 0, NULL)").run();
    let updates = 0;
    db.function('counted', () => ++updates);
    db.exec("CREATE TRIGGER t_upd AFTER UPDATE ON t BEGIN SELECT counted(); END");
    const writes = new BatchWrites(db);
    const COLUMNS = ['id', 'status', 'tries'] as const;
    writes.insert('t', COLUMNS, ['new', 'open', 1]);
    writes.update('t', 'new', { status: 'failed', tries: 2 }); // into the INSERT
    writes.update('t', 'old', { status: 'failed' });
    writes.update('t', 'old', { tries: 5 }); // into the UPDATE of 'old'
    writes.update('t', 'new', { note: 'not an INSERT column' }); // an UPDATE after the INSERT
    writes.run('t', "UPDATE t SET note = coalesce(note, '') || '+' WHERE id = 'old'", []);
    writes.update('t', 'old', { status: 'paid' }); // after the statement: not merged back before it
    expect(writes.size).toBe(5);
    db.transaction(() => writes.flush())();
    expect(db.prepare('SELECT id, status, tries, note FROM t ORDER BY id').all()).toEqual([
      { id: 'new', status: 'failed', tries: 2, note: 'not an INSERT column' },
      { id: 'old', status: 'paid', tries: 5, note: '+' },
    ]);
    // One UPDATE of 'old' before the statement, the statement, one after; one UPDATE of 'new'.
    expect(updates).toBe(4);
  });

  it('makes the rows of its parent tables first, whatever order they were written in', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE parent (id TEXT PRIMARY KEY); CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id))');
    db.pragma('foreign_keys = ON');
    const writes = new BatchWrites(db, ['parent']);
    writes.insert('child', ['id', 'parent_id'], ['c1', 'p1']);
    writes.insert('parent', ['id'], ['p1']);
    db.transaction(() => writes.flush())();
    expect(db.prepare('SELECT parent_id FROM child').pluck().get()).toBe('p1');
  });
});
