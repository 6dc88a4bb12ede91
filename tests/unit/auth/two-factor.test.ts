import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { makeStoredSession, resumeStoredSession } from '../../../src-main/core/auth/stored-session';
import { call, callError, connect, FakeClock, makeCore, OWNER_PASSWORD, signUp } from '../../support/core';

const EMAIL = 'olivia@example.com';

/** The code an authenticator app shows for `secret` at `at` (plus an offset, for a phone whose clock is off). */
const codeAt = (secret: string, at: Date, offsetS = 0) => generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) + offsetS });

async function withTwoFactor() {
  const clock = new FakeClock(new Date('2026-03-01T12:00:05Z'));
  const { core } = makeCore({ clock });
  const { conn, businessId } = await signUp(core);
  const setup = await call(core, conn, 'auth.twoFactorSetup', {});
  const confirmed = await call(core, conn, 'auth.twoFactorConfirm', { code: codeAt(setup.secret, clock.now()) });
  // Codes of the step used to confirm are spent: move to the next step.
  clock.advance(30_000);
  const login = (code?: string, password = OWNER_PASSWORD) =>
    core.dispatch(connect(), 'auth.login', { businessId, email: EMAIL, password, ...(code === undefined ? {} : { code }) });
  return { core, clock, conn, businessId, secret: setup.secret, setup, recoveryCodes: confirmed.recoveryCodes, login };
}

