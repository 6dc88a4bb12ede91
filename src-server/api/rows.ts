import { sql, type SQL } from 'drizzle-orm';
import type { ServerDb } from '../db/open';

// Reads of the projection (synced_rows: each business's rows as the PCs hold
// them, src-server/projection) for the REST API. Only live rows (data not null).

export type Row = Record<string, unknown>;

export const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** A page of a table's live rows in row-id order after `after`, one more than `limit` to tell whether more follow. */
export async function pageRows(db: ServerDb, businessId: string, tbl: string, options: { after?: string; limit: number; where?: SQL }): Promise<{ rows: Row[]; hasMore: boolean }> {
  const result = await db.execute(sql`
    select data from synced_rows
    where business_id = ${businessId} and tbl = ${tbl} and data is not null
      ${options.after !== undefined ? sql`and row_id > ${options.after}` : sql``}
      ${options.where ? sql`and ${options.where}` : sql``}
    order by row_id limit ${options.limit + 1}`);
  const rows = rowsOf<{ data: Row }>(result).map((r) => r.data);
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

export async function getRow(db: ServerDb, businessId: string, tbl: string, rowId: string): Promise<Row | null> {
  const [row] = rowsOf<{ data: Row | null }>(
    await db.execute(sql`select data from synced_rows where business_id = ${businessId} and tbl = ${tbl} and row_id = ${rowId}`),
  );
  return row?.data ?? null;
}

/** Live rows of `tbl` whose foreign key `column` is one of `ids` (the projection's refs index). */
// \`|| ''\` keeps the planner on the GIN index of refs: with plain equalities PostgreSQL's
// statistics for a large business pick the (business_id, tbl) index and filter every row of the table.
export async function rowsReferring(db: ServerDb, businessId: string, tbl: string, column: string, ids: string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  const refs = JSON.stringify(ids.map((id) => `${column}:${id}`));
  const result = await db.execute(sql`
    select data from synced_rows
    where refs && array(select jsonb_array_elements_text(${refs}::jsonb)) and business_id || '' = ${businessId} and tbl || '' = ${tbl} and data is not null`);
  return rowsOf<{ data: Row }>(result).map((r) => r.data);
}

/** The live row of `tbl` holding a collision-key value, compared as its unique index compares (the projection's unique_value). */
export async function rowByUnique(db: ServerDb, businessId: string, tbl: string, value: string): Promise<Row | null> {
  const [row] = rowsOf<{ data: Row }>(
    await db.execute(sql`select data from synced_rows where business_id = ${businessId} and tbl = ${tbl} and unique_value = ${value} and data is not null limit 1`),
  );
  return row?.data ?? null;
}

/** The business's own row (currency, time zone, names). */
export async function businessRow(db: ServerDb, businessId: string): Promise<Row | null> {
  const [row] = rowsOf<{ data: Row }>(
    await db.execute(sql`select data from synced_rows where business_id = ${businessId} and tbl = 'business' and data is not null limit 1`),
  );
  return row?.data ?? null;
}

/** Every live row of a table (`where`: more conditions, starting with `and`). */
export async function allRows<T>(db: ServerDb, businessId: string, tbl: string, where: SQL = sql``): Promise<T[]> {
  const result = await db.execute(sql`select data from synced_rows where business_id = ${businessId} and tbl = ${tbl} and data is not null ${where}`);
  return rowsOf<{ data: T }>(result).map((r) => r.data);
}
