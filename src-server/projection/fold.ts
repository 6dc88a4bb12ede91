import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import type { SyncTableInfo, SyncUniqueKey } from '@shared/sync/table-map-types';
import { foldUnique, suffixedValue, uniqueLoses } from '@shared/sync/merge-rules';
import { emptyTouched, noteTouched, type Touched } from '@shared/sync/touched';

// The fold: changes, in server order, made into the rows every PC holds after
// applying them (docs/sync-pc.md, "Applying"; src-main/core/sync/apply.ts is
// the PC's side, in SQL). The server folds every change of a business in seq
// order into an empty projection: what a PC joining now would hold, which is
// what every PC holds once all have synced (sync guarantee 2). So it follows
// the PC's rules step for step, over rows kept as JSON with their history
// (RowState) instead of SQLite tables plus a change log:
//   - per field, the later HLC wins against the field's latest stamp;
//   - an edit of a missing row is dropped; an insert stamped before the row's
//     last delete stays deleted; a delete stamped before the row's last
//     insert is dropped;
//   - a delete acts as SQLite's foreign keys do: RESTRICT children keep the
//     row, CASCADE children go with it, SET NULL children lose the reference;
//   - unique keys two PCs can take: the later-created row gets `value~rowid`
//     (src-shared/sync/merge-rules.ts, the PC's own code too), a delete
//     gives a suffixed value back when its holder was deleted before the
//     loser was created;
//   - a subscription's history rows meeting a taken number are renumbered by
//     (creation stamp, row id);
//   - after the chunk: children left pointing at a missing parent bring a
//     RESTRICT parent back (rebuilt from its latest values and the delete's
//     "@base", with the CASCADE children it took), or are deleted or nulled;
//   - money and counts derived again for the rows touched (which rows: the
//     PC's own rule, src-shared/sync/touched.ts): payments' amount refunded,
//     invoices' credit applied (from their credit transactions), amount paid
//     and due (and paid status), customers'
//     credit balance, coupons' times redeemed, counter sales' refunded amount
//     and status and their lines' refunded quantities, tracked products' stock
//     (the sum of their stock movements);
//   - a change that breaks a unique index that is not a collision key (plan
//     tier positions, one invoice per period, a history number taken by an
//     update) is refused, as SQLite refuses it on the PC.
// Conflicts are not written here: every PC that meets one writes the same
// sync_conflicts and audit_log rows with capture on, and they reach the
// server as changes like any other.

export type Row = Record<string, unknown>;

export interface FoldChange {
  seq: number;
  id: string;
  hlc: string;
  table: string;
  rowId: string;
  op: 'upsert' | 'delete';
  fields: Row;
}

/** One synced row of one business and what the merge rules read of its history. */
export interface RowState {
  tbl: string;
  rowId: string;
  /** The row's synced columns, null while it does not exist. */
  data: Row | null;
  /** Per column, the latest HLC of an upsert carrying it. */
  stamps: Record<string, string>;
  /** Per column, that upsert's value. */
  latest: Row;
  createdHlc: string;
  recreatedHlc: string;
  deletedHlc: string;
  deleteBase: Row | null;
}

/** Reads rows of one business from storage; the fold lays its own unsaved rows over what these return. */
export interface ProjectionReader {
  load(keys: { tbl: string; rowId: string }[]): Promise<RowState[]>;
  /** Rows of `tbl` whose refs hold any of `refs` (`column:value`). */
  byRefs(tbl: string, refs: string[]): Promise<RowState[]>;
  /** Rows of `tbl` whose unique value (folded) is any of `values`. */
  byUnique(tbl: string, values: string[]): Promise<RowState[]>;
  /** Rows of `tbl` holding a suffixed unique value. */
  suffixed(tbl: string): Promise<RowState[]>;
}

const same = (a: unknown, b: unknown) => a === b || (a == null && b == null);
const cacheKey = (tbl: string, rowId: string) => `${tbl}\u0000${rowId}`;

export function keyValues(t: SyncTableInfo, tbl: string, rowId: string): unknown[] {
  if (t.key.length === 1) return [rowId];
  const parsed = JSON.parse(rowId) as unknown;
  if (!Array.isArray(parsed) || parsed.length !== t.key.length) throw new Error(`row id ${rowId} of ${tbl} is not its ${t.key.length} key columns`);
  return parsed;
}

