import { describe, expect, it } from 'vitest';
import { call, callError, connect, makeCore, signUp } from '../../support/core';

// The update address decides what code this PC installs (src-main/app/updates.ts):
// only an owner sets it, https only, and the business's audit log says who and what.

describe('prefs.setUpdateUrl', () => {
  it('an owner sets an https address; it is read back, applied by the updater through the PC prefs, and audited', async () => {
    const { core } = makeCore();
    const { conn, businessId } = await signUp(core);
    const prefs = await call(core, conn, 'prefs.setUpdateUrl', { updateUrl: 'https://updates.example.com/recurra' });
    expect(prefs.updateUrl).toBe('https://updates.example.com/recurra');
    expect(core.prefs.get('updateUrl')).toBe('https://updates.example.com/recurra');
    expect((await call(core, connect(), 'prefs.get', {})).updateUrl).toBe('https://updates.example.com/recurra');
    await call(core, conn, 'prefs.setUpdateUrl', { updateUrl: '' });
    const { entries } = await call(core, conn, 'audit.list', { entity: 'business', limit: 10 });
    const changes = entries.filter((e) => e.action === 'prefs.setUpdateUrl');
    expect(changes.map((e) => [e.before, e.after])).toEqual([
      [{ updateUrl: 'https://updates.example.com/recurra' }, { updateUrl: '' }],
      [{ updateUrl: '' }, { updateUrl: 'https://updates.example.com/recurra' }],
    ]);
    expect(changes.every((e) => e.entityId === businessId && e.userEmail === 'olivia@example.com')).toBe(true);
  });

  it('an http:// or malformed address is refused naming the field; nothing changes', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    expect(await callError(core, conn, 'prefs.setUpdateUrl', { updateUrl: 'http://updates.example.com/' })).toMatchObject({
      code: 'validation',
      field: 'updateUrl',
      message: 'The update address must start with https://',
    });
    expect(await callError(core, conn, 'prefs.setUpdateUrl', { updateUrl: 'updates' })).toMatchObject({ code: 'validation', field: 'updateUrl' });
    expect(core.prefs.get('updateUrl')).toBeUndefined();
  });

  it('nobody logged in, or staff, cannot set it; and the public prefs.set cannot reach it', async () => {
    const { core } = makeCore();
    const { conn, businessId } = await signUp(core);
    await call(core, conn, 'users.create', { name: 'Sam Staff', email: 'sam@example.com', role: 'staff', password: 'password one' });
    const staff = connect();
    await call(core, staff, 'auth.login', { businessId, email: 'sam@example.com', password: 'password one' });
    expect(await callError(core, staff, 'prefs.setUpdateUrl', { updateUrl: 'https://evil.example/' })).toMatchObject({ code: 'forbidden' });
    expect(await callError(core, connect(), 'prefs.setUpdateUrl', { updateUrl: 'https://evil.example/' })).toMatchObject({ code: 'unauthenticated' });
    expect(await callError(core, connect(), 'prefs.set', { updateUrl: 'https://evil.example/' })).toMatchObject({ code: 'validation', field: 'updateUrl' });
    expect(core.prefs.get('updateUrl')).toBeUndefined();
  });
});
