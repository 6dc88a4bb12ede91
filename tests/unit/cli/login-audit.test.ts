import { describe, expect, it } from 'vitest';
import { JANE, openBusinessFile } from './customer-fixtures';
import { withBusiness } from './run-cli';

// A script runs read commands hundreds of times: each logs in (the password
// is checked every run) but only a run that writes leaves audit rows.

function auditActions(dataDir: string, businessId: string): string[] {
  const db = openBusinessFile(dataDir, businessId);
  try {
    return (db.prepare('SELECT action FROM audit_log ORDER BY rowid').pluck().all() as string[]);
  } finally {
    db.close();
  }
}

function lastLoginAt(dataDir: string, businessId: string): string | null {
  const db = openBusinessFile(dataDir, businessId);
  try {
    return db.prepare("SELECT last_login_at FROM users WHERE email_normalized = 'olivia@example.com'").pluck().get() as string | null;
  } finally {
    db.close();
  }
}

describe('the CLI login and the audit log', () => {
  it('a read-only command writes no audit row and leaves the file as it was', async () => {
    const { cli, asOwner, dataDir, businessId } = await withBusiness();
    const before = auditActions(dataDir, businessId);
    const loginBefore = lastLoginAt(dataDir, businessId);
    for (const args of [['customer', 'list', '--json'], ['plan', 'list', '--json'], ['invoice', 'list', '--json'], ['payment', 'list', '--json'], ['metrics', '--as-of', '2026-03-31', '--json']]) {
      const run = await cli(args, asOwner);
      expect(run, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
    }
    expect(auditActions(dataDir, businessId)).toEqual(before);
    expect(lastLoginAt(dataDir, businessId)).toBe(loginBefore);
  });

  it('a write records the login once, in the same transaction as the write, then its own row', async () => {
    const { cli, asOwner, dataDir, businessId } = await withBusiness();
    const before = auditActions(dataDir, businessId);
    expect(await cli([...JANE, '--json'], asOwner)).toMatchObject({ code: 0 });
    expect(auditActions(dataDir, businessId).slice(before.length)).toEqual(['auth.login', 'customers.create']);
    expect(lastLoginAt(dataDir, businessId)).not.toBeNull();
  });

  it('a wrong password is still recorded (the lockout counts it), and the next good login clears it with a row', async () => {
    const { cli, asOwner, dataDir, businessId } = await withBusiness();
    const before = auditActions(dataDir, businessId);
    const refused = await cli(['customer', 'list', '--json'], { ...asOwner, RECURRA_PASSWORD: 'not the password' });
    expect(refused.code).toBe(3);
    expect(auditActions(dataDir, businessId).slice(before.length)).toEqual(['auth.loginFailed']);
    // A read now clears the failure count, which is a write worth its row.
    expect(await cli(['customer', 'list', '--json'], asOwner)).toMatchObject({ code: 0 });
    expect(auditActions(dataDir, businessId).slice(before.length)).toEqual(['auth.loginFailed', 'auth.login']);
    // And after that, reads are silent again.
    expect(await cli(['customer', 'list', '--json'], asOwner)).toMatchObject({ code: 0 });
    expect(auditActions(dataDir, businessId).slice(before.length)).toEqual(['auth.loginFailed', 'auth.login']);
  });
});