/** The collision key's value as the unique index compares it: of the row, or of the row a delete removed. */
export function uniqueValueOf(t: SyncTableInfo, s: RowState): string | null {
  const key = t.uniqueKeys[0];
  if (!key) return null;
  const source = s.data ?? (s.deletedHlc ? s.deleteBase : null);
  return source ? foldUnique(key, source[key.column]) : null;
}

/** `column:value` of each foreign key the row holds, now or in its latest values. */
export function refsOf(t: SyncTableInfo, s: RowState): string[] {
  const out = new Set<string>();
  for (const fk of t.foreignKeys) {
    for (const v of [s.data?.[fk.column], s.latest[fk.column]]) if (v !== null && v !== undefined) out.add(`${fk.column}:${String(v)}`);
  }
  return [...out];
}

export const blankRow = (tbl: string, rowId: string): RowState => ({
  tbl,
  rowId,
  data: null,
  stamps: {},
  latest: {},
  createdHlc: '',
  recreatedHlc: '',
  deletedHlc: '',
  deleteBase: null,
});

export class Fold {
  private readonly cache = new Map<string, Map<string, RowState>>();
  /** This chunk's rows by `tbl, column:value` of their references and by `tbl, unique value`; entries are only added, lookups filter. */
  private readonly refIndex = new Map<string, Set<RowState>>();
  private readonly uniqueIndex = new Map<string, Set<RowState>>();
  private readonly dirty = new Set<RowState>();
  /** Rows inserted or changed in this chunk: the ones whose references are checked at its end. */
  private readonly written = new Set<RowState>();
  private readonly loadedRefs = new Set<string>();
  private readonly loadedUnique = new Set<string>();
  private readonly touched: Touched = emptyTouched();
  private readonly renumber = new Set<string>();
  /** Changes refused (a strict unique index), for the caller's log. */
  refused = 0;

  constructor(private readonly reader: ProjectionReader) {}

  /** The rows this fold changed, to be written back. */
  changedRows(): RowState[] {
    return [...this.dirty];
  }

  private tableCache(tbl: string): Map<string, RowState> {
    let m = this.cache.get(tbl);
    if (!m) this.cache.set(tbl, (m = new Map()));
    return m;
  }

  private adopt(rows: RowState[]): RowState[] {
    return rows.map((r) => {
      const m = this.tableCache(r.tbl);
      const had = m.get(r.rowId);
      if (had) return had;
      m.set(r.rowId, r);
      this.index(r);
      return r;
    });
  }

  private static add(index: Map<string, Set<RowState>>, key: string, s: RowState): void {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(s);
  }

  private index(s: RowState): void {
    const t = SYNC_TABLE_MAP[s.tbl];
    if (!t) return;
    for (const ref of refsOf(t, s)) Fold.add(this.refIndex, `${s.tbl}\u0000${ref}`, s);
    const u = uniqueValueOf(t, s);
    if (u !== null) Fold.add(this.uniqueIndex, `${s.tbl}\u0000${u}`, s);
  }

  private touch(s: RowState): void {
    this.dirty.add(s);
    this.index(s);
  }

  async prefetch(changes: FoldChange[]): Promise<void> {
    const keys = new Map<string, { tbl: string; rowId: string }>();
    const refs = new Map<string, Set<string>>();
    const uniques = new Map<string, Set<string>>();
    const addRef = (tbl: string, ref: string) => {
      if (!refs.has(tbl)) refs.set(tbl, new Set());
      refs.get(tbl)!.add(ref);
    };
    for (const c of changes) {
      const t = SYNC_TABLE_MAP[c.table];
      if (!t) continue;
      keys.set(cacheKey(c.table, c.rowId), { tbl: c.table, rowId: c.rowId });
      for (const fk of t.foreignKeys) {
        const v = c.fields[fk.column];
        if (v !== null && v !== undefined) keys.set(cacheKey(fk.table, String(v)), { tbl: fk.table, rowId: String(v) });
      }
      const key = t.uniqueKeys[0];
      const u = key ? foldUnique(key, c.fields[key.column]) : null;
      if (u !== null) {
        if (!uniques.has(c.table)) uniques.set(c.table, new Set());
        uniques.get(c.table)!.add(u);
      }
      if (c.table === 'subscription_history' && typeof c.fields.subscription_id === 'string') addRef('subscription_history', `subscription_id:${c.fields.subscription_id}`);
      for (const cols of t.strictUnique) {
        const via = cols.find((col) => t.foreignKeys.some((fk) => fk.column === col));
        const v = via ? c.fields[via] : undefined;
        if (via && v !== null && v !== undefined) addRef(c.table, `${via}:${String(v)}`);
      }
      if (c.op === 'delete') for (const [child, info] of Object.entries(SYNC_TABLE_MAP)) for (const fk of info.foreignKeys) if (fk.table === c.table) addRef(child, `${fk.column}:${c.rowId}`);
    }
    await this.loadKeys([...keys.values()]);
    for (const [tbl, set] of uniques) await this.uniqueRows(tbl, [...set]);
    for (const [tbl, set] of refs) await this.refRows(tbl, [...set]);
  }

