import { describe, expect, it } from 'vitest';
import type { Role } from '@shared/domain/roles';
import { call, callError, connect, makeCore, signUp } from '../../support/core';
import type { Core } from '../../../src-main/core/core';

async function userSession(core: Core, ownerConn: ReturnType<typeof connect>, businessId: string, role: Role, email: string) {
  const user = await call(core, ownerConn, 'users.create', { name: `${role} person`, email, role, password: 'their password' });
  const conn = connect();
  await call(core, conn, 'auth.login', { businessId, email, password: 'their password' });
  return { user, conn };
}

describe('roles, enforced in main', () => {
  it('staff cannot manage users or settings; viewer reads only', async () => {
    const { core } = makeCore();
    const { conn: owner, businessId } = await signUp(core);
    const staff = await userSession(core, owner as ReturnType<typeof connect>, businessId, 'staff', 'staff@example.com');
    const viewer = await userSession(core, owner as ReturnType<typeof connect>, businessId, 'viewer', 'viewer@example.com');

    for (const who of [staff, viewer]) {
      expect((await call(core, who.conn, 'business.get', {})).name).toBe('Sunrise Yoga');
      expect(await callError(core, who.conn, 'users.list', {})).toMatchObject({ code: 'forbidden' });
      expect(await callError(core, who.conn, 'users.delete', { id: staff.user.id })).toMatchObject({ code: 'forbidden' });
      expect(await callError(core, who.conn, 'users.create', { name: 'X', email: 'x@example.com', role: 'owner', password: 'xxxxxxxxxx' })).toMatchObject({ code: 'forbidden' });
      expect(await callError(core, who.conn, 'business.update', { taxRate: '5' })).toMatchObject({ code: 'forbidden' });
      expect(await callError(core, who.conn, 'audit.list', {})).toMatchObject({ code: 'forbidden' });
      // Everyone may change their own password.
      await call(core, who.conn, 'auth.changePassword', { currentPassword: 'their password', newPassword: 'a new password' });
    }
    // Forbidden is checked before the input, so a staff member learns nothing from bad input either.
    expect(await callError(core, staff.conn, 'users.delete', { id: 42 } as never)).toMatchObject({ code: 'forbidden' });
    core.close();
  });

  it('a deactivated user is logged out at once and cannot log back in; reactivation restores access', async () => {
    const { core } = makeCore();
    const { conn: owner, businessId } = await signUp(core);
    const staff = await userSession(core, owner as ReturnType<typeof connect>, businessId, 'staff', 'staff@example.com');
    await call(core, owner, 'users.deactivate', { id: staff.user.id });
    expect(staff.conn.events).toContainEqual({ event: 'session-ended', payload: { reason: expect.stringContaining('deactivated') } });
    expect(await callError(core, staff.conn, 'business.get', {})).toMatchObject({ code: 'unauthenticated', message: expect.stringContaining('deactivated') });
    expect(await callError(core, connect(), 'auth.login', { businessId, email: 'staff@example.com', password: 'their password' })).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringContaining('deactivated'),
    });
    await call(core, owner, 'users.reactivate', { id: staff.user.id });
    await call(core, connect(), 'auth.login', { businessId, email: 'staff@example.com', password: 'their password' });
    core.close();
  });

  it('a role change applies to the next call of an open session', async () => {
    const { core } = makeCore();
    const { conn: owner, businessId } = await signUp(core);
    const staff = await userSession(core, owner as ReturnType<typeof connect>, businessId, 'staff', 'staff@example.com');
    expect(await callError(core, staff.conn, 'users.list', {})).toMatchObject({ code: 'forbidden' });
    await call(core, owner, 'users.update', { id: staff.user.id, role: 'owner' });
    expect((await call(core, staff.conn, 'users.list', {})).length).toBe(2);
    core.close();
  });

  it('the owner resets a password (ending that user’s sessions), and the business always keeps an active owner', async () => {
    const { core } = makeCore();
    const { conn: owner, businessId, session } = await signUp(core);
    const staff = await userSession(core, owner as ReturnType<typeof connect>, businessId, 'staff', 'staff@example.com');
    await call(core, owner, 'users.resetPassword', { id: staff.user.id, password: 'reset by owner' });
    expect(await callError(core, staff.conn, 'business.get', {})).toMatchObject({ code: 'unauthenticated' });
    await call(core, connect(), 'auth.login', { businessId, email: 'staff@example.com', password: 'reset by owner' });

    expect(await callError(core, owner, 'users.deactivate', { id: session.user.id })).toMatchObject({ code: 'conflict', field: 'id' });
    expect(await callError(core, owner, 'users.delete', { id: session.user.id })).toMatchObject({ code: 'conflict' });
    expect(await callError(core, owner, 'users.update', { id: session.user.id, role: 'staff' })).toMatchObject({ code: 'conflict', field: 'role' });
    expect(await callError(core, owner, 'users.create', { name: 'Dup', email: 'STAFF@example.com', role: 'viewer', password: 'long enough' })).toMatchObject({
      code: 'conflict',
      field: 'email',
    });
    await call(core, owner, 'users.delete', { id: staff.user.id });
    expect((await call(core, owner, 'users.list', {})).length).toBe(1);
    core.close();
  });

  it('every write leaves an audit row with who, what and before/after, and no password hash', async () => {
    const { core } = makeCore();
    const { conn: owner, session } = await signUp(core);
    await call(core, owner, 'business.update', { taxRate: '8.25', invoicePrefix: 'sy', dunningDays: [2, 4] });
    const created = await call(core, owner, 'users.create', { name: 'Sam', email: 'sam@example.com', role: 'staff', password: 'sam password' });
    const { entries } = await call(core, owner, 'audit.list', {});
    const actions = entries.map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['users.create', 'business.update']);
    expect(actions).toContain('business.create');
    const update = entries.find((e) => e.action === 'business.update')!;
    expect(update).toMatchObject({ userId: session.user.id, userEmail: 'olivia@example.com', entity: 'business' });
    expect(update.before).toMatchObject({ taxRatePpm: 0, invoicePrefix: 'INV' });
    expect(update.after).toMatchObject({ taxRatePpm: 82500, invoicePrefix: 'SY', dunningDays: '[2,4]' });
    expect(JSON.stringify(entries)).not.toMatch(/argon2|passwordHash/);
    expect(entries.find((e) => e.entityId === created.id)?.after).toMatchObject({ email: 'sam@example.com' });
    const business = await call(core, owner, 'business.get', {});
    expect(business).toMatchObject({ taxRate: '8.25', invoicePrefix: 'SY', dunningDays: [2, 4] });
    core.close();
  });
});
