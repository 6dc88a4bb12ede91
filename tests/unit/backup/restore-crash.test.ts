import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreStep } from '../../../src-main/core/backup/backup-service';
import { bundleChild, type ChildBundle } from '../../support/child-bundle';
import { call, connect, makeCore, MIGRATIONS_DIR, OWNER_PASSWORD, signUp, tempDir, openBusinessFile, BACKUP_PASSPHRASE } from '../../support/core';

// Issue 11, defect 2: one business, one file. A restore killed midway, or a business file copied into the
// folder by hand, must never leave two files with one business id (the registry would switch between them).

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** restore-child.ts, bundled once for this file's nine processes. */
let child: ChildBundle;
beforeAll(async () => {
  child = await bundleChild(path.resolve(import.meta.dirname, '../../support/restore-child.ts'));
}, 60_000);
afterAll(() => child?.remove());

/** business id of each file in the folder (read raw, as the registry would), and anything else lying there. */
function folder(dataDir: string) {
  const dir = path.join(dataDir, 'businesses');
  const names = fs.readdirSync(dir).sort();
  const ids = names
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => {
      const db = openBusinessFile(path.join(dir, f), { readonly: true });
      try {
        return { file: f, id: db.prepare('SELECT id FROM business').pluck().get() as string, ok: db.pragma('integrity_check', { simple: true }) };
      } finally {
        db.close();
      }
    });
  return { names, ids };
}

/** A data folder with one business (one customer) and its backup, made once: each case restores in a copy of it. */
let made: Promise<{ dataDir: string; businessId: string; backup: string }> | undefined;
async function businessAndBackup() {
  made ??= (async () => {
    const { core, dataDir } = makeCore();
    const { conn, businessId } = await signUp(core);
    await call(core, conn, 'customers.create', { name: 'Before', email: 'before@example.com', paymentMethod: 'manual' });
    const { path: backup } = await call(core, conn, 'backup.create', { passphrase: BACKUP_PASSPHRASE });
    core.close();
    return { dataDir, businessId, backup: backup! };
  })();
  const template = await made;
  const dataDir = tempDir();
  fs.cpSync(template.dataDir, dataDir, { recursive: true });
  return { dataDir, businessId: template.businessId, backup: path.join(dataDir, path.relative(template.dataDir, template.backup)) };
}

