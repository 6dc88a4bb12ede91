import type Database from 'better-sqlite3';
import { formatMoney, isCurrencyCode } from '@shared/domain/money';
import { suffixedValue, uniqueLoses } from '@shared/sync/merge-rules';
import type { PulledChange } from '@shared/sync/server-wire';
import { emptyTouched, noteTouched, type Touched } from '@shared/sync/touched';
import { stmt } from '../db/statements';
import { deriveSaleRefunds } from '../sales/derive';
import { syncedTables } from './schema-info';
import { UNIQUE_KEYS, type SyncedTable } from './tables';

// Applying pulled changes (docs/sync-pc.md "Applying"). Per field, the later
// HLC wins against the latest stamp of that field in the log (local or
// remote). A conflict is a field both sides changed from a common value
// (an update carries the values it replaced, "@base"), an edit to a deleted
// row, or a unique key taken twice; its id derives from the losing change,
// so every PC that meets it writes the same row, and the rows sync.

interface Conflict {
  id: string;
  entity: string;
  entityId: string;
  field: string;
  kept: unknown;
  overwritten: unknown;
  at: string;
}

interface History {
  stamps: Map<string, { hlc: string; id: string }>;
  lastDelete: string;
  firstCreate: string;
  lastCreate: string;
}

type Row = Record<string, unknown>;
type Fields = Record<string, unknown> & { '@base'?: Row };

const same = (a: unknown, b: unknown) => a === b || (a == null && b == null);
const hlcMs = (hlc: string) => Number(hlc.slice(0, 13));
const isoOf = (hlc: string) => new Date(hlcMs(hlc)).toISOString();
const later = (a: string, b: string) => (a > b ? a : b);

function keyValues(t: SyncedTable, rowId: string): unknown[] {
  if (t.key.length === 1) return [rowId];
  const parsed = JSON.parse(rowId) as unknown;
  if (!Array.isArray(parsed) || parsed.length !== t.key.length) throw new Error(`row id ${rowId} of ${t.name} is not its ${t.key.length} key columns`);
  return parsed;
}

const keyWhere = (t: SyncedTable) => t.key.map((k) => `"${k}" = ?`).join(' AND ');

function history(s: Database.Database, table: string, rowId: string): History {
  const rows = stmt(s, 'SELECT id, hlc, op, fields FROM sync_changes WHERE tbl = ? AND row_id = ?').all(table, rowId) as {
    id: string;
    hlc: string;
    op: string;
    fields: string;
  }[];
  const h: History = { stamps: new Map(), lastDelete: '', firstCreate: '', lastCreate: '' };
  for (const r of rows) {
    if (r.op === 'delete') {
      h.lastDelete = later(h.lastDelete, r.hlc);
      continue;
    }
    const fields = JSON.parse(r.fields) as Fields;
    if (!fields['@base']) {
      h.lastCreate = later(h.lastCreate, r.hlc);
      if (!h.firstCreate || r.hlc < h.firstCreate) h.firstCreate = r.hlc;
    }
    for (const f of Object.keys(fields)) {
      if (f === '@base') continue;
      const seen = h.stamps.get(f);
      if (!seen || r.hlc > seen.hlc) h.stamps.set(f, { hlc: r.hlc, id: r.id });
    }
  }
  return h;
}

class Applier {
  readonly conflicts = new Map<string, Conflict>();
  readonly touched: Touched = emptyTouched();
  /** Subscriptions whose history rows met a number already taken here (renumberHistory). */
  private readonly renumber = new Set<string>();
  private readonly tables: Map<string, SyncedTable>;

  constructor(private readonly s: Database.Database) {
    this.tables = syncedTables(s);
  }

  private conflict(c: Omit<Conflict, 'id'>, loserChange: string): void {
    if (c.entity === 'sync_conflicts' || c.entity === 'audit_log') return;
    // A row's `updated_at` changes with every edit: two PCs editing different fields of one row
    // always "conflict" on it. It still merges by last writer; it is not news for the owner.
    if (BOOKKEEPING_FIELDS.has(c.field) || DERIVED_FIELDS.has(`${c.entity}.${c.field}`)) return;
    const id = `${loserChange}:${c.field}`;
    if (!this.conflicts.has(id)) this.conflicts.set(id, { id, ...c });
  }

  private current(t: SyncedTable, rowId: string): Row | undefined {
    return stmt(this.s, `SELECT ${t.columns.map((c) => `"${c}"`).join(', ')} FROM "${t.name}" WHERE ${keyWhere(t)}`).get(...keyValues(t, rowId)) as Row | undefined;
  }

