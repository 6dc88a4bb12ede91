import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call, callError, connect, FakeClock, makeCore, OWNER_PASSWORD, signUp } from '../../support/core';

describe('sign-up, login and logout', () => {
  it('signs up a business with its owner, logged in', async () => {
    const { core, dataDir } = makeCore();
    const { conn, session, businessId } = await signUp(core);
    expect(session.user).toMatchObject({ email: 'olivia@example.com', role: 'owner', name: 'Olivia Owner' });
    expect(session.business).toMatchObject({ id: businessId, name: 'Sunrise Yoga', currency: 'USD' });
    const { recoveryKey, ...loggedIn } = session;
    expect(recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await call(core, conn, 'auth.session', {})).toEqual(loggedIn);
    expect(await call(core, connect(), 'business.list', {})).toEqual([
      { id: businessId, name: 'Sunrise Yoga', nameKnown: true, currency: 'USD', timezone: 'America/New_York', syncServer: null, locked: false, recoverySetUp: true },
    ]);
    const file = `${dataDir}/businesses/${businessId}.sqlite`;
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    core.close();
  });

  it('logs in with the right password and refuses a wrong one with a clear message', async () => {
    const { core } = makeCore();
    const { businessId } = await signUp(core);
    const conn = connect();
    const wrong = await callError(core, conn, 'auth.login', { businessId, email: 'olivia@example.com', password: 'nope nope' });
    expect(wrong).toEqual({ code: 'unauthenticated', field: 'password', message: 'Wrong email or password' });
    const unknown = await callError(core, conn, 'auth.login', { businessId, email: 'who@example.com', password: 'nope nope' });
    expect(unknown).toEqual(wrong);
    expect(await call(core, conn, 'auth.session', {})).toBeNull();

    const session = await call(core, conn, 'auth.login', { businessId, email: 'OLIVIA@example.com', password: OWNER_PASSWORD });
    expect(session.user.role).toBe('owner');
    expect((await call(core, conn, 'business.get', {})).name).toBe('Sunrise Yoga');

    await call(core, conn, 'auth.logout', {});
    expect(await callError(core, conn, 'business.get', {})).toMatchObject({ code: 'unauthenticated' });
    core.close();
  });

  it('locks an account after five failures, and the lock lifts after 15 minutes', async () => {
    const clock = new FakeClock();
    const { core } = makeCore({ clock });
    const { businessId } = await signUp(core);
    const conn = connect();
    const attempt = (password: string) => core.dispatch(conn, 'auth.login', { businessId, email: 'olivia@example.com', password });
    for (let i = 0; i < 4; i++) expect((await attempt('bad password')).ok).toBe(false);
    const fifth = await attempt('bad password');
    expect(fifth).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringContaining('Too many failed attempts') } });
    // Even the right password is refused while locked.
    expect(await attempt(OWNER_PASSWORD)).toMatchObject({ ok: false, error: { message: expect.stringContaining('Try again in 15 minutes') } });
    clock.advance(15 * 60 * 1000 + 1);
    expect(await attempt(OWNER_PASSWORD)).toMatchObject({ ok: true });
    core.close();
  });

  it('changes the password: the old one stops working', async () => {
    const { core } = makeCore();
    const { conn, businessId } = await signUp(core);
    const bad = await callError(core, conn, 'auth.changePassword', { currentPassword: 'not it at all', newPassword: 'new password 1' });
    expect(bad).toMatchObject({ code: 'validation', field: 'currentPassword' });
    const short = await callError(core, conn, 'auth.changePassword', { currentPassword: OWNER_PASSWORD, newPassword: 'short' });
    expect(short).toMatchObject({ code: 'validation', field: 'newPassword' });
    await call(core, conn, 'auth.changePassword', { currentPassword: OWNER_PASSWORD, newPassword: 'new password 1' });
    const other = connect();
    expect((await core.dispatch(other, 'auth.login', { businessId, email: 'olivia@example.com', password: OWNER_PASSWORD })).ok).toBe(false);
    expect((await core.dispatch(other, 'auth.login', { businessId, email: 'olivia@example.com', password: 'new password 1' })).ok).toBe(true);
    core.close();
  });

  it('refuses sign-up input naming the field, and leaves no file behind', async () => {
    const { core, dataDir } = makeCore();
    const conn = connect();
    const base = {
      businessName: 'X',
      currency: 'USD',
      timezone: 'Europe/Paris',
      ownerName: 'Y',
      ownerEmail: 'y@example.com',
      password: 'long enough',
    };
    expect(await callError(core, conn, 'business.signUp', { ...base, currency: 'XXX' })).toMatchObject({ code: 'validation', field: 'currency' });
    expect(await callError(core, conn, 'business.signUp', { ...base, timezone: 'Mars/Olympus' })).toMatchObject({ field: 'timezone' });
    expect(await callError(core, conn, 'business.signUp', { ...base, ownerEmail: 'nope' })).toMatchObject({ field: 'ownerEmail' });
    expect(await callError(core, conn, 'business.signUp', { ...base, businessName: '  ' })).toMatchObject({ field: 'businessName' });
    expect(await callError(core, conn, 'business.signUp', { ...base, password: 'short' })).toMatchObject({ field: 'password' });
    expect(fs.readdirSync(`${dataDir}/businesses`)).toEqual([]);
    expect(await call(core, conn, 'business.list', {})).toEqual([]);
    core.close();
  });
});
