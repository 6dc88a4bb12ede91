import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYNC_TABLE_MAP } from '@shared/sync/table-map';
import { openBusinessDb } from '../../../src-main/core/db/open';
import { syncTableMap } from '../../../src-main/core/sync/table-map';
import { MIGRATIONS_DIR, tempDir } from '../../support/core';

// The sync server folds changes by the synced tables' columns, keys, foreign
// keys and unique keys, from src-shared/sync/table-map.ts (it may not import
// src-main). That file is generated from a migrated business file; a schema
// change without `npm run db:sync-table-map` fails here.
describe('the table map the server folds by', () => {
  it('equals what a freshly migrated business file has', () => {
    const db = openBusinessDb('m', path.join(tempDir('recurra-map-'), 'm.sqlite'), { migrationsDir: MIGRATIONS_DIR, create: true });
    try {
      expect(SYNC_TABLE_MAP, 'run npm run db:sync-table-map').toEqual(syncTableMap(db.sqlite));
      // Same order too: parents before the tables that refer to them (the fold restores children in it).
      expect(Object.keys(SYNC_TABLE_MAP)).toEqual(Object.keys(syncTableMap(db.sqlite)));
    } finally {
      db.sqlite.close();
    }
  });
});
