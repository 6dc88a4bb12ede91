import { describe, expect, it } from 'vitest';
import { normalizeRecoveryKey } from '../../../src-main/core/auth/recovery-key';
import { call, callError, connect, makeCore, OWNER_PASSWORD, signUp } from '../../support/core';

const NEW_PASSWORD = 'a brand new password';

describe('the recovery key', () => {
  it('lets an owner who forgot the password set a new one, logs them in, and replaces the used key', async () => {
    const { core } = makeCore();
    const { conn: firstWindow, session, businessId } = await signUp(core);
    const key = session.recoveryKey;

    const conn = connect();
    // Typed sloppily: lower case, spaces instead of dashes.
    const recovered = await call(core, conn, 'auth.recover', {
      businessId,
      email: 'OLIVIA@example.com',
      recoveryKey: ` ${key.toLowerCase().replace(/-/g, ' ')} `,
      newPassword: NEW_PASSWORD,
    });
    expect(recovered.user).toMatchObject({ email: 'olivia@example.com', role: 'owner' });
    expect(recovered.recoveryKey).not.toBe(key);
    expect((await call(core, conn, 'business.get', {})).id).toBe(businessId);
    // The window still logged in with the old password is logged out, with the reason.
    expect(await callError(core, firstWindow, 'business.get', {})).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/recovery key/) });

    // The new password works, the old one does not, and the used key is spent.
    const login = (password: string) => callError(core, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password });
    expect(await login(OWNER_PASSWORD)).toMatchObject({ code: 'unauthenticated' });
    await call(core, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: NEW_PASSWORD });
    expect(await callError(core, connect(), 'auth.recover', { businessId, email: 'olivia@example.com', recoveryKey: key, newPassword: NEW_PASSWORD })).toEqual({
      code: 'unauthenticated',
      field: 'recoveryKey',
      message: 'That email and recovery key do not match',
    });

    const actions = (await call(core, conn, 'audit.list', {})).entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.recover', 'auth.recoverFailed']));
    core.close();
  });

  it('clears a lockout, refuses staff, wrong keys and unknown emails alike, and checks the new password', async () => {
    const { core } = makeCore();
    const { conn: owner, session, businessId } = await signUp(core);
    await call(core, owner, 'users.create', { name: 'Sam', email: 'sam@example.com', role: 'staff', password: 'password one' });
    for (let i = 0; i < 5; i++) await callError(core, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: 'wrong password' });
    expect(await callError(core, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD })).toMatchObject({
      message: expect.stringMatching(/Too many failed attempts/),
    });

    const recover = (input: { email?: string; recoveryKey?: string; newPassword?: string }) =>
      callError(core, connect(), 'auth.recover', { businessId, email: 'olivia@example.com', recoveryKey: session.recoveryKey, newPassword: NEW_PASSWORD, ...input });
    const wrongKey = await recover({ recoveryKey: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' });
    expect(wrongKey).toMatchObject({ code: 'unauthenticated', field: 'recoveryKey' });
    expect(await recover({ email: 'nobody@example.com' })).toEqual(wrongKey);
    expect(await recover({ email: 'sam@example.com' })).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Only an owner/) });
    expect(await recover({ newPassword: 'short' })).toMatchObject({ code: 'validation', field: 'newPassword' });
    expect(await recover({ recoveryKey: '' })).toMatchObject({ code: 'validation', field: 'recoveryKey' });

    // The right key lifts the lockout along with the forgotten password.
    await call(core, connect(), 'auth.recover', { businessId, email: 'olivia@example.com', recoveryKey: session.recoveryKey, newPassword: NEW_PASSWORD });
    await call(core, connect(), 'auth.login', { businessId, email: 'olivia@example.com', password: NEW_PASSWORD });
    core.close();
  });

  it('an owner makes a new key with their password; the old key stops working; staff cannot see or make one', async () => {
    const { core } = makeCore();
    const { conn: owner, session, businessId } = await signUp(core);
    expect(await call(core, owner, 'auth.recoveryKeyInfo', {})).toEqual({ createdAt: '2026-03-01T12:00:00.000Z', createdBy: 'Olivia Owner', unlocksBooks: true });
    expect(await callError(core, owner, 'auth.newRecoveryKey', { currentPassword: 'not it' })).toMatchObject({ code: 'validation', field: 'currentPassword' });
    const { recoveryKey } = await call(core, owner, 'auth.newRecoveryKey', { currentPassword: OWNER_PASSWORD });
    expect(recoveryKey).not.toBe(session.recoveryKey);
    const attempt = (key: string) => core.dispatch(connect(), 'auth.recover', { businessId, email: 'olivia@example.com', recoveryKey: key, newPassword: NEW_PASSWORD });
    expect(await attempt(session.recoveryKey)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    await call(core, owner, 'users.create', { name: 'Sam', email: 'sam@example.com', role: 'staff', password: 'password one' });
    const staff = connect();
    await call(core, staff, 'auth.login', { businessId, email: 'sam@example.com', password: 'password one' });
    expect(await callError(core, staff, 'auth.recoveryKeyInfo', {})).toMatchObject({ code: 'forbidden' });
    expect(await callError(core, staff, 'auth.newRecoveryKey', { currentPassword: 'password one' })).toMatchObject({ code: 'forbidden' });
    expect(await attempt(recoveryKey)).toMatchObject({ ok: true });
    core.close();
  });

  it('keys read off paper: O is 0, I and L are 1, dashes and spaces do not matter', () => {
    expect(normalizeRecoveryKey('o1il-2345 abcd')).toBe('0111' + '2345ABCD');
  });
});