describe('two-factor login', () => {
  it('sets up with a secret and a QR code, turns on only after a good code, and gives ten recovery codes once', async () => {
    const clock = new FakeClock();
    const { core } = makeCore({ clock });
    const { conn, session } = await signUp(core);
    expect(session.twoFactor).toEqual({ enabled: false, setupRequired: false });

    const setup = await call(core, conn, 'auth.twoFactorSetup', {});
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUrl).toBe(`otpauth://totp/Recurra:Sunrise%20Yoga%2Folivia%40example.com?secret=${setup.secret}&issuer=Recurra`);
    expect(setup.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(setup.qrDataUrl.split(',')[1]!, 'base64').toString()).toContain('<path d="M4 4h1v1h-1z');
    // Not on yet: a wrong code is refused, the status says off.
    expect(await callError(core, conn, 'auth.twoFactorConfirm', { code: '000000' })).toMatchObject({ code: 'validation', field: 'code' });
    expect((await call(core, conn, 'auth.twoFactorStatus', {})).enabled).toBe(false);

    const on = await call(core, conn, 'auth.twoFactorConfirm', { code: codeAt(setup.secret, clock.now()) });
    expect(on.recoveryCodes).toHaveLength(10);
    expect(new Set(on.recoveryCodes).size).toBe(10);
    for (const c of on.recoveryCodes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(await call(core, conn, 'auth.twoFactorStatus', {})).toMatchObject({ enabled: true, recoveryCodesLeft: 10, requiredForEveryone: false });
    expect((await call(core, conn, 'auth.session', {}))?.twoFactor).toEqual({ enabled: true, setupRequired: false });
    // A second set-up is refused while it is on.
    expect(await callError(core, conn, 'auth.twoFactorSetup', {})).toMatchObject({ code: 'conflict' });

    // Only hashes are stored: neither the codes nor the secret appear in the audit log.
    const audit = JSON.stringify(await call(core, conn, 'audit.list', {}));
    expect(audit).toContain('auth.twoFactorOn');
    expect(audit).not.toContain(setup.secret);
    for (const c of on.recoveryCodes) expect(audit).not.toContain(c);
    const db = core.businesses.get(session.business.id);
    const stored = db.sqlite.prepare("SELECT key FROM settings WHERE key LIKE '2fa.recovery.%'").pluck().all() as string[];
    expect(stored).toHaveLength(10);
    for (const c of on.recoveryCodes) expect(stored.join()).not.toContain(c.replace(/-/g, ''));
    core.close();
  });

  it('asks for a code after a good password, accepts a current one once, and refuses a replay', async () => {
    const { core, clock, secret, login } = await withTwoFactor();
    const noCode = await login();
    expect(noCode).toMatchObject({ ok: false, error: { code: 'unauthenticated', field: 'code', message: expect.stringMatching(/6-digit code/) } });
    // A wrong password is still a wrong password (the code is not asked for first).
    expect(await login(codeAt(secret, clock.now()), 'not the password')).toMatchObject({ ok: false, error: { field: 'password' } });

    const code = codeAt(secret, clock.now());
    const ok = await login(code);
    expect(ok).toMatchObject({ ok: true, data: { twoFactor: { enabled: true, setupRequired: false } } });
    // The same code again, 10 s later, within its window: refused.
    clock.advance(10_000);
    expect(await login(code)).toMatchObject({ ok: false, error: { code: 'unauthenticated', field: 'code', message: expect.stringMatching(/already used/) } });
    // So is the previous step's code (an older step than the last accepted).
    expect(await login(codeAt(secret, clock.now(), -30))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/already used/) } });
    // The next step's code works.
    clock.advance(30_000);
    expect(await login(codeAt(secret, clock.now()))).toMatchObject({ ok: true });
    core.close();
  });

  it('allows one step of drift, and refuses a clock 3 minutes off saying to check the clock', async () => {
    const { core, clock, secret, login } = await withTwoFactor();
    clock.advance(60_000); // past the steps the set-up spent
    // The phone 30 s behind: its code is the previous step's, accepted.
    expect(await login(codeAt(secret, clock.now(), -30))).toMatchObject({ ok: true });
    clock.advance(60_000);
    // The phone 30 s ahead: accepted.
    expect(await login(codeAt(secret, clock.now(), 30))).toMatchObject({ ok: true });
    clock.advance(120_000);
    // 3 minutes off either way: refused, and the message points at the clock.
    for (const offset of [180, -180]) {
      expect(await login(codeAt(secret, clock.now(), offset))).toMatchObject({
        ok: false,
        error: { code: 'unauthenticated', field: 'code', message: expect.stringMatching(/about 3 minutes away.*Check the PC's clock/) },
      });
    }
    expect(await login('123456')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Wrong code/) } });
    core.close();
  });

  it('takes a recovery code once, as typed, and logs its use', async () => {
    const { core, conn, recoveryCodes, login } = await withTwoFactor();
    const [first, second] = recoveryCodes as [string, string];
    // Lower case, spaces for dashes.
    expect(await login(first.toLowerCase().replace(/-/g, ' '))).toMatchObject({ ok: true });
    expect(await login(first)).toMatchObject({ ok: false, error: { field: 'code', message: expect.stringMatching(/recovery code was already used/) } });
    expect(await login('AAAA-BBBB-CCCC-DDDD')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/neither a 6-digit code nor one of your recovery codes/) } });
    expect(await login(second)).toMatchObject({ ok: true });
    expect((await call(core, conn, 'auth.twoFactorStatus', {})).recoveryCodesLeft).toBe(8);
    const entries = (await call(core, conn, 'audit.list', {})).entries;
    const used = entries.filter((e) => e.action === 'auth.recoveryCodeUsed');
    expect(used).toHaveLength(2);
    expect(JSON.stringify(entries)).not.toContain(first);
    core.close();
  });

  it('counts wrong codes toward the lockout of wrong passwords', async () => {
    const { core, clock, secret, login } = await withTwoFactor();
    await login(undefined, 'wrong password one');
    await login(undefined, 'wrong password two');
    for (let i = 0; i < 2; i++) expect(await login('111111')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Wrong code/) } });
    // The fifth failure locks, and then a right password and code are refused too.
    expect(await login('222222')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Too many failed attempts/) } });
    expect(await login(codeAt(secret, clock.now()))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Too many failed attempts/) } });
    clock.advance(15 * 60_000 + 1);
    expect(await login(codeAt(secret, clock.now()))).toMatchObject({ ok: true });
    core.close();
  });

  it('turns off only with a current code, counting wrong ones, and logs it', async () => {
    const { core, clock, secret, conn, businessId, login } = await withTwoFactor();
    const other = connect();
    await call(core, other, 'auth.login', { businessId, email: EMAIL, password: OWNER_PASSWORD, code: codeAt(secret, clock.now()) });
    expect(await callError(core, conn, 'auth.twoFactorDisable', { code: '999999' })).toMatchObject({ code: 'unauthenticated', field: 'code' });
    expect(await callError(core, connect(), 'auth.twoFactorDisable', { code: '999999' })).toMatchObject({ code: 'unauthenticated', message: 'Please log in' });
    // The code that logged the other window in still proves the phone here.
    expect(await call(core, conn, 'auth.twoFactorDisable', { code: codeAt(secret, clock.now()) })).toEqual({ enabled: false });
    expect(await call(core, conn, 'auth.twoFactorStatus', {})).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    // The other window is logged out; a password alone logs in again.
    expect(await callError(core, other, 'business.get', {})).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/turned off/) });
    expect(await login()).toMatchObject({ ok: true });
    const actions = (await call(core, conn, 'audit.list', {})).entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.twoFactorOn', 'auth.twoFactorOff', 'auth.loginFailed']));
    core.close();
  });

  it('lets an owner require it for everyone: a user without it can only set it up', async () => {
    const clock = new FakeClock();
    const { core } = makeCore({ clock });
    const { conn: owner, businessId } = await signUp(core);
    await call(core, owner, 'users.create', { name: 'Sam', email: 'sam@example.com', role: 'staff', password: 'password one' });
    const staff = connect();
    expect(await callError(core, staff, 'auth.setTwoFactorRequired', { required: true })).toMatchObject({ code: 'unauthenticated' });
    await call(core, staff, 'auth.login', { businessId, email: 'sam@example.com', password: 'password one' });
    expect(await callError(core, staff, 'auth.setTwoFactorRequired', { required: true })).toMatchObject({ code: 'forbidden' });

    // Not before the owner has it: they would be held at their own next call.
    expect(await callError(core, owner, 'auth.setTwoFactorRequired', { required: true })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/for yourself first/) });
    const own = await call(core, owner, 'auth.twoFactorSetup', {});
    await call(core, owner, 'auth.twoFactorConfirm', { code: codeAt(own.secret, clock.now()) });
    expect(await call(core, owner, 'auth.setTwoFactorRequired', { required: true })).toEqual({ requiredForEveryone: true });
    const audit = (await call(core, owner, 'audit.list', {})).entries.find((e) => e.action === 'auth.twoFactorRequirement');
    expect(audit).toMatchObject({ before: { requiredForEveryone: false }, after: { requiredForEveryone: true } });

    // Sam logs in (password only: he has no second factor yet) and is sent to set it up.
    const sam = connect();
    const session = await call(core, sam, 'auth.login', { businessId, email: 'sam@example.com', password: 'password one' });
    expect(session.twoFactor).toEqual({ enabled: false, setupRequired: true });
    expect(await callError(core, sam, 'business.get', {})).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/set it up first/) });
    const setup = await call(core, sam, 'auth.twoFactorSetup', {});
    await call(core, sam, 'auth.twoFactorConfirm', { code: codeAt(setup.secret, clock.now()) });
    // Confirming ends his other sessions but keeps the one that confirmed.
    expect((await call(core, sam, 'business.get', {})).id).toBe(businessId);
    expect((await call(core, sam, 'auth.session', {}))?.twoFactor).toEqual({ enabled: true, setupRequired: false });
    // Turning the requirement off is logged too.
    expect(await call(core, owner, 'auth.setTwoFactorRequired', { required: false })).toEqual({ requiredForEveryone: false });
    expect((await call(core, owner, 'audit.list', {})).entries.filter((e) => e.action === 'auth.twoFactorRequirement')).toHaveLength(2);
    core.close();
  });
});

