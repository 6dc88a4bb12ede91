import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Entry } from 'yauzl';
import { describe, expect, it } from 'vitest';
import type { ImportSource } from '../../../src-main/core/ports';
import { billingBusiness } from '../../support/billing';
import { call, callError, connect, OWNER_PASSWORD, tempDir, openBackupFile, BACKUP_PASSPHRASE } from '../../support/core';

function picking(file: string | null): ImportSource {
  return { open: async () => (file ? { path: file, name: path.basename(file) } : null) };
}

describe('backup and restore', () => {
  it('backs a business up while it runs, restores it as a new business, and its metrics are identical', async () => {
    const b = await billingBusiness({ taxRate: '5' });
    const plan = await b.plan({ price: 4900 });
    const weekly = await b.plan({ price: 1200, interval: 'week' });
    await b.call('coupons.create', { code: 'TEN', percentOff: '10', duration: 'forever' });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-03', couponCode: 'TEN' });
    const w = await b.subscribe({ planId: weekly.id, startDate: '2026-02-01', customerId: (await b.customer('manual')).id });
    await b.subscribe({ planId: plan.id, startDate: '2026-02-10', customerId: (await b.customer('card_declining')).id });
    await b.run('2026-03-20');
    await b.call('subscriptions.cancel', { id: w.id, on: '2026-03-20' });

    const backup = await b.call('backup.create', { passphrase: BACKUP_PASSPHRASE });
    expect(backup.bytes).toBeGreaterThan(0);
    expect(backup.path).toMatch(/sunrise-yoga-backup-\d{4}-\d{2}-\d{2}\.recurra$/);

    const conn = { ...b.conn, imports: picking(backup.path!) };
    const restored = await call(b.core, conn, 'backup.restore', { passphrase: BACKUP_PASSPHRASE });
    expect(restored.business).toMatchObject({ name: 'Sunrise Yoga (restored)', currency: 'USD' });
    expect(restored.business!.id).not.toBe(b.businessId);
    expect((await call(b.core, connect(), 'business.list', {})).length).toBe(2);

    // Its owner logs in with the password from the backup; the numbers are the same.
    const owner = connect();
    await call(b.core, owner, 'auth.login', { businessId: restored.business!.id, email: 'olivia@example.com', password: OWNER_PASSWORD });
    for (const asOf of ['2026-01-31', '2026-02-28', '2026-03-20']) {
      expect(await call(b.core, owner, 'metrics.summary', { asOf })).toEqual(await b.call('metrics.summary', { asOf }));
    }
    expect((await call(b.core, owner, 'invoices.list', { limit: 500 })).rows.map((i) => [i.number, i.total, i.status])).toEqual(
      (await b.call('invoices.list', { limit: 500 })).rows.map((i) => [i.number, i.total, i.status]),
    );
    // The two go their own ways from here.
    await call(b.core, owner, 'business.update', { name: 'Restored copy' });
    expect((await b.call('business.get', {})).name).toBe('Sunrise Yoga');
    b.close();
  });

  it('refuses a file that is not a Recurra backup, or one from a newer version, and a cancelled pick does nothing', async () => {
    const b = await billingBusiness();
    const dir = tempDir();
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'hello, not a database');
    const other = path.join(dir, 'other.sqlite');
    new Database(other).exec('CREATE TABLE t (x)');
    const backup = await b.call('backup.create', { passphrase: BACKUP_PASSPHRASE });
    const newer = path.join(dir, 'newer.recurra');
    fs.copyFileSync(backup.path!, newer);
    const raw = openBackupFile(newer);
    raw.pragma('user_version = 999');
    raw.close();
    for (const [file, expected] of [
      [text, { code: 'validation', field: 'file', message: 'This file is not a Recurra backup' }],
      [other, { code: 'validation', field: 'file' }],
      [newer, { code: 'conflict', field: 'file', message: expect.stringContaining('newer version of Recurra') }],
    ] as const) {
      expect(await callError(b.core, { ...b.conn, imports: picking(file) }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE })).toMatchObject(expected);
    }
    expect(await call(b.core, { ...b.conn, imports: picking(null) }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE })).toEqual({ business: null });
    expect((await call(b.core, connect(), 'business.list', {})).length).toBe(1);
    expect(fs.readdirSync(path.join(b.core.paths.dataDir, 'businesses')).filter((f) => f.endsWith('.sqlite')).length).toBe(1);
    b.close();
  });

  it('only the owner may take a backup', async () => {
    const b = await billingBusiness();
    await b.call('users.create', { name: 'Staff', email: 'staff@example.com', role: 'staff', password: 'password one' });
    const staff = connect();
    await call(b.core, staff, 'auth.login', { businessId: b.businessId, email: 'staff@example.com', password: 'password one' });
    expect(await callError(b.core, staff, 'backup.create', { passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'forbidden' });
    b.close();
  });
});