  private async loadKeys(keys: { tbl: string; rowId: string }[]): Promise<void> {
    const missing = keys.filter((k) => !this.tableCache(k.tbl).has(k.rowId));
    if (missing.length === 0) return;
    const found = this.adopt(await this.reader.load(missing));
    const got = new Set(found.map((r) => cacheKey(r.tbl, r.rowId)));
    for (const k of missing) if (!got.has(cacheKey(k.tbl, k.rowId))) this.tableCache(k.tbl).set(k.rowId, blankRow(k.tbl, k.rowId));
  }

  async row(tbl: string, rowId: string): Promise<RowState> {
    const had = this.tableCache(tbl).get(rowId);
    if (had) return had;
    await this.loadKeys([{ tbl, rowId }]);
    return this.tableCache(tbl).get(rowId)!;
  }

  /** Rows of tbl whose column refers to value (existing or not), storage and this chunk's rows together. */
  private async refRows(tbl: string, refs: string[]): Promise<void> {
    const need = refs.filter((r) => !this.loadedRefs.has(`${tbl}\u0000${r}`));
    if (need.length === 0) return;
    this.adopt(await this.reader.byRefs(tbl, need));
    for (const r of need) this.loadedRefs.add(`${tbl}\u0000${r}`);
  }

  private async children(tbl: string, column: string, value: string): Promise<RowState[]> {
    await this.refRows(tbl, [`${column}:${value}`]);
    return [...(this.refIndex.get(`${tbl}\u0000${column}:${value}`) ?? [])].filter((s) => s.data?.[column] === value || s.latest[column] === value).sort((a, b) => (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0));
  }

  private async uniqueRows(tbl: string, values: string[]): Promise<void> {
    const need = values.filter((v) => !this.loadedUnique.has(`${tbl}\u0000${v}`));
    if (need.length === 0) return;
    this.adopt(await this.reader.byUnique(tbl, need));
    for (const v of need) this.loadedUnique.add(`${tbl}\u0000${v}`);
  }

  private async holdersOf(t: SyncTableInfo, tbl: string, folded: string): Promise<RowState[]> {
    await this.uniqueRows(tbl, [folded]);
    return [...(this.uniqueIndex.get(`${tbl}\u0000${folded}`) ?? [])].filter((s) => uniqueValueOf(t, s) === folded).sort((a, b) => (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0));
  }

  async apply(c: FoldChange): Promise<void> {
    const t = SYNC_TABLE_MAP[c.table];
    if (!t) return; // a table this server's map does not have (a newer PC): kept in the change log only
    const s = await this.row(c.table, c.rowId);
    noteTouched(this.touched, c.table, c.rowId, s.data, c.fields);
    if (c.op === 'delete') await this.applyDelete(t, c, s);
    else await this.applyUpsert(t, c, s);
    this.remember(t, s, c);
  }

  /** The row's history, as the PC's log holds it: updated after the change is applied, as the PC stores it after applying. */
  private remember(t: SyncTableInfo, s: RowState, c: FoldChange): void {
    this.touch(s);
    const base = c.fields['@base'] as Row | undefined;
    if (c.op === 'delete') {
      if (c.hlc > s.deletedHlc) {
        s.deletedHlc = c.hlc;
        if (base) s.deleteBase = base;
      }
      this.index(s);
      return;
    }
    if (!base) {
      if (!s.createdHlc || c.hlc < s.createdHlc) s.createdHlc = c.hlc;
      if (c.hlc > s.recreatedHlc) s.recreatedHlc = c.hlc;
    }
    for (const [f, v] of Object.entries(c.fields)) {
      if (f === '@base' || !t.columns.includes(f)) continue;
      const seen = s.stamps[f];
      if (!seen || c.hlc > seen) {
        s.stamps[f] = c.hlc;
        s.latest[f] = v;
      }
    }
    this.index(s);
  }