describe('the users list (Settings > Users)', () => {
  it('says who has two-factor on, and who must still set it up when the owner requires it', async () => {
    const clock = new FakeClock();
    const { core } = makeCore({ clock });
    const { conn: owner, businessId } = await signUp(core);
    await call(core, owner, 'users.create', { name: 'Sam', email: 'sam@example.com', role: 'staff', password: 'password one' });
    const created = await call(core, owner, 'users.create', { name: 'Vic', email: 'vic@example.com', role: 'viewer', password: 'password two' });
    expect(created.twoFactor).toEqual({ enabled: false, setupRequired: false });
    const twoFactorOf = async () => Object.fromEntries((await call(core, owner, 'users.list', {})).map((u) => [u.email, u.twoFactor]));
    const off = { enabled: false, setupRequired: false };
    expect(await twoFactorOf()).toEqual({ [EMAIL]: off, 'sam@example.com': off, 'vic@example.com': off });

    const own = await call(core, owner, 'auth.twoFactorSetup', {});
    // A set-up not yet confirmed is still off.
    expect((await twoFactorOf())[EMAIL]).toEqual(off);
    await call(core, owner, 'auth.twoFactorConfirm', { code: codeAt(own.secret, clock.now()) });
    await call(core, owner, 'auth.setTwoFactorRequired', { required: true });
    const required = { enabled: false, setupRequired: true };
    expect(await twoFactorOf()).toEqual({ [EMAIL]: { enabled: true, setupRequired: false }, 'sam@example.com': required, 'vic@example.com': required });

    // Sam sets it up: on, no longer required of him; every user write answers the same shape.
    const sam = connect();
    await call(core, sam, 'auth.login', { businessId, email: 'sam@example.com', password: 'password one' });
    const setup = await call(core, sam, 'auth.twoFactorSetup', {});
    await call(core, sam, 'auth.twoFactorConfirm', { code: codeAt(setup.secret, clock.now()) });
    expect((await twoFactorOf())['sam@example.com']).toEqual({ enabled: true, setupRequired: false });
    expect((await call(core, owner, 'users.update', { id: created.id, name: 'Victor' })).twoFactor).toEqual(required);

    await call(core, owner, 'auth.setTwoFactorRequired', { required: false });
    expect((await twoFactorOf())['vic@example.com']).toEqual(off);
    // The secret itself never leaves main.
    expect(JSON.stringify(await call(core, owner, 'users.list', {}))).not.toContain(setup.secret);
    core.close();
  });
});

