import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderExportDestination, PathExportDestination } from '../../../src-main/core/csv/folder-destination';
import type { ExportDestination } from '../../../src-main/core/ports';
import { billingBusiness, type BillingFixture } from '../../support/billing';
import { call, tempDir, BACKUP_PASSPHRASE } from '../../support/core';

// Issue 11, defect 4: a backup holds password hashes, the recovery key's hash and every customer; an export
// every customer. Each is owner-only (0600), written to a new path or over a file that was world-readable,
// whatever the umask.

const mode = (file: string) => fs.statSync(file).mode & 0o777;

let umask: number;
beforeAll(() => {
  umask = process.umask(0o022); // the usual desktop umask, the one that made files 0644
});
afterAll(() => {
  process.umask(umask);
});

type Export = (b: BillingFixture, exports: ExportDestination) => Promise<string | null>;

const EXPORTS: [string, string, Export][] = [
  ['backup', 'b.recurra', async (b, exports) => (await call(b.core, { ...b.conn, exports }, 'backup.create', { passphrase: BACKUP_PASSPHRASE })).path],
  ['accountant zip', 'a.zip', async (b, exports) => (await call(b.core, { ...b.conn, exports }, 'backup.exportAccounts', { bom: true })).path],
  ['customers CSV', 'c.csv', async (b, exports) => (await call(b.core, { ...b.conn, exports }, 'customers.export', {})).path],
  ['report CSV', 'r.csv', async (b, exports) => (await call(b.core, { ...b.conn, exports }, 'reports.export', { kind: 'invoices' })).path],
  [
    'invoice PDF',
    'i.pdf',
    async (b, exports) => {
      const [invoice] = await b.invoices();
      return (await call(b.core, { ...b.conn, exports }, 'invoices.pdf', { id: invoice!.id })).path;
    },
  ],
];

describe('backups and exports are readable by their owner only', () => {
  it.each(EXPORTS)('%s: 0600 at a new path (the CLI --out, the save dialog) and over a world-readable file', async (_, name, make) => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 2500 });
    await b.subscribe({ planId: plan.id, startDate: '2026-01-01' });
    await b.run('2026-02-15');
    const dir = tempDir();

    const fresh = path.join(dir, 'out', name);
    expect(await make(b, new PathExportDestination(fresh))).toBe(fresh);
    expect(fs.statSync(fresh).size).toBeGreaterThan(0);
    expect(mode(fresh).toString(8)).toBe('600');

    const existing = path.join(dir, 'existing', name);
    fs.mkdirSync(path.dirname(existing));
    fs.writeFileSync(existing, 'an older export', { mode: 0o644 });
    fs.chmodSync(existing, 0o644);
    expect(await make(b, new PathExportDestination(existing))).toBe(existing);
    expect(mode(existing).toString(8)).toBe('600');

    const folder = path.join(dir, 'exports');
    fs.mkdirSync(folder);
    const written = await make(b, new FolderExportDestination(folder));
    expect(mode(written!).toString(8)).toBe('600');
    fs.chmodSync(written!, 0o644);
    expect(await make(b, new FolderExportDestination(folder))).toBe(written); // the same name again: over the 0644 file
    expect(mode(written!).toString(8)).toBe('600');
    b.close();
  });

  it('the backup command line writes its --out file 0600', async () => {
    const { runCli } = await import('../../../src-main/cli/main');
    const dataDir = tempDir();
    const out: string[] = [];
    const io = { env: { RECURRA_PASSWORD: 'long enough pw', RECURRA_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
    expect(await runCli(['--data-dir', dataDir, '--json', 'business', 'create', '--name', 'Mode Co', '--currency', 'EUR', '--timezone', 'Europe/Paris', '--owner-name', 'O', '--owner-email', 'o@example.com'], io)).toBe(0);
    const id = JSON.parse(out.pop()!).business.id as string;
    const file = path.join(tempDir(), 'mode.recurra');
    expect(await runCli(['--data-dir', dataDir, '--json', '--business', id, '--user', 'o@example.com', 'business', 'backup', '--out', file], io)).toBe(0);
    expect(mode(file).toString(8)).toBe('600');
    // The restored business's file too.
    expect(await runCli(['--data-dir', dataDir, '--json', '--user', 'o@example.com', 'business', 'restore', '--file', file], io)).toBe(0);
    const restored = JSON.parse(out.pop()!).business.id as string;
    expect(mode(path.join(dataDir, 'businesses', `${restored}.sqlite`)).toString(8)).toBe('600');
  });
});