  private async applyUpsert(t: SyncTableInfo, c: FoldChange, s: RowState): Promise<void> {
    const base = c.fields['@base'] as Row | undefined;
    const values = Object.entries(c.fields).filter(([f]) => f !== '@base' && t.columns.includes(f));
    if (!s.data) {
      if (base) return; // an edit of a row that is not here: it stays away (a conflict on the PCs)
      if (s.deletedHlc > c.hlc) return; // created, then deleted later (by the stamps)
      const insert: Row = Object.fromEntries(values);
      keyValues(t, c.table, c.rowId).forEach((v, i) => (insert[t.key[i]!] = v));
      if (await this.breaksStrictUnique(c.table, s, insert, true)) {
        this.refused += 1;
        return;
      }
      await this.resolveUnique(t, s, insert, c.hlc);
      await this.makeRoomForSeq(c.table, insert);
      s.data = insert;
      this.wrote(s);
      return;
    }
    const write: Row = {};
    for (const [f, v] of values) {
      if (t.key.includes(f)) continue;
      const local = s.stamps[f];
      if ((!local || c.hlc > local) && !same(s.data[f], v)) write[f] = v;
    }
    if (Object.keys(write).length === 0) return;
    if (await this.breaksStrictUnique(c.table, s, { ...s.data, ...write }, false)) {
      this.refused += 1;
      return;
    }
    await this.resolveUnique(t, s, write, s.createdHlc || c.hlc);
    s.data = { ...s.data, ...write };
    this.wrote(s);
  }

  private wrote(s: RowState): void {
    this.touch(s);
    this.written.add(s);
  }

  private async breaksStrictUnique(tbl: string, s: RowState, row: Row, inserting: boolean): Promise<boolean> {
    for (const cols of SYNC_TABLE_MAP[tbl]!.strictUnique) {
      // A history row inserted with a taken number gets a free one instead (makeRoomForSeq).
      if (inserting && tbl === 'subscription_history') continue;
      if (cols.some((c) => row[c] === null || row[c] === undefined)) continue;
      // Found through a column that is a foreign key (each such index has one): the rows sharing its value.
      const via = cols.find((c) => SYNC_TABLE_MAP[tbl]!.foreignKeys.some((fk) => fk.column === c));
      if (!via) continue;
      const others = await this.children(tbl, via, String(row[via]));
      if (others.some((o) => o !== s && o.data && cols.every((c) => same(o.data![c], row[c])))) return true;
    }
    return false;
  }

  private async applyDelete(t: SyncTableInfo, c: FoldChange, s: RowState): Promise<void> {
    if (!s.data) return;
    if (s.recreatedHlc > c.hlc) return; // inserted again after that delete (by the stamps)
    const plan = await this.planDelete(c.table, s, 0);
    if (!plan) return; // rows refer to it with ON DELETE RESTRICT: it stays (listed as a conflict on the PCs)
    const removed = s.data;
    this.execute(plan);
    await this.releaseUnique(t, c.table, s, removed, c.hlc);
  }

  /** What deleting the row does under SQLite's foreign keys: the rows it takes along and the references it nulls; null when a RESTRICT child refuses it. */
  private async planDelete(tbl: string, s: RowState, depth: number): Promise<{ remove: RowState[]; nullify: [RowState, string][] } | null> {
    const plan = { remove: [s], nullify: [] as [RowState, string][] };
    if (depth > 8) return plan;
    for (const [childTbl, info] of Object.entries(SYNC_TABLE_MAP)) {
      for (const fk of info.foreignKeys) {
        if (fk.table !== tbl) continue;
        const kids = (await this.children(childTbl, fk.column, s.rowId)).filter((k) => k.data && k.data[fk.column] === s.rowId);
        if (kids.length === 0) continue;
        if (fk.onDelete === 'CASCADE') {
          for (const k of kids) {
            if (k === s) continue;
            const sub = await this.planDelete(childTbl, k, depth + 1);
            if (!sub) return null;
            plan.remove.push(...sub.remove);
            plan.nullify.push(...sub.nullify);
          }
        } else if (fk.onDelete === 'SET NULL') for (const k of kids) plan.nullify.push([k, fk.column]);
        else if (fk.onDelete === 'RESTRICT') return null;
        // NO ACTION (deferred on the PC): the reference is left broken and repaired at the end of the chunk.
      }
    }
    return plan;
  }