describe('a session kept by `recurra login`', () => {
  it('is bound to its business and user and ends after 12 hours, a deactivation or a 2FA change', async () => {
    const clock = new FakeClock();
    const { core } = makeCore({ clock });
    const { conn: owner, businessId } = await signUp(core);
    const sam = await call(core, owner, 'users.create', { name: 'Sam', email: 'sam@example.com', role: 'staff', password: 'password one' });
    const db = core.businesses.get(businessId);
    const kept = makeStoredSession(db, sam.id, 'Sam@example.com', clock.now());
    expect(kept.expiresAt).toBe(new Date(clock.now().getTime() + 12 * 3_600_000).toISOString());
    const resume = (email = 'sam@example.com', business = businessId) => resumeStoredSession(core, connect(), kept, business, email);

    expect(resume()).toBe(true);
    expect(resume('olivia@example.com')).toBe(false);
    expect(resume('sam@example.com', 'another-business')).toBe(false);
    clock.advance(12 * 3_600_000 - 1);
    expect(resume()).toBe(true);
    clock.advance(1);
    expect(resume()).toBe(false);

    const fresh = makeStoredSession(db, sam.id, 'sam@example.com', clock.now());
    const again = () => resumeStoredSession(core, connect(), fresh, businessId, 'sam@example.com');
    expect(again()).toBe(true);
    await call(core, owner, 'users.deactivate', { id: sam.id });
    expect(again()).toBe(false);
    await call(core, owner, 'users.reactivate', { id: sam.id });
    expect(again()).toBe(true);
    // Sam turns two-factor on: the stamp changes.
    const samConn = connect();
    await call(core, samConn, 'auth.login', { businessId, email: 'sam@example.com', password: 'password one' });
    const setup = await call(core, samConn, 'auth.twoFactorSetup', {});
    await call(core, samConn, 'auth.twoFactorConfirm', { code: codeAt(setup.secret, clock.now()) });
    expect(again()).toBe(false);
    core.close();
  });
});
