// The metrics of spec 8 as pure functions over rows (rows.ts): the PC feeds
// them from SQLite (src-main/core/metrics), the server from PostgreSQL, and
// both answer the same summary to the cent.
export * from './rows';
export * from './segments';
export * from './months';
export * from './receivables';
export * from './summary';