  private execute(plan: { remove: RowState[]; nullify: [RowState, string][] }): void {
    for (const r of plan.remove) {
      r.data = null;
      this.touch(r);
    }
    for (const [r, column] of plan.nullify) {
      if (!r.data) continue;
      r.data = { ...r.data, [column]: null };
      this.touch(r);
    }
  }

  /**
   * Two rows wanting one unique value: the row created later, by (creation
   * HLC, row id), gets the value suffixed with its row id. Also when the
   * holder is deleted already, if it was deleted after this row was created.
   */
  private async resolveUnique(t: SyncTableInfo, s: RowState, write: Row, createdHlc: string): Promise<void> {
    for (const key of t.uniqueKeys) {
      const value = write[key.column];
      if (value === undefined || value === null) continue;
      const folded = foldUnique(key, value)!;
      const other = (await this.holdersOf(t, s.tbl, folded)).find((o) => o !== s && o.data);
      if (!other) {
        if (await this.deletedHolder(t, s.tbl, key, folded, s.rowId, createdHlc)) write[key.column] = suffixedValue(value, s.rowId);
        continue;
      }
      if (uniqueLoses({ created: createdHlc, rowId: s.rowId }, { created: other.createdHlc, rowId: other.rowId })) write[key.column] = suffixedValue(value, s.rowId);
      else {
        other.data = { ...other.data, [key.column]: suffixedValue(other.data![key.column], other.rowId) };
        this.touch(other);
      }
    }
  }

  private async deletedHolder(t: SyncTableInfo, tbl: string, key: SyncUniqueKey, folded: string, rowId: string, createdHlc: string): Promise<boolean> {
    for (const h of await this.holdersOf(t, tbl, folded)) {
      if (h.rowId === rowId || h.data || !h.deletedHlc || !h.deleteBase || foldUnique(key, h.deleteBase[key.column]) !== folded) continue;
      if (h.deletedHlc < createdHlc) continue;
      if (h.createdHlc && uniqueLoses({ created: createdHlc, rowId }, { created: h.createdHlc, rowId: h.rowId })) return true;
    }
    return false;
  }

  /** A deleted row that held a contested value gives it back to the rows that lost it after it was deleted (by the stamps). */
  private async releaseUnique(t: SyncTableInfo, tbl: string, s: RowState, removed: Row, deleteHlc: string): Promise<void> {
    for (const key of t.uniqueKeys) {
      const value = removed[key.column];
      if (typeof value !== 'string' || value.includes('~')) continue;
      const losers = [...(await this.reader.suffixed(tbl)), ...this.tableCache(tbl).values()];
      const seen = new Set<RowState>();
      for (const found of this.adopt(losers)) {
        if (seen.has(found)) continue;
        seen.add(found);
        const held = found.data?.[key.column];
        if (typeof held !== 'string' || !held.endsWith(`~${found.rowId}`)) continue;
        const own = held.slice(0, -(found.rowId.length + 1));
        if (foldUnique(key, own) !== foldUnique(key, value)) continue;
        if (!found.createdHlc || deleteHlc > found.createdHlc) continue; // deleted after it was created: it lost fairly
        const folded = foldUnique(key, own)!;
        if ((await this.holdersOf(t, tbl, folded)).some((o) => o !== found && o.data)) continue;
        if (await this.deletedHolder(t, tbl, key, folded, found.rowId, found.createdHlc)) continue;
        found.data = { ...found.data, [key.column]: own };
        this.touch(found);
      }
    }
    void s;
  }

  /** A history row arriving with a number its subscription already has here takes a free one for now; renumberHistory settles them. */
  private async makeRoomForSeq(tbl: string, row: Row): Promise<void> {
    if (tbl !== 'subscription_history' || typeof row.seq !== 'number' || typeof row.subscription_id !== 'string') return;
    const sub = row.subscription_id;
    const rows = (await this.children('subscription_history', 'subscription_id', sub)).filter((r) => r.data?.subscription_id === sub);
    if (!rows.some((r) => r.data!.seq === row.seq)) return;
    row.seq = Math.min(Math.min(...rows.map((r) => Number(r.data!.seq))), 0) - 1;
    this.renumber.add(sub);
  }

