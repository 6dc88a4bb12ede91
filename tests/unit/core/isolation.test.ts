import { describe, expect, it } from 'vitest';
import { call, callError, connect, makeCore, OWNER_PASSWORD, signUp } from '../../support/core';
import { fingerprint } from '../../support/fingerprint';

describe('two businesses on one PC', () => {
  it('never mix: a session of one can neither read nor write the other', async () => {
    const { core } = makeCore();
    const a = await signUp(core, { businessName: 'Alpha Gym', ownerEmail: 'alpha@example.com' });
    const b = await signUp(core, { businessName: 'Beta Tutoring', ownerEmail: 'beta@example.com' });
    const bStaff = await call(core, b.conn, 'users.create', { name: 'Bob', email: 'bob@example.com', role: 'staff', password: 'bob password' });
    const bFile = core.businesses.get(b.businessId).sqlite;
    const bBefore = fingerprint(bFile);

    // Reads see only their own business.
    expect((await call(core, a.conn, 'business.get', {})).name).toBe('Alpha Gym');
    expect((await call(core, a.conn, 'users.list', {})).map((u) => u.email)).toEqual(['alpha@example.com']);
    expect((await call(core, a.conn, 'audit.list', {})).entries.every((e) => !JSON.stringify(e).includes('beta'))).toBe(true);

    // B's ids mean nothing in A's session.
    expect(await callError(core, a.conn, 'users.update', { id: bStaff.id, name: 'Hacked' })).toMatchObject({ code: 'not_found' });
    expect(await callError(core, a.conn, 'users.delete', { id: bStaff.id })).toMatchObject({ code: 'not_found' });
    expect(await callError(core, a.conn, 'users.resetPassword', { id: bStaff.id, password: 'owned you now' })).toMatchObject({ code: 'not_found' });

    // A business id in the payload cannot redirect a call: inputs have no such field.
    expect(await callError(core, a.conn, 'business.update', { businessId: b.businessId, name: 'X' } as never)).toMatchObject({
      code: 'validation',
      field: 'businessId',
    });
    // A's owner cannot log into B with A's credentials.
    expect(await callError(core, connect(), 'auth.login', { businessId: b.businessId, email: 'alpha@example.com', password: OWNER_PASSWORD })).toMatchObject({
      code: 'unauthenticated',
    });

    expect(fingerprint(bFile)).toBe(bBefore);
    core.close();
  });

  it('keep each business in its own file, listed in the registry, which follows the folder', async () => {
    const { core, dataDir } = makeCore();
    const a = await signUp(core, { businessName: 'Alpha' });
    const b = await signUp(core, { businessName: 'Beta' });
    expect((await call(core, connect(), 'business.list', {})).map((x) => x.name)).toEqual(['Alpha', 'Beta']);
    expect(core.businesses.registry.get(a.businessId)?.file).not.toBe(core.businesses.registry.get(b.businessId)?.file);

    // Renaming shows in the picker.
    await call(core, a.conn, 'business.update', { name: 'Aardvark Cleaning' });
    expect((await call(core, connect(), 'business.list', {})).map((x) => x.name)).toEqual(['Aardvark Cleaning', 'Beta']);
    core.close();

    // A fresh process on the same folder (the CLI beside the app) sees the same businesses.
    const again = makeCore({ dataDir }).core;
    expect((await call(again, connect(), 'business.list', {})).map((x) => x.id).sort()).toEqual([a.businessId, b.businessId].sort());
    again.close();
  });

  it('a connection that logs into another business leaves the first one', async () => {
    const { core } = makeCore();
    const a = await signUp(core, { businessName: 'Alpha', ownerEmail: 'same@example.com' });
    const b = await signUp(core, { businessName: 'Beta', ownerEmail: 'same@example.com' });
    await call(core, a.conn, 'auth.login', { businessId: b.businessId, email: 'same@example.com', password: OWNER_PASSWORD });
    expect((await call(core, a.conn, 'business.get', {})).id).toBe(b.businessId);
    expect((await call(core, a.conn, 'users.list', {})).length).toBe(1);
    expect(a.businessId).not.toBe(b.businessId);
    core.close();
  });
});