describe('a restore killed at any step', () => {
  const steps: RestoreStep[] = ['copied', 'checked', 'migrated', 'authorized', 'reIded', 'synced', 'renamed', 'listed'];

  it.each(steps)('killed after "%s": the old state or the new one, one file per id, no temporary file left', async (step) => {
    const { dataDir, businessId, backup } = await businessAndBackup();
    const killed = spawnSync(process.execPath, [child.file, dataDir, MIGRATIONS_DIR, backup, step], { cwd: ROOT, encoding: 'utf8' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');

    // The next start: the registry cleans up after the dead process and lists what is there.
    const { core } = makeCore({ dataDir });
    const first = await call(core, connect(), 'business.list', {});
    const second = await call(core, connect(), 'business.list', {});
    expect(second).toEqual(first);
    const after = folder(dataDir);
    expect(after.names.filter((n) => !n.endsWith('.sqlite') && !n.endsWith('.sqlite.unlock'))).toEqual([]); // no temporary file, journal or orphan (the recovery key's sidecar is no temporary)
    expect(new Set(after.ids.map((f) => f.id)).size).toBe(after.ids.length);
    expect(after.ids.every((f) => f.ok === 'ok')).toBe(true);
    const renamed = steps.indexOf(step) >= steps.indexOf('renamed');
    expect(first.length).toBe(renamed ? 2 : 1); // the restore happened entirely, or not at all
    expect(first.find((x) => x.id === businessId)?.name).toBe('Sunrise Yoga');
    if (renamed) {
      const copy = first.find((x) => x.id !== businessId)!;
      expect(copy.name).toBe('Sunrise Yoga (restored)');
      const owner = connect();
      await call(core, owner, 'auth.login', { businessId: copy.id, email: 'olivia@example.com', password: OWNER_PASSWORD });
      expect((await call(core, owner, 'customers.list', {})).rows.map((c) => c.name)).toEqual(['Before']);
    }
    core.close();
  });

  it('run to the end in a process of its own, it restores', async () => {
    const { dataDir, backup } = await businessAndBackup();
    const done = spawnSync(process.execPath, [child.file, dataDir, MIGRATIONS_DIR, backup, 'none'], { cwd: ROOT, encoding: 'utf8' });
    expect(done.status, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ name: 'Sunrise Yoga (restored)' });
    expect(folder(dataDir).ids.length).toBe(2);
  });
});

describe('a business file copied into the folder by hand', () => {
  it('becomes a business of its own, "… (copy)"; the original keeps its id, and writes stay in their own file', async () => {
    const { core, dataDir } = makeCore();
    const { conn, businessId } = await signUp(core);
    const dir = path.join(dataDir, 'businesses');
    core.businesses.get(businessId).sqlite.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(path.join(dir, `${businessId}.sqlite`), path.join(dir, 'copied-by-hand.sqlite'));

    const lists = [];
    for (let i = 0; i < 3; i++) lists.push(await call(core, connect(), 'business.list', {}));
    expect(lists[1]).toEqual(lists[0]);
    expect(lists[2]).toEqual(lists[0]);
    expect(lists[0]!.map((x) => x.name).sort()).toEqual(['Sunrise Yoga', 'Sunrise Yoga (copy)']);
    expect(lists[0]!.find((x) => x.name === 'Sunrise Yoga')?.id).toBe(businessId);
    const copyId = lists[0]!.find((x) => x.name === 'Sunrise Yoga (copy)')!.id;
    expect(folder(dataDir).ids).toEqual(
      expect.arrayContaining([
        { file: `${businessId}.sqlite`, id: businessId, ok: 'ok' },
        { file: 'copied-by-hand.sqlite', id: copyId, ok: 'ok' },
      ]),
    );

    // Each business writes to its own file, whatever the listing does in between.
    await call(core, conn, 'customers.create', { name: 'In the original', email: 'a@example.com', paymentMethod: 'manual' });
    const copy = connect();
    await call(core, copy, 'auth.login', { businessId: copyId, email: 'olivia@example.com', password: OWNER_PASSWORD });
    await call(core, copy, 'customers.create', { name: 'In the copy', email: 'b@example.com', paymentMethod: 'manual' });
    await call(core, connect(), 'business.list', {});
    await call(core, conn, 'customers.create', { name: 'Original again', email: 'c@example.com', paymentMethod: 'manual' });
    expect((await call(core, conn, 'customers.list', {})).rows.map((c) => c.name).sort()).toEqual(['In the original', 'Original again']);
    expect((await call(core, copy, 'customers.list', {})).rows.map((c) => c.name)).toEqual(['In the copy']);
    core.close();
  });

  it('with no registry to remember which came first, the file named after the id keeps it', async () => {
    const { dataDir: original, businessId } = await (async () => {
      const made = makeCore();
      const { businessId: id } = await signUp(made.core);
      made.core.close();
      return { dataDir: made.dataDir, businessId: id };
    })();
    const dataDir = tempDir();
    const dir = path.join(dataDir, 'businesses');
    fs.mkdirSync(dir, { recursive: true });
    const source = path.join(original, 'businesses', `${businessId}.sqlite`);
    fs.copyFileSync(source, path.join(dir, '0-sorts-first.sqlite'));
    fs.copyFileSync(source, path.join(dir, `${businessId}.sqlite`));
    // The same PC's keychain: the files' key comes along (a folder without it needs the recovery key).
    fs.copyFileSync(path.join(original, 'secrets.json'), path.join(dataDir, 'secrets.json'));
    const { core } = makeCore({ dataDir });
    const list = await call(core, connect(), 'business.list', {});
    expect(list.find((x) => x.id === businessId)?.name).toBe('Sunrise Yoga');
    expect(folder(dataDir).ids.find((f) => f.file === `${businessId}.sqlite`)?.id).toBe(businessId);
    expect(folder(dataDir).ids.find((f) => f.file === '0-sorts-first.sqlite')?.id).not.toBe(businessId);
    expect(list.map((x) => x.name).sort()).toEqual(['Sunrise Yoga', 'Sunrise Yoga (copy)']);
    core.close();
  });

  it('two Recurras on one folder (the app and the command line) agree on the copy\'s new id', async () => {
    const { core: app, dataDir } = makeCore();
    const { businessId } = await signUp(app);
    app.businesses.get(businessId).sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const dir = path.join(dataDir, 'businesses');
    fs.copyFileSync(path.join(dir, `${businessId}.sqlite`), path.join(dir, 'copy.sqlite'));
    const { core: cli } = makeCore({ dataDir });
    const fromCli = await call(cli, connect(), 'business.list', {});
    const fromApp = await call(app, connect(), 'business.list', {});
    expect(fromApp).toEqual(fromCli);
    expect(fromApp.length).toBe(2);
    expect(new Set(folder(dataDir).ids.map((f) => f.id)).size).toBe(2);
    cli.close();
    app.close();
  });
});