  async renumberHistory(): Promise<void> {
    for (const sub of this.renumber) {
      const rows = (await this.children('subscription_history', 'subscription_id', sub)).filter((r) => r.data?.subscription_id === sub);
      rows.sort((x, y) => (x.createdHlc === y.createdHlc ? (x.rowId < y.rowId ? -1 : 1) : x.createdHlc < y.createdHlc ? -1 : 1));
      rows.forEach((r, i) => {
        if (r.data!.seq === i + 1) return;
        r.data = { ...r.data, seq: i + 1 };
        this.touch(r);
      });
    }
  }

  /**
   * References a chunk left broken: a child whose parent is missing brings a
   * RESTRICT parent back first (pass after pass), then CASCADE children go
   * and SET NULL ones lose the reference, as the PC's repairOrphans does.
   */
  async repairOrphans(): Promise<void> {
    for (let pass = 0; pass < 10; pass += 1) {
      const candidates = [...this.written].filter((s) => s.data);
      const parents = new Map<string, { tbl: string; rowId: string }>();
      for (const s of candidates) {
        for (const fk of SYNC_TABLE_MAP[s.tbl]!.foreignKeys) {
          const v = s.data![fk.column];
          if (v !== null && v !== undefined) parents.set(cacheKey(fk.table, String(v)), { tbl: fk.table, rowId: String(v) });
        }
      }
      await this.loadKeys([...parents.values()]);
      const found: { s: RowState; column: string; table: string; onDelete: string; parent: string }[] = [];
      for (const s of candidates) {
        for (const fk of SYNC_TABLE_MAP[s.tbl]!.foreignKeys) {
          const v = s.data![fk.column];
          if (v === null || v === undefined) continue;
          if (!this.tableCache(fk.table).get(String(v))?.data) found.push({ s, column: fk.column, table: fk.table, onDelete: fk.onDelete, parent: String(v) });
        }
      }
      if (found.length === 0) return;
      const restores = found.filter((v) => v.onDelete !== 'CASCADE' && v.onDelete !== 'SET NULL');
      if (restores.length > 0) {
        for (const v of restores) await this.restoreParent(v.table, v.parent);
        continue;
      }
      for (const v of found) {
        if (!v.s.data) continue;
        if (v.onDelete === 'CASCADE') {
          const plan = await this.planDelete(v.s.tbl, v.s, 0);
          if (plan) this.execute(plan);
        } else {
          v.s.data = { ...v.s.data, [v.column]: null };
          this.touch(v.s);
        }
      }
    }
  }

  /** A row as its history makes it: per column the latest upsert's value, else the last delete's "@base". */
  private rebuild(t: SyncTableInfo, s: RowState): Row | null {
    if (!s.deleteBase && Object.keys(s.latest).length === 0) return null;
    const out: Row = {};
    for (const f of t.columns) {
      if (f in s.latest) out[f] = s.latest[f];
      else if (s.deleteBase && f in s.deleteBase) out[f] = s.deleteBase[f];
    }
    keyValues(t, s.tbl, s.rowId).forEach((v, i) => (out[t.key[i]!] = v));
    return out;
  }

  private async insertRow(t: SyncTableInfo, s: RowState, row: Row): Promise<void> {
    await this.resolveUnique(t, s, row, s.createdHlc);
    await this.makeRoomForSeq(s.tbl, row);
    s.data = row;
    this.wrote(s);
    noteTouched(this.touched, s.tbl, s.rowId, row, {});
  }

  private async restoreParent(tbl: string, rowId: string): Promise<void> {
    const t = SYNC_TABLE_MAP[tbl];
    const s = await this.row(tbl, rowId);
    if (!t || s.data) return; // brought back already (two children of one parent)
    // Never deleted by a change (the PC refuses such a batch whole): nothing to rebuild it from.
    if (!s.deletedHlc) return;
    const row = this.rebuild(t, s);
    if (!row) return;
    await this.insertRow(t, s, row);
    await this.restoreChildren(tbl, s, 0);
  }

  /** The rows a parent's delete took along without a change of their own, brought back with it (those no change deleted). */
  private async restoreChildren(tbl: string, parent: RowState, depth: number): Promise<void> {
    if (depth > 4 || SYNC_TABLE_MAP[tbl]!.key.length !== 1) return;
    for (const [childTbl, info] of Object.entries(SYNC_TABLE_MAP)) {
      for (const fk of info.foreignKeys) {
        if (fk.table !== tbl || fk.onDelete !== 'CASCADE') continue;
        for (const k of await this.children(childTbl, fk.column, parent.rowId)) {
          if (k.data || k.latest[fk.column] !== parent.rowId) continue;
          if (!k.recreatedHlc || k.deletedHlc > k.recreatedHlc) continue; // deleted by a change: stays deleted
          const row = this.rebuild(info, k);
          if (!row || row[fk.column] !== parent.rowId) continue;
          await this.insertRow(info, k, row);
          await this.restoreChildren(childTbl, k, depth + 1);
        }
      }
    }
  }

