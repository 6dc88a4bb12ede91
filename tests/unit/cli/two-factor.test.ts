import fs from 'node:fs';
import path from 'node:path';
import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { call, connect, makeCore } from '../../support/core';
import { errorJson, OWNER, withBusiness } from './run-cli';

// The CLI runs on the real clock, so codes are made for now ±1 step (the
// drift the core accepts): step -1 to confirm, then 0, then +1, each later
// than the last, since a step once accepted is refused after.
const code = (secret: string, steps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

/** Waits out the end of a 30 s step, so a test's codes all belong to one window. */
async function startOfStep(): Promise<void> {
  const into = (Date.now() / 1000) % 30;
  if (into > 20) await new Promise((r) => setTimeout(r, (30 - into) * 1000 + 100));
}

async function withTwoFactorOwner() {
  const b = await withBusiness();
  await startOfStep();
  const setup = await b.cli(['account', '2fa', 'setup', '--json'], b.asOwner);
  expect(setup.code).toBe(0);
  const { secret, otpauthUrl } = JSON.parse(setup.stdout) as { secret: string; otpauthUrl: string };
  expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Recurra:Sunrise%20Yoga%2Folivia%40example\.com\?secret=/);
  const confirmed = await b.cli(['account', '2fa', 'confirm', '--code', code(secret, -1), '--json'], b.asOwner);
  expect(confirmed.code).toBe(0);
  const { recoveryCodes } = JSON.parse(confirmed.stdout) as { enabled: true; recoveryCodes: string[] };
  return { ...b, secret, recoveryCodes };
}

describe('recurra with two-factor login', () => {
  it('sets up and confirms, then needs RECURRA_TOTP: missing, wrong or reused is exit 3 with nothing done', async () => {
    const { cli, asOwner, secret, recoveryCodes } = await withTwoFactorOwner();
    expect(recoveryCodes).toHaveLength(10);
    const create = (env: NodeJS.ProcessEnv, email: string) =>
      cli(['customer', 'create', '--name', 'Ann', '--email', email, '--json'], { ...asOwner, ...env });

    const missing = await create({}, 'a@example.com');
    expect(missing.code).toBe(3);
    expect(errorJson(missing)).toEqual({
      error: { code: 'unauthenticated', field: 'code', message: expect.stringMatching(/set env RECURRA_TOTP.*recurra login/) },
    });
    const wrong = await create({ RECURRA_TOTP: '000000' }, 'a@example.com');
    expect(wrong.code).toBe(3);
    expect(errorJson(wrong)).toMatchObject({ error: { field: 'code', message: expect.stringMatching(/^Wrong code/) } });

    const now = code(secret, 0);
    expect((await create({ RECURRA_TOTP: now }, 'a@example.com')).code).toBe(0);
    const reused = await create({ RECURRA_TOTP: now }, 'b@example.com');
    expect(reused.code).toBe(3);
    expect(errorJson(reused)).toMatchObject({ error: { message: expect.stringMatching(/already used/) } });
    // A recovery code works once.
    expect((await create({ RECURRA_TOTP: recoveryCodes[0] }, 'b@example.com')).code).toBe(0);
    expect((await create({ RECURRA_TOTP: recoveryCodes[0] }, 'c@example.com')).code).toBe(3);

    // Only the two good runs created a customer.
    const list = await cli(['customer', 'list', '--json'], { ...asOwner, RECURRA_TOTP: code(secret, 1) });
    expect((JSON.parse(list.stdout) as { email: string }[]).map((c) => c.email).sort()).toEqual(['a@example.com', 'b@example.com']);
  });

  it('keeps a 12-hour session in a 0600 file after `recurra login`, until logout, a password change or a 2FA change', async () => {
    const { cli, dataDir, asOwner, secret, businessId } = await withTwoFactorOwner();
    const login = await cli(['login', '--json'], { ...asOwner, RECURRA_TOTP: code(secret, 0) });
    expect(login.code).toBe(0);
    const out = JSON.parse(login.stdout) as { user: { email: string; role: string }; expiresAt: string };
    expect(out.user).toMatchObject({ email: OWNER.email, role: 'owner' });
    const hours = (Date.parse(out.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const file = path.join(dataDir, 'secrets.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The file holds the session's binding, never the password or a code.
    const kept = fs.readFileSync(file, 'utf8');
    expect(kept).toContain(businessId);
    expect(kept).not.toContain(OWNER.password);
    expect(kept).not.toContain(secret);

    // No password, no code: the kept session serves.
    const bare = { RECURRA_BUSINESS: businessId, RECURRA_USER: OWNER.email };
    const metrics = await cli(['plan', 'list', '--json'], bare);
    expect(metrics.code).toBe(0);
    // Another user of the same business is not served by it.
    expect((await cli(['plan', 'list', '--json'], { ...bare, RECURRA_USER: 'someone@example.com' })).code).toBe(3);

    // Turning 2FA off (with a code) makes it stale: the next run needs the password again.
    expect((await cli(['account', '2fa', 'disable', '--json'], { ...bare, RECURRA_TOTP: code(secret, 1) })).code).toBe(0);
    const stale = await cli(['plan', 'list', '--json'], bare);
    expect(stale.code).toBe(3);
    expect(errorJson(stale)).toMatchObject({ error: { message: expect.stringMatching(/RECURRA_PASSWORD/) } });

    // Logged in again (2FA now off), then out.
    expect((await cli(['login', '--json'], asOwner)).code).toBe(0);
    expect((await cli(['plan', 'list', '--json'], bare)).code).toBe(0);
    const logout = await cli(['logout', '--json'], bare);
    expect(JSON.parse(logout.stdout)).toEqual({ loggedOut: true });
    expect((await cli(['plan', 'list', '--json'], bare)).code).toBe(3);
  });

  it('forgets a kept session when the password changes', async () => {
    const { cli, dataDir, asOwner, businessId } = await withBusiness();
    expect((await cli(['login', '--json'], asOwner)).code).toBe(0);
    const bare = { RECURRA_BUSINESS: businessId, RECURRA_USER: OWNER.email };
    expect((await cli(['plan', 'list', '--json'], bare)).code).toBe(0);
    // The owner changes the password in the app (a Core on the same data folder).
    const { core } = makeCore({ dataDir });
    const conn = connect();
    await call(core, conn, 'auth.login', { businessId, email: OWNER.email, password: OWNER.password });
    await call(core, conn, 'auth.changePassword', { currentPassword: OWNER.password, newPassword: 'a brand new password' });
    core.close();
    expect((await cli(['plan', 'list', '--json'], bare)).code).toBe(3);
    expect((await cli(['plan', 'list', '--json'], { ...bare, RECURRA_PASSWORD: 'a brand new password' })).code).toBe(0);
  });
});
