import { setPassword } from '../auth/auth-service';
import { defineHandlers } from '../define-handlers';
import { isTwoFactorRequired } from '../auth/two-factor';
import type { BusinessDb } from '../db/open';
import { conflict } from '../errors';
import { createUser, deleteUser, getUser, listUsers, setActive, toUserDto, updateUser, type UserRow } from './users-service';

const userDto = (ctx: { db: BusinessDb; now: Date }, row: UserRow) => toUserDto(row, ctx.now.getTime(), isTwoFactorRequired(ctx.db));

export const usersHandlers = defineHandlers({
  'users.list': (ctx) => {
    const required = isTwoFactorRequired(ctx.db);
    return listUsers(ctx.db.orm).map((u) => toUserDto(u, ctx.now.getTime(), required));
  },

  'users.create': (ctx, input) => {
    const row = createUser(ctx.db.orm, input, ctx.now.toISOString());
    ctx.audit({ action: 'users.create', entity: 'user', entityId: row.id, after: row });
    ctx.changed('users');
    return userDto(ctx, row);
  },

  'users.update': (ctx, input) => {
    const { before, after } = updateUser(ctx.db.orm, input.id, input, ctx.now.toISOString());
    ctx.audit({ action: 'users.update', entity: 'user', entityId: after.id, before, after });
    ctx.changed('users');
    return userDto(ctx, after);
  },

  'users.resetPassword': (ctx, input) => {
    getUser(ctx.db.orm, input.id);
    setPassword(ctx.db, input.id, input.password, ctx.now.toISOString());
    ctx.audit({ action: 'users.resetPassword', entity: 'user', entityId: input.id });
    ctx.endSessionsOfUser(input.id, 'Your password was reset by the owner. Log in with the new one.');
    ctx.changed('users');
    return userDto(ctx, getUser(ctx.db.orm, input.id));
  },

  'users.deactivate': (ctx, input) => {
    if (input.id === ctx.user.id) throw conflict('You cannot deactivate yourself', 'id');
    const { before, after } = setActive(ctx.db.orm, input.id, false, ctx.now.toISOString());
    ctx.audit({ action: 'users.deactivate', entity: 'user', entityId: after.id, before, after });
    ctx.endSessionsOfUser(input.id, 'Your account was deactivated. Ask the owner of the business.');
    ctx.changed('users');
    return userDto(ctx, after);
  },

  'users.reactivate': (ctx, input) => {
    const { before, after } = setActive(ctx.db.orm, input.id, true, ctx.now.toISOString());
    ctx.audit({ action: 'users.reactivate', entity: 'user', entityId: after.id, before, after });
    ctx.changed('users');
    return userDto(ctx, after);
  },

  'users.delete': (ctx, input) => {
    if (input.id === ctx.user.id) throw conflict('You cannot delete yourself', 'id');
    const before = deleteUser(ctx.db.orm, input.id);
    ctx.audit({ action: 'users.delete', entity: 'user', entityId: input.id, before });
    ctx.endSessionsOfUser(input.id, 'Your account was removed from this business.');
    ctx.changed('users');
    return { deleted: input.id };
  },
});