  private set(s: RowState, patch: Row): void {
    s.data = { ...s.data, ...patch };
    this.touch(s);
  }

  /** Money and counts derived from the insert-only records, for the rows touched (the PC's rederive, same order). */
  async rederive(): Promise<void> {
    const { customers, invoices, payments, coupons } = this.touched;
    const kids = async (tbl: string, column: string, ids: Set<string>) => {
      await this.refRows(tbl, [...ids].map((id) => `${column}:${id}`));
      return (id: string) => [...(this.refIndex.get(`${tbl}\u0000${column}:${id}`) ?? [])].filter((s) => s.data?.[column] === id);
    };
    await this.loadKeys([
      ...[...coupons].map((rowId) => ({ tbl: 'coupons', rowId })),
      ...[...payments].map((rowId) => ({ tbl: 'payments', rowId })),
      ...[...customers].map((rowId) => ({ tbl: 'customers', rowId })),
    ]);
    const subsOf = await kids('subscriptions', 'coupon_id', coupons);
    for (const id of coupons) {
      const c = this.tableCache('coupons').get(id);
      if (!c?.data) continue;
      const n = subsOf(id).length;
      if (c.data.times_redeemed !== n) this.set(c, { times_redeemed: n });
    }
    const refundsOf = await kids('refunds', 'payment_id', payments);
    for (const id of payments) {
      const p = this.tableCache('payments').get(id);
      if (!p?.data) continue;
      if (typeof p.data.invoice_id === 'string') invoices.add(p.data.invoice_id);
      const refunded = refundsOf(id).reduce((sum, r) => sum + Number(r.data!.amount ?? 0), 0);
      const amount = p.data.amount;
      const want = amount === null || amount === undefined ? null : Math.min(Number(amount), refunded);
      if (!same(p.data.amount_refunded, want)) this.set(p, { amount_refunded: want });
    }
    await this.loadKeys([...invoices].map((rowId) => ({ tbl: 'invoices', rowId })));
    const paymentsOf = await kids('payments', 'invoice_id', invoices);
    // An invoice's credit transactions are found through its customer's (the PC has no invoice index on them either).
    const invoiceCustomers = new Set<string>();
    for (const id of invoices) {
      const c = this.tableCache('invoices').get(id)?.data?.customer_id;
      if (typeof c === 'string') invoiceCustomers.add(c);
    }
    const customerCredit = await kids('credit_transactions', 'customer_id', invoiceCustomers);
    for (const id of invoices) {
      const inv = this.tableCache('invoices').get(id);
      const d = inv?.data;
      if (!inv || !d || !['open', 'paid', 'uncollectible'].includes(d.status as string)) continue;
      const ok = paymentsOf(id).filter((p) => p.data!.status === 'succeeded');
      const paid = ok.reduce((sum, p) => sum + Number(p.data!.amount ?? 0), 0);
      const last = ok.reduce<string | null>((m, p) => (typeof p.data!.paid_on === 'string' && (m === null || p.data!.paid_on > m) ? p.data!.paid_on : m), null);
      const credit = invoiceCredit(typeof d.customer_id === 'string' ? customerCredit(d.customer_id).filter((t) => t.data!.invoice_id === id).map((t) => t.data!) : []);
      const left = Number(d.total) - credit.applied - paid;
      const due = Math.max(0, left);
      if (d.amount_paid === paid && d.credit_applied === credit.applied && d.amount_due === due) continue;
      // Settled (paid) by payments or a credit note, on the later of their dates, as on the PC.
      const settles = (d.status === 'open' || d.status === 'uncollectible') && left <= 0 && (paid > 0 || credit.noted > 0);
      const paidOn = (last ?? '') > (credit.lastNoted ?? '') ? (last ?? '') : (credit.lastNoted ?? '');
      this.set(inv, { credit_applied: credit.applied, amount_paid: paid, amount_due: due, ...(settles ? { status: 'paid', paid_on: paidOn, next_retry_on: null } : {}) });
    }
    // A tracked product's stock is the sum of its movements (the ledger), as on the PC.
    const products = this.touched.products;
    await this.loadKeys([...products].map((rowId) => ({ tbl: 'products', rowId })));
    const movementsOf = await kids('stock_movements', 'product_id', products);
    for (const id of products) {
      const p = this.tableCache('products').get(id);
      if (!p?.data || p.data.stock === null || p.data.stock === undefined) continue;
      const stock = movementsOf(id).reduce((sum, m) => sum + Number(m.data!.quantity ?? 0), 0);
      if (Number(p.data.stock) !== stock) this.set(p, { stock });
    }
    const creditOf = await kids('credit_transactions', 'customer_id', customers);
    for (const id of customers) {
      const c = this.tableCache('customers').get(id);
      if (!c?.data) continue;
      const balance = Math.max(0, creditOf(id).reduce((sum, t) => sum + Number(t.data!.amount ?? 0), 0));
      if (c.data.credit_balance !== balance) this.set(c, { credit_balance: balance });
    }
    await this.rederiveSales(kids);
  }