describe('backup and restore from the command line', () => {
  it('business backup --out and business restore --file', async () => {
    const { runCli } = await import('../../../src-main/cli/main');
    const dataDir = tempDir();
    const out: string[] = [];
    const io = (env: Record<string, string> = {}) => ({ env: { RECURRA_PASSWORD: 'long enough pw', RECURRA_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE, ...env }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) });
    expect(await runCli(['--data-dir', dataDir, '--json', 'business', 'create', '--name', 'Cli Co', '--currency', 'EUR', '--timezone', 'Europe/Paris', '--owner-name', 'O', '--owner-email', 'o@example.com'], io())).toBe(0);
    const id = JSON.parse(out.pop()!).business.id as string;
    const file = path.join(tempDir(), 'cli.recurra');
    expect(await runCli(['--data-dir', dataDir, '--json', '--business', id, '--user', 'o@example.com', 'business', 'backup', '--out', file], io())).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({ path: file, bytes: expect.any(Number) });
    expect(await runCli(['--data-dir', dataDir, '--json', '--user', 'o@example.com', 'business', 'restore', '--file', file], io())).toBe(0);
    expect(JSON.parse(out.pop()!).business).toMatchObject({ name: 'Cli Co (restored)', currency: 'EUR' });
    expect(await runCli(['--data-dir', dataDir, '--json', '--user', 'o@example.com', 'business', 'restore', '--file', '/nope/missing.recurra'], io())).toBe(1);
  });
});

describe('everything for the accountant', () => {
  it('is a zip of CSV files whose figures match the app', async () => {
    const yauzl = (await import('yauzl')).default;
    const { parse } = await import('csv-parse/sync');
    const b = await billingBusiness();
    const plan = await b.plan({ price: 2500 });
    const customer = await b.customer('card', 'Zip Customer');
    await b.subscribe({ planId: plan.id, startDate: '2026-01-01', customerId: customer.id });
    await b.subscribe({ planId: plan.id, startDate: '2026-02-01', customerId: (await b.customer('manual')).id });
    await b.run('2026-03-15');
    const result = await b.call('backup.exportAccounts', { bom: true });
    expect(result.path).toMatch(/sunrise-yoga-accounts-\d{4}-\d{2}-\d{2}\.zip$/);
    expect(result.files.find((f) => f.name === 'invoices.csv')?.rows).toBe(5);
    const entries = await new Promise<Map<string, string>>((resolve, reject) => {
      const out = new Map<string, string>();
      yauzl.open(result.path!, { lazyEntries: true }, (error, zip) => {
        if (error || !zip) return reject(error);
        zip.readEntry();
        zip.on('entry', (entry: Entry) => {
          zip.openReadStream(entry, (e, stream) => {
            if (e || !stream) return reject(e);
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('end', () => {
              out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
              zip.readEntry();
            });
          });
        });
        zip.on('end', () => resolve(out));
      });
    });
    expect([...entries.keys()]).toEqual(result.files.map((f) => f.name));
    const invoices = parse(entries.get('invoices.csv')!, { bom: true, columns: true }) as Record<string, string>[];
    expect(invoices.length).toBe(5);
    expect(invoices.map((i) => Object.values(i).join(' ')).join('\n')).toContain('Zip Customer');
    const revenue = parse(entries.get('revenue-by-month.csv')!, { bom: true, columns: true }) as Record<string, string>[];
    const march = await b.call('metrics.summary', { asOf: '2026-03-15' });
    expect(Object.values(revenue.at(-1)!)).toContain((march.revenue / 100).toFixed(2));
    b.close();
  });
});

describe('restoring the same backup twice', () => {
  it('gives each copy its own name', async () => {
    const b = await billingBusiness();
    const backup = await b.call('backup.create', { passphrase: BACKUP_PASSPHRASE });
    const names: string[] = [];
    for (let i = 0; i < 2; i++) {
      const restored = await call(b.core, { ...b.conn, imports: picking(backup.path!) }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE });
      names.push(restored.business!.name);
    }
    expect(names).toEqual(['Sunrise Yoga (restored)', 'Sunrise Yoga (restored 2)']);
    b.close();
  });
});