  apply(c: PulledChange): void {
    const t = this.tables.get(c.table);
    if (!t) return; // a table this version does not have: kept in the log only
    const fields = (c.fields ?? {}) as Fields;
    const h = history(this.s, c.table, c.rowId);
    const row = this.current(t, c.rowId);
    noteTouched(this.touched, t.name, c.rowId, row, fields);
    if (c.op === 'delete') return this.applyDelete(t, c, fields, h, row);
    const base = fields['@base'];
    const values = Object.entries(fields).filter(([f]) => f !== '@base' && t.columns.includes(f));
    if (!row) {
      if (base) {
        // An edit to a row deleted here: it stays deleted, the edit is listed.
        if (h.lastDelete) for (const [f, v] of values) this.conflict({ entity: t.name, entityId: c.rowId, field: f, kept: null, overwritten: v, at: isoOf(later(h.lastDelete, c.hlc)) }, c.id);
        return;
      }
      if (h.lastDelete > c.hlc) return; // created, then deleted later (by the stamps): stays deleted
      const insert = Object.fromEntries(values);
      for (const [k, v] of t.key.map((k, i) => [k, keyValues(t, c.rowId)[i]] as const)) insert[k] = v;
      this.resolveUnique(t, c.rowId, insert, c.hlc);
      this.makeRoomForSeq(t, insert);
      const cols = Object.keys(insert);
      stmt(this.s, `INSERT INTO "${t.name}" (${cols.map((k) => `"${k}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((k) => insert[k]));
      return;
    }
    const write: Row = {};
    for (const [f, v] of values) {
      if (t.key.includes(f)) continue;
      const local = h.stamps.get(f);
      const cur = row[f];
      if (!local || c.hlc > local.hlc) {
        if (!same(cur, v)) {
          write[f] = v;
          // Both sides changed it from a common value (or both created the row): the local value is overwritten.
          if (local && (base ? f in base && !same(base[f], cur) : true)) {
            this.conflict({ entity: t.name, entityId: c.rowId, field: f, kept: v, overwritten: cur, at: isoOf(c.hlc) }, local.id);
          }
        }
      } else if (!same(cur, v) && (base ? !(f in base) || !same(base[f], cur) : true)) {
        this.conflict({ entity: t.name, entityId: c.rowId, field: f, kept: cur, overwritten: v, at: isoOf(local.hlc) }, c.id);
      }
    }
    if (Object.keys(write).length === 0) return;
    this.resolveUnique(t, c.rowId, write, h.firstCreate || c.hlc);
    const cols = Object.keys(write);
    stmt(this.s, `UPDATE "${t.name}" SET ${cols.map((k) => `"${k}" = ?`).join(', ')} WHERE ${keyWhere(t)}`).run(...cols.map((k) => write[k]), ...keyValues(t, c.rowId));
  }

  /**
   * Applies one change; one the file's constraints refuse (a NOT NULL or CHECK
   * a newer or buggy PC did not keep) is undone alone and listed, never
   * retried: one bad change must not stop a business's sync for good.
   */
  applyGuarded(c: PulledChange): void {
    this.s.exec('SAVEPOINT sync_change');
    try {
      this.apply(c);
      this.s.exec('RELEASE sync_change');
    } catch (error) {
      this.s.exec('ROLLBACK TO sync_change');
      this.s.exec('RELEASE sync_change');
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_CONSTRAINT')) throw error;
      this.conflict({ entity: c.table, entityId: c.rowId, field: '(refused)', kept: null, overwritten: (error as Error).message, at: isoOf(c.hlc) }, c.id);
    }
  }

  private applyDelete(t: SyncedTable, c: PulledChange, fields: Fields, h: History, row: Row | undefined): void {
    if (!row) return;
    if (h.lastCreate > c.hlc) return; // re-created here after that delete
    // Edits the deleting PC had not seen (its "@base" differs) are listed: the row stays deleted.
    const base = fields['@base'];
    if (base) {
      for (const f of t.columns) {
        if (t.key.includes(f) || !(f in base) || same(base[f], row[f])) continue;
        const local = h.stamps.get(f);
        if (local) this.conflict({ entity: t.name, entityId: c.rowId, field: f, kept: null, overwritten: row[f], at: isoOf(later(local.hlc, c.hlc)) }, local.id);
      }
    }
    try {
      this.s.exec('SAVEPOINT sync_delete');
      stmt(this.s, `DELETE FROM "${t.name}" WHERE ${keyWhere(t)}`).run(...keyValues(t, c.rowId));
      this.s.exec('RELEASE sync_delete');
      this.releaseUnique(t, c.rowId, row, c.hlc);
    } catch (error) {
      this.s.exec('ROLLBACK TO sync_delete');
      this.s.exec('RELEASE sync_delete');
      if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw error;
      // Rows here still need it (ON DELETE RESTRICT: a subscription, an invoice): it stays, listed.
      this.conflict({ entity: t.name, entityId: c.rowId, field: '(deleted)', kept: 'kept: other records refer to it', overwritten: null, at: isoOf(c.hlc) }, c.id);
    }
  }

  /**
   * Rows an applied change left pointing at a row deleted on another PC: a
   * child whose reference cascades or nulls on delete gets the same here; a
   * restricted one (money, subscriptions) brings its parent back from the
   * delete's "@base", listed as a conflict. Every PC ends with the same rows.
   */
  repairOrphans(): void {
    for (let pass = 0; pass < 10; pass += 1) {
      const violations = this.s.pragma('foreign_key_check') as { table: string; rowid: number; parent: string; fkid: number }[];
      if (violations.length === 0) return;
      const found = violations.map((v) => {
        const fks = this.s.pragma(`foreign_key_list("${v.table}")`) as { id: number; from: string; to: string; table: string; on_delete: string }[];
        const fk = fks.filter((f) => f.id === v.fkid);
        return { ...v, fk, action: fk[0]?.on_delete ?? 'NO ACTION' };
      });
      // Parents come back first (a restricted child needs them), with the children their delete
      // cascaded to here; only then are the orphans left deleted or nulled. Deciding a cascade before a
      // restore of the same parent made the result depend on the order changes arrived in (the fuzz
      // through the server found it).
      const restores = found.filter((v) => v.action !== 'CASCADE' && v.action !== 'SET NULL');
      if (restores.length > 0) {
        for (const v of restores) this.restoreParent(v.table, v.rowid, v.fk);
        continue;
      }
      for (const v of found) {
        if (v.action === 'CASCADE') this.s.prepare(`DELETE FROM "${v.table}" WHERE rowid = ?`).run(v.rowid);
        else this.s.prepare(`UPDATE "${v.table}" SET ${v.fk.map((f) => `"${f.from}" = NULL`).join(', ')} WHERE rowid = ?`).run(v.rowid);
      }
    }
    throw new Error('references left broken after 10 passes of repair');
  }

  /**
   * A row as its changes in the log make it: per field the value of the latest
   * stamp (what last-writer-wins gives on a PC that never deleted it), the
   * latest delete's "@base" for fields no change carries. Every PC with the
   * same log rebuilds the same row, whenever and in whatever order the
   * changes came.
   */
  private rebuild(t: SyncedTable, rowId: string): Row | undefined {
    const log = stmt(this.s, 'SELECT op, fields FROM sync_changes WHERE tbl = ? AND row_id = ? ORDER BY hlc').all(t.name, rowId) as { op: string; fields: string }[];
    let base: Row | undefined;
    const row: Row = {};
    for (const c of log) {
      const fields = JSON.parse(c.fields) as Fields;
      if (c.op === 'delete') {
        if (fields['@base']) base = fields['@base'];
        continue;
      }
      for (const [f, v] of Object.entries(fields)) if (f !== '@base' && t.columns.includes(f)) row[f] = v;
    }
    if (!base && Object.keys(row).length === 0) return undefined;
    const out: Row = {};
    for (const f of t.columns) if (f in row || (base && f in base)) out[f] = f in row ? row[f] : base![f];
    t.key.forEach((k, i) => (out[k] = keyValues(t, rowId)[i]));
    return out;
  }

  private insertRow(t: SyncedTable, rowId: string, row: Row): void {
    this.resolveUnique(t, rowId, row, history(this.s, t.name, rowId).firstCreate);
    this.makeRoomForSeq(t, row);
    const cols = Object.keys(row);
    stmt(this.s, `INSERT INTO "${t.name}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]));
    noteTouched(this.touched, t.name, rowId, row, {});
  }

  private restoreParent(table: string, rowid: number, fk: { from: string; to: string; table: string }[]): void {
    const parent = this.tables.get(fk[0]!.table);
    const child = this.s.prepare(`SELECT ${fk.map((f) => `"${f.from}"`).join(', ')} FROM "${table}" WHERE rowid = ?`).raw().get(rowid) as unknown[] | undefined;
    if (!child) return;
    if (!parent || fk.length !== parent.key.length || fk.some((f, i) => (f.to ?? 'id') !== parent.key[i])) {
      throw new Error(`a ${table} row refers to a missing ${fk[0]!.table} row that cannot be restored`);
    }
    const rowId = parent.key.length === 1 ? String(child[0]) : JSON.stringify(child);
    if (this.current(parent, rowId)) return; // brought back already (two children of one parent)
    const last = this.s
      .prepare("SELECT id, hlc FROM sync_changes WHERE tbl = ? AND row_id = ? AND op = 'delete' ORDER BY hlc DESC LIMIT 1")
      .get(parent.name, rowId) as { id: string; hlc: string } | undefined;
    const row = last ? this.rebuild(parent, rowId) : undefined;
    if (!last || !row) throw new Error(`a ${table} row refers to a ${parent.name} row (${rowId}) that is missing and was never synced`);
    this.insertRow(parent, rowId, row);
    this.restoreChildren(parent, rowId, 0);
    this.conflict({ entity: parent.name, entityId: rowId, field: '(deleted)', kept: 'kept: other records refer to it', overwritten: null, at: isoOf(last.hlc) }, last.id);
  }

  /**
   * The rows a delete cascaded to here without a change of their own (a
   * parent's delete applied from another PC removes its children here
   * silently), brought back with their parent: those that no change deleted.
   */
  private restoreChildren(parent: SyncedTable, parentRowId: string, depth: number): void {
    if (depth > 4 || parent.key.length !== 1) return;
    for (const t of this.tables.values()) {
      const fks = this.s.pragma(`foreign_key_list("${t.name}")`) as { id: number; from: string; table: string; on_delete: string }[];
      for (const fk of fks) {
        if (fk.table !== parent.name || fk.on_delete !== 'CASCADE' || fks.filter((f) => f.id === fk.id).length !== 1) continue;
        const ids = stmt(this.s, `SELECT DISTINCT row_id FROM sync_changes WHERE tbl = ? AND op = 'upsert' AND json_extract(fields, '$."${fk.from}"') = ?`)
          .pluck()
          .all(t.name, parentRowId) as string[];
        for (const rowId of ids) {
          if (this.current(t, rowId)) continue;
          const h = history(this.s, t.name, rowId);
          if (!h.lastCreate || h.lastDelete > h.lastCreate) continue; // deleted by a change: stays deleted
          const row = this.rebuild(t, rowId);
          if (!row || row[fk.from] !== parentRowId) continue;
          this.insertRow(t, rowId, row);
          this.restoreChildren(t, rowId, depth + 1);
        }
      }
    }
  }

  /**
   * Two rows wanting one unique value: the row created later, by (creation
   * HLC, row id), gets the value suffixed with its row id, on every PC alike.
   */
  private resolveUnique(t: SyncedTable, rowId: string, write: Row, createdHlc: string): void {
    for (const key of UNIQUE_KEYS[t.name] ?? []) {
      const value = write[key.column];
      if (value === undefined || value === null) continue;
      const idSql = t.key.length === 1 ? `"${t.key[0]}"` : `json_array(${t.key.map((k) => `"${k}"`).join(', ')})`;
      const other = stmt(this.s, `SELECT ${idSql} AS rid, "${key.column}" AS held FROM "${t.name}" WHERE ${key.match} AND NOT (${keyWhere(t)})`).get(
        value,
        ...keyValues(t, rowId),
      ) as { rid: string; held: unknown } | undefined;
      if (!other) {
        // A row deleted here already may still have held the value when this one was created elsewhere
        // (created before it, deleted after): then this one lost to it on every PC that held both.
        const holder = this.deletedHolder(t, key, value, rowId, createdHlc);
        if (holder) {
          const suffixed = suffixedValue(value, rowId);
          write[key.column] = suffixed;
          const id = `collision:${t.name}:${rowId}:${key.column}`;
          if (!this.conflicts.has(id)) this.conflicts.set(id, { id, entity: t.name, entityId: rowId, field: key.column, kept: holder.held, overwritten: suffixed, at: isoOf(later(createdHlc, holder.created)) });
        }
        continue;
      }
      const otherCreated = history(this.s, t.name, other.rid).firstCreate;
      const incomingLoses = uniqueLoses({ created: createdHlc, rowId }, { created: otherCreated, rowId: other.rid });
      const loser = incomingLoses ? rowId : other.rid;
      // The loser keeps its own spelling of the value (the index may compare it case-blind).
      const suffixed = suffixedValue(incomingLoses ? value : other.held, loser);
      if (incomingLoses) write[key.column] = suffixed;
      else stmt(this.s, `UPDATE "${t.name}" SET "${key.column}" = ? WHERE ${keyWhere(t)}`).run(suffixed, ...keyValues(t, other.rid));
      const id = `collision:${t.name}:${loser}:${key.column}`;
      const kept = incomingLoses ? other.held : value;
      if (!this.conflicts.has(id)) this.conflicts.set(id, { id, entity: t.name, entityId: loser, field: key.column, kept, overwritten: suffixed, at: isoOf(later(createdHlc, otherCreated)) });
    }
  }

  /**
   * A subscription's history rows are numbered 1, 2, 3... by the PC that
   * changes it; two PCs changing one subscription offline both write the same
   * next number. The arriving row takes a free number for now, and once the
   * batch is applied the subscription's rows are numbered again by (creation
   * stamp, row id): the same on every PC that holds the same rows (the fuzz
   * through the server found the second row refused on each PC).
   */
  private makeRoomForSeq(t: SyncedTable, row: Row): void {
    if (t.name !== 'subscription_history' || typeof row.seq !== 'number' || typeof row.subscription_id !== 'string') return;
    const taken = stmt(this.s, 'SELECT 1 FROM subscription_history WHERE subscription_id = ? AND seq = ?').get(row.subscription_id, row.seq);
    if (!taken) return;
    row.seq = stmt(this.s, 'SELECT min(min(seq), 0) - 1 FROM subscription_history WHERE subscription_id = ?').pluck().get(row.subscription_id) as number;
    this.renumber.add(row.subscription_id);
  }

  /** Numbers the history rows of the subscriptions that met a taken number again, by (creation stamp, row id). Not recorded: every PC derives it. */
  renumberHistory(): void {
    for (const sub of this.renumber) {
      const ids = stmt(this.s, 'SELECT id FROM subscription_history WHERE subscription_id = ?').pluck().all(sub) as string[];
      const ranked = ids.map((id) => ({ id, created: history(this.s, 'subscription_history', id).firstCreate })).sort((x, y) => (x.created === y.created ? (x.id < y.id ? -1 : 1) : x.created < y.created ? -1 : 1));
      const set = stmt(this.s, 'UPDATE subscription_history SET seq = ? WHERE id = ?');
      ranked.forEach((r, i) => set.run(-1_000_000_000 - i, r.id)); // out of the way of each other and of the numbers makeRoomForSeq gave
      ranked.forEach((r, i) => set.run(i + 1, r.id));
    }
  }

  /**
   * Unique values and deletes, made order-free: a row created with a value
   * loses it (suffixed) to a row created earlier with the same value that was
   * not deleted before it was created (by the stamps). deletedHolder finds such
   * a row among the deleted ones; releaseUnique, once a row is deleted by a
   * change stamped before the losers' creation, gives them their value back
   * (a PC that held both suffixed it before it learned of the delete).
   */
  private deletedHolder(t: SyncedTable, key: { column: string; match: string }, value: unknown, rowId: string, createdHlc: string): { held: unknown; created: string } | undefined {
    const holders = stmt(
      this.s,
      `SELECT row_id AS rid, max(hlc) AS deleted, json_extract(fields, '$."@base"."${key.column}"') AS held FROM sync_changes
       WHERE tbl = ? AND op = 'delete' AND row_id != ? AND ${key.match.replaceAll(key.column, `json_extract(fields, '$."@base"."${key.column}"')`)} GROUP BY row_id`,
    ).all(t.name, rowId, value) as { rid: string; deleted: string; held: unknown }[];
    for (const h of holders) {
      if (this.current(t, h.rid) || h.deleted < createdHlc) continue;
      const created = history(this.s, t.name, h.rid).firstCreate;
      if (created && uniqueLoses({ created: createdHlc, rowId }, { created, rowId: h.rid })) return { held: h.held, created };
    }
    return undefined;
  }

  private releaseUnique(t: SyncedTable, rowId: string, row: Row, deleteHlc: string): void {
    for (const key of UNIQUE_KEYS[t.name] ?? []) {
      const value = row[key.column];
      if (typeof value !== 'string' || value.includes('~')) continue; // it held no contested value
      const idSql = t.key.length === 1 ? `"${t.key[0]}"` : `json_array(${t.key.map((k) => `"${k}"`).join(', ')})`;
      const losers = stmt(this.s, `SELECT ${idSql} AS rid, "${key.column}" AS held FROM "${t.name}" WHERE instr("${key.column}", '~') > 0`).all() as { rid: string; held: string }[];
      const caseBlind = /lower\(|upper\(/.test(key.match);
      for (const l of losers) {
        if (!l.held.endsWith(`~${l.rid}`)) continue;
        const own = l.held.slice(0, -(l.rid.length + 1));
        if (caseBlind ? own.toLowerCase() !== value.toLowerCase() : own !== value) continue;
        const created = history(this.s, t.name, l.rid).firstCreate;
        if (!created || deleteHlc > created) continue; // deleted after it was created: it lost fairly
        if (stmt(this.s, `SELECT 1 FROM "${t.name}" WHERE ${key.match} AND NOT (${keyWhere(t)})`).get(own, ...keyValues(t, l.rid))) continue;
        if (this.deletedHolder(t, key, own, l.rid, created)) continue;
        stmt(this.s, `UPDATE "${t.name}" SET "${key.column}" = ? WHERE ${keyWhere(t)}`).run(own, ...keyValues(t, l.rid));
      }
    }
  }

  /**
   * Money is never merged as a field (spec guarantee 3): after the merge, a
   * payment's refunded amount, an invoice's amount paid and due (and paid
   * status), and a customer's credit balance are derived again from the
   * insert-only records; so is a coupon's redemption count, from the
   * subscriptions that carry it (two PCs redeeming one coupon offline both
   * count); a counter sale's refunded amount, status and lines' refunded
   * quantities from its refunds (sales/derive.ts); a tracked product's stock,
   * from its stock movements (two PCs selling one product offline both
   * count). Each PC derives the same from the same records.
   */
  rederive(): void {
    const s = this.s;
    const { customers, invoices, payments, coupons, sales, saleLines } = this.touched;
    const saleOf = stmt(s, 'SELECT sale_id FROM sale_lines WHERE id = ?').pluck();
    for (const id of saleLines) {
      const sale = saleOf.get(id) as string | undefined;
      if (sale) sales.add(sale);
    }
    for (const id of sales) deriveSaleRefunds(s, id);
    for (const id of coupons) {
      stmt(
        s,
        `UPDATE coupons SET times_redeemed = (SELECT count(*) FROM subscriptions WHERE coupon_id = coupons.id)
         WHERE id = ? AND times_redeemed IS NOT (SELECT count(*) FROM subscriptions WHERE coupon_id = coupons.id)`,
      ).run(id);
    }
    for (const id of payments) {
      const invoice = stmt(s, 'SELECT invoice_id FROM payments WHERE id = ?').pluck().get(id) as string | null | undefined;
      if (invoice) invoices.add(invoice);
      stmt(
        s,
        `UPDATE payments SET amount_refunded = min(amount, (SELECT coalesce(sum(amount), 0) FROM refunds WHERE payment_id = payments.id))
         WHERE id = ? AND amount_refunded IS NOT min(amount, (SELECT coalesce(sum(amount), 0) FROM refunds WHERE payment_id = payments.id))`,
      ).run(id);
    }
    for (const id of invoices) {
      // (credit_transactions has no invoice index: they are found through the customer's.)
      // credit_applied: the credit its 'applied' transactions took off it (at issue, and credit notes settled
      // against it); settled (paid) by payments or a credit note, on the later of their dates.
      const settled = `status IN ('open', 'uncollectible') AND total - c.applied - p.paid <= 0 AND (p.paid > 0 OR c.noted > 0)`;
      stmt(
        s,
        `UPDATE invoices SET credit_applied = c.applied, amount_paid = p.paid, amount_due = max(0, total - c.applied - p.paid),
           status = CASE WHEN ${settled} THEN 'paid' ELSE status END,
           paid_on = CASE WHEN ${settled} THEN max(coalesce(p.last, ''), coalesce(c.last, '')) ELSE paid_on END,
           next_retry_on = CASE WHEN ${settled} THEN NULL ELSE next_retry_on END
         FROM (SELECT coalesce(sum(amount), 0) AS paid, max(paid_on) AS last FROM payments WHERE invoice_id = @id AND +status = 'succeeded') AS p,
              (SELECT coalesce(-sum(amount) FILTER (WHERE reason = 'applied'), 0) AS applied, count(*) FILTER (WHERE reason = 'credit_note') AS noted,
                      max(occurred_on) FILTER (WHERE reason = 'credit_note') AS last
                 FROM credit_transactions WHERE customer_id = (SELECT customer_id FROM invoices WHERE id = @id) AND invoice_id = @id) AS c
         WHERE invoices.id = @id AND invoices.status IN ('open', 'paid', 'uncollectible')
           AND (amount_paid IS NOT p.paid OR credit_applied IS NOT c.applied OR amount_due IS NOT max(0, total - c.applied - p.paid))`,
      ).run({ id });
    }
    for (const id of invoices) this.noteOverCredited(id);
    // Stock on hand is the sum of the product's movements (the ledger), for a tracked product (stock not null).
    for (const id of this.touched.products) {
      stmt(
        s,
        `UPDATE products SET stock = (SELECT coalesce(sum(quantity), 0) FROM stock_movements WHERE product_id = products.id)
         WHERE id = ? AND stock IS NOT NULL AND stock IS NOT (SELECT coalesce(sum(quantity), 0) FROM stock_movements WHERE product_id = products.id)`,
      ).run(id);
    }
    for (const id of customers) {
      stmt(
        s,
        `UPDATE customers SET credit_balance = max(0, (SELECT coalesce(sum(amount), 0) FROM credit_transactions WHERE customer_id = customers.id))
         WHERE id = ? AND credit_balance IS NOT max(0, (SELECT coalesce(sum(amount), 0) FROM credit_transactions WHERE customer_id = customers.id))`,
      ).run(id);
    }
  }

  /**
   * Two PCs crediting one invoice offline (or one crediting it while the other records a payment) can give
   * back more than it totals: each checked against what it saw. Nothing is lost (both credit notes stand,
   * amount due stops at 0), but the owner is told, as a conflict on the invoice: by how much its credit notes,
   * or its credit notes and payments, exceed its total. The id derives from its last credit note and the
   * excess, and the text from synced rows only, so every PC that meets it writes the same row; a later
   * credit note or payment that makes the excess grow is listed again.
   */
  private noteOverCredited(id: string): void {
    const inv = stmt(
      this.s,
      `SELECT number, currency, total, credit_applied + amount_paid AS settled, amount_paid AS paid,
         (SELECT coalesce(sum(total), 0) FROM credit_notes WHERE invoice_id = invoices.id) AS noted
       FROM invoices WHERE id = ? AND status IN ('open', 'paid', 'uncollectible')`,
    ).get(id) as { number: string; currency: string; total: number; settled: number; paid: number; noted: number } | undefined;
    if (!inv || (inv.noted <= inv.total && inv.settled <= inv.total)) return;
    const notes = stmt(this.s, 'SELECT id, number, created_at FROM credit_notes WHERE invoice_id = ? ORDER BY created_at, id').all(id) as { id: string; number: string; created_at: string }[];
    const last = notes.at(-1);
    if (!last) return; // paid twice, no credit note: not this check's
    const byNotes = inv.noted - inv.total;
    const bySettling = inv.settled - inv.total;
    const over = Math.max(byNotes, bySettling);
    const what = byNotes >= bySettling || inv.paid === 0 ? 'its credit notes' : 'its payments and credit notes';
    const money = (minor: number) => (isCurrencyCode(inv.currency) ? formatMoney(minor, inv.currency) : `${minor} ${inv.currency} (minor units)`);
    this.conflict(
      {
        entity: 'invoices',
        entityId: id,
        field: '(over-credited)',
        kept: `${inv.number}: ${what} (${notes.map((n) => n.number).join(', ')}) exceed its total of ${money(inv.total)} by ${money(over)}, given on PCs that had not synced with each other`,
        overwritten: null,
        at: last.created_at,
      },
      `${last.id}/${over}`,
    );
  }

  /** Conflicts are written with capture on: they sync, and a PC that met the same one keeps its row (same id). */
  writeConflicts(): void {
    for (const c of this.conflicts.values()) {
      const kept = c.kept === undefined ? null : JSON.stringify(c.kept);
      const overwritten = c.overwritten === undefined ? null : JSON.stringify(c.overwritten);
      const added = stmt(this.s, 'INSERT OR IGNORE INTO sync_conflicts (id, entity, entity_id, field, kept, overwritten, at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        c.id, c.entity, c.entityId, c.field, kept, overwritten, c.at,
      ).changes;
      if (added === 0) continue;
      stmt(
        this.s,
        `INSERT OR IGNORE INTO audit_log (id, at, user_id, user_email, action, entity, entity_id, before, after) VALUES (?, ?, NULL, NULL, 'sync.conflict', ?, ?, ?, ?)`,
      ).run(`sync:${c.id}`, c.at, c.entity, c.entityId, JSON.stringify({ [c.field]: c.overwritten ?? null }), JSON.stringify({ [c.field]: c.kept ?? null }));
    }
  }
}

/**
 * The HLC's receive rule: the clock moves up to every applied stamp, so a
 * later local edit always stamps after what this PC has seen (else that edit
 * would lose to an older one and the PCs would part). Always, even for a
 * stamp far ahead: how far ahead a stamp can be is bounded where it is made
 * (each PC stamps with its server-corrected clock) and by the server, which
 * refuses stamps far in its future.
 */
function receive(s: Database.Database, hlc: string): void {
  const ms = hlcMs(hlc);
  const counter = Number(hlc.slice(14, 23));
  if (!Number.isFinite(ms) || !Number.isFinite(counter)) return;
  stmt(
    s,
    `UPDATE sync_clock SET hlc_counter = CASE WHEN @ms > hlc_ms THEN @counter WHEN @ms = hlc_ms THEN max(hlc_counter, @counter) ELSE hlc_counter END,
       hlc_ms = max(hlc_ms, @ms)`,
  ).run({ ms, counter });
}

/** Derives the money fields of every row, as a merge does for the rows it touched; returns how many rows it changed (tests: none on books written by the handlers). */
export function rederiveAll(s: Database.Database): number {
  return s.transaction(() => {
    const applier = new Applier(s);
    for (const id of s.prepare('SELECT id FROM customers').pluck().all() as string[]) applier.touched.customers.add(id);
    for (const id of s.prepare('SELECT id FROM invoices').pluck().all() as string[]) applier.touched.invoices.add(id);
    for (const id of s.prepare('SELECT id FROM payments').pluck().all() as string[]) applier.touched.payments.add(id);
    for (const id of s.prepare('SELECT id FROM coupons').pluck().all() as string[]) applier.touched.coupons.add(id);
    for (const id of s.prepare('SELECT id FROM sales').pluck().all() as string[]) applier.touched.sales.add(id);
    for (const id of s.prepare('SELECT id FROM products').pluck().all() as string[]) applier.touched.products.add(id);
    const before = s.prepare('SELECT total_changes()').pluck().get() as number;
    applier.rederive();
    return (s.prepare('SELECT total_changes()').pluck().get() as number) - before;
  })();
}

/** Columns every edit stamps: merged by last writer like any other, never listed as a conflict. */
const BOOKKEEPING_FIELDS = new Set(['updated_at']);
/**
 * Fields derived again from insert-only records after every merge (rederive()): two PCs that both
 * changed one (two refunds of one sale offline) did not disagree, the records add up; not news for the owner.
 */
const DERIVED_FIELDS = new Set(['sales.refunded', 'sales.status', 'sale_lines.refunded_quantity', 'products.stock', 'invoices.credit_applied', 'invoices.amount_due']);

export function applyChanges(s: Database.Database, changes: PulledChange[]): { applied: number; skipped: number; conflicts: number } {
  return s.transaction(() => {
    s.pragma('defer_foreign_keys = ON');
    stmt(s, 'UPDATE sync_clock SET applying = 1').run();
    const applier = new Applier(s);
    const known = stmt(s, 'SELECT 1 FROM sync_changes WHERE id = ?').pluck();
    const store = stmt(s, `INSERT INTO sync_changes (id, hlc, device_id, tbl, row_id, op, fields, pushed, remote) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1)`);
    let applied = 0;
    let skipped = 0;
    for (const c of changes) {
      if (known.get(c.id) !== undefined) {
        skipped += 1;
        continue;
      }
      receive(s, c.hlc);
      applier.applyGuarded(c);
      store.run(c.id, c.hlc, c.deviceId, c.table, c.rowId, c.op, JSON.stringify(c.fields ?? {}));
      applied += 1;
    }
    applier.repairOrphans();
    applier.renumberHistory();
    applier.rederive();
    stmt(s, 'UPDATE sync_clock SET applying = 0').run();
    applier.writeConflicts();
    return { applied, skipped, conflicts: applier.conflicts.size };
  })();
}