  /** A counter sale's refunded amount and status, and its lines' refunded quantities, from its refunds (the PC's sales/derive.ts). */
  private async rederiveSales(kids: (tbl: string, column: string, ids: Set<string>) => Promise<(id: string) => RowState[]>): Promise<void> {
    const { sales, saleLines } = this.touched;
    await this.loadKeys([...saleLines].map((rowId) => ({ tbl: 'sale_lines', rowId })));
    for (const id of saleLines) {
      const sale = this.tableCache('sale_lines').get(id)?.data?.sale_id;
      if (typeof sale === 'string') sales.add(sale);
    }
    if (sales.size === 0) return;
    await this.loadKeys([...sales].map((rowId) => ({ tbl: 'sales', rowId })));
    const linesOf = await kids('sale_lines', 'sale_id', sales);
    const refundsOf = await kids('sale_refunds', 'sale_id', sales);
    const lineIds = new Set<string>();
    for (const id of sales) for (const l of linesOf(id)) lineIds.add(l.rowId);
    const refundLinesOf = await kids('sale_refund_lines', 'sale_line_id', lineIds);
    for (const id of sales) {
      const sale = this.tableCache('sales').get(id);
      if (!sale?.data) continue;
      let sold = 0;
      let back = 0;
      for (const line of linesOf(id)) {
        const q = refundLinesOf(line.rowId).reduce((sum, r) => sum + Number(r.data!.quantity ?? 0), 0);
        sold += Number(line.data!.quantity ?? 0);
        back += q;
        if (!same(line.data!.refunded_quantity, q)) this.set(line, { refunded_quantity: q });
      }
      const refunded = refundsOf(id).reduce((sum, r) => sum + Number(r.data!.amount ?? 0), 0);
      const status = back <= 0 ? 'paid' : back >= sold ? 'refunded' : 'partially_refunded';
      if (!same(sale.data.refunded, refunded) || sale.data.status !== status) this.set(sale, { refunded, status });
    }
  }
}

/**
 * What an invoice's credit transactions say (the PC's rederive, in SQL there): credit_applied, the credit its
 * 'applied' transactions took off it (credit used at issue, and credit notes settled against it); how many credit
 * notes it has, and the date of the last.
 */
function invoiceCredit(transactions: Row[]): { applied: number; noted: number; lastNoted: string | null } {
  let applied = 0;
  let noted = 0;
  let lastNoted: string | null = null;
  for (const t of transactions) {
    if (t.reason === 'applied') applied -= Number(t.amount ?? 0);
    else if (t.reason === 'credit_note') {
      noted += 1;
      if (typeof t.occurred_on === 'string' && (lastNoted === null || t.occurred_on > lastNoted)) lastNoted = t.occurred_on;
    }
  }
  return { applied, noted, lastNoted };
}

/** Folds one chunk of changes (in seq order) over what the reader holds; returns the rows to write back. */
export async function foldChanges(reader: ProjectionReader, changes: FoldChange[]): Promise<{ rows: RowState[]; refused: number }> {
  const fold = new Fold(reader);
  await fold.prefetch(changes);
  for (const c of changes) await fold.apply(c);
  await fold.repairOrphans();
  await fold.renumberHistory();
  await fold.rederive();
  return { rows: fold.changedRows(), refused: fold.refused };
}
