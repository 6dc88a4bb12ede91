import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ImportSource } from '../../../src-main/core/ports';
import { runCli } from '../../../src-main/cli/main';
import { SECRETS_FILE } from '../../../src-main/core/file-secret-store';
import { billingBusiness } from '../../support/billing';
import { BACKUP_PASSPHRASE, call, callError, connect, makeCore, OWNER_PASSWORD, signUp, tempDir } from '../../support/core';

// Issue 16, part 2: backups are encrypted with a passphrase the owner chooses; a wrong passphrase, a
// truncated file or a file encrypted with another key is a clear error and nothing is restored.

function picking(file: string): ImportSource {
  return { open: async () => ({ path: file, name: path.basename(file) }) };
}

const OWNER = { email: 'olivia@example.com', password: OWNER_PASSWORD };

describe('an encrypted backup', () => {
  it('cannot be read without its passphrase, and each bad input is a clear error that restores nothing', async () => {
    const b = await billingBusiness();
    await b.customer('manual');
    expect(await callError(b.core, b.conn, 'backup.create', { passphrase: 'short' })).toMatchObject({ code: 'validation', field: 'passphrase' });
    const { recoveryKey } = await b.call('auth.newRecoveryKey', { currentPassword: OWNER_PASSWORD });
    const { path: backup } = await b.call('backup.create', { passphrase: BACKUP_PASSPHRASE });
    expect((fs.statSync(backup!).mode & 0o777).toString(8)).toBe('600');
    const plain = new Database(backup!, { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM customers').get()).toThrow('file is not a database');
    plain.close();

    const listed = () => fs.readdirSync(path.join(b.core.paths.dataDir, 'businesses')).sort();
    const before = listed();
    const restore = (file: string, input: Record<string, string>) => callError(b.core, { ...connect(), imports: picking(file) }, 'backup.restore', { ...OWNER, ...input });
    expect(await restore(backup!, {})).toMatchObject({ code: 'validation', field: 'passphrase', message: expect.stringContaining('encrypted') });
    expect(await restore(backup!, { passphrase: 'not the passphrase' })).toMatchObject({ code: 'validation', field: 'passphrase', message: expect.stringContaining('Wrong passphrase') });
    const bytes = fs.readFileSync(backup!);
    const cut = path.join(tempDir(), 'cut.recurra');
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 1000));
    expect(await restore(cut, { passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'validation', field: 'file', message: expect.stringContaining('truncated') });
    const half = path.join(tempDir(), 'half.recurra');
    fs.writeFileSync(half, bytes.subarray(0, Math.floor(bytes.length / 8192) * 4096));
    expect(await restore(half, { passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'validation', field: 'file' });
    // A business file itself (encrypted with its data key, not a passphrase) is no backup.
    const raw = path.join(b.core.paths.dataDir, 'businesses', `${b.businessId}.sqlite`);
    expect(await restore(raw, { passphrase: BACKUP_PASSPHRASE })).toMatchObject({ code: 'validation', field: 'passphrase' });
    expect(listed()).toEqual(before);

    // Another business's backup, by a logged-in owner of this one: refused (their credentials are not in it).
    const other = makeCore();
    const { conn: otherOwner } = await signUp(other.core, { businessName: 'Other Co', ownerEmail: 'x@example.com' });
    expect(await callError(other.core, { ...otherOwner, imports: picking(backup!) }, 'backup.restore', { passphrase: BACKUP_PASSPHRASE })).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('another business'),
    });
    // The right passphrase on another PC: a new business, encrypted with a key of its own.
    const restored = await call(other.core, { ...connect(), imports: picking(backup!) }, 'backup.restore', { ...OWNER, passphrase: BACKUP_PASSPHRASE });
    expect(restored.business?.name).toBe('Sunrise Yoga');
    const file = path.join(other.dataDir, 'businesses', `${restored.business!.id}.sqlite`);
    const check = new Database(file, { readonly: true });
    expect(() => check.prepare('SELECT 1 FROM business').get()).toThrow('file is not a database');
    check.close();
    const owner = connect();
    await call(other.core, owner, 'auth.login', { businessId: restored.business!.id, ...OWNER });
    expect((await call(other.core, owner, 'customers.list', {})).rows.length).toBe(1);
    // Its data key is new: the recovery key (the backup's) cannot unlock it until typed once.
    expect(fs.existsSync(`${file}.unlock`)).toBe(false);
    expect(await call(other.core, owner, 'auth.recoveryKeyInfo', {})).toMatchObject({ unlocksBooks: false });
    expect(await call(other.core, owner, 'business.unlock', { businessId: restored.business!.id, recoveryKey })).toMatchObject({ recoverySetUp: true });
    expect(await call(other.core, owner, 'auth.recoveryKeyInfo', {})).toMatchObject({ unlocksBooks: true });
    other.core.close();
  });

  it('on the command line: RECURRA_BACKUP_PASSPHRASE is required to back up and to restore', async () => {
    const dataDir = tempDir();
    const out: string[] = [];
    const io = (env: Record<string, string>) => ({ env: { RECURRA_PASSWORD: OWNER_PASSWORD, ...env }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) });
    const { core } = makeCore({ dataDir });
    const { businessId, session } = await signUp(core);
    core.close();
    const file = path.join(tempDir(), 'b.recurra');
    const backup = ['--data-dir', dataDir, '--business', businessId, '--user', OWNER.email, 'business', 'backup', '--out', file];
    expect(await runCli(backup, io({}))).toBe(2);
    expect(out.join('')).toContain('RECURRA_BACKUP_PASSPHRASE');
    expect(fs.existsSync(file)).toBe(false);
    expect(await runCli(backup, io({ RECURRA_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE }))).toBe(0);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    out.length = 0;
    const restore = ['--data-dir', dataDir, '--user', OWNER.email, 'business', 'restore', '--file', file];
    expect(await runCli(restore, io({}))).toBe(1);
    expect(out.join('')).toContain('RECURRA_BACKUP_PASSPHRASE');
    expect(await runCli(restore, io({ RECURRA_BACKUP_PASSPHRASE: 'wrong passphrase' }))).toBe(1);
    out.length = 0;
    expect(await runCli(restore, io({ RECURRA_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE }))).toBe(0);
    // The restored copy's own data key: the output says the recovery key cannot unlock it yet, and how to set that up.
    expect(out.join('')).toContain('cannot unlock this restored file yet');
    expect(out.join('')).toContain('RECURRA_RECOVERY_KEY');
    out.length = 0;
    // With RECURRA_RECOVERY_KEY, the restore sets it up: the restored business unlocks on a PC that lost its key.
    const json = [...restore.slice(0, 2), '--json', ...restore.slice(2)];
    expect(await runCli(json, io({ RECURRA_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE, RECURRA_RECOVERY_KEY: session.recoveryKey }))).toBe(0);
    const result = JSON.parse(out.find((line) => line.startsWith('{'))!) as { business: { id: string }; recoverySetUp: boolean };
    expect(result.recoverySetUp).toBe(true);
    const restoredFile = path.join(dataDir, 'businesses', `${result.business.id}.sqlite`);
    expect(fs.existsSync(`${restoredFile}.unlock`)).toBe(true);
    fs.writeFileSync(path.join(dataDir, SECRETS_FILE), '{}', { mode: 0o600 });
    const { core: reinstalled } = makeCore({ dataDir });
    expect(await call(reinstalled, connect(), 'business.unlock', { businessId: result.business.id, recoveryKey: session.recoveryKey })).toMatchObject({ keyRestored: true });
    await call(reinstalled, connect(), 'auth.login', { businessId: result.business.id, ...OWNER });
    reinstalled.close();
  });
});
