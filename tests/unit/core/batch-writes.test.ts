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
});
