import { sessionDto } from '../business/business-service';
import { defineHandlers } from '../define-handlers';
import { conflict } from '../errors';
import { authenticate, checkCurrentPassword, recordLogin, setPassword } from './auth-service';
import { recoverWithKey, recoveryKeyInfo, replaceRecoveryKey } from './recovery-key';
import { disableTwoFactor } from './two-factor-disable';
import { confirmTwoFactor, setTwoFactorRequired, startTwoFactorSetup, twoFactorStatus } from './two-factor';

export const authHandlers = defineHandlers({
  'auth.login': ({ core, conn }, input) => {
    const db = core.businesses.get(input.businessId);
    const { actor, at, recorded } = authenticate(db, core.clock, input, { recordSuccess: !conn.deferLoginRecord });
    core.startSession(conn, db.businessId, actor.userId);
    // A CLI run that only reads writes nothing; its first write records the login with it.
    conn.pendingLoginRecord = recorded ? undefined : (into) => {
      if (into === db) recordLogin(db, actor, at);
    };
    core.prefs.set('lastBusinessId', db.businessId);
    return sessionDto(db, actor.userId);
  },

  'auth.logout': ({ core, conn }) => {
    core.endSession(conn);
    return { ok: true as const };
  },

  'auth.session': ({ core, conn }) => {
    const resolved = core.resolveSession(conn);
    return resolved ? sessionDto(resolved.db, resolved.user.id) : null;
  },

  'auth.recover': ({ core, conn }, input) => {
    const db = core.businesses.get(input.businessId);
    const { userId, recoveryKey } = recoverWithKey(db, core.clock, input);
    // Whoever was logged in as this owner (with the forgotten password) is logged out.
    core.endSessionsOfUser(db.businessId, userId, 'Your password was reset with the recovery key. Log in with the new one.');
    core.startSession(conn, db.businessId, userId);
    core.prefs.set('lastBusinessId', db.businessId);
    return { ...sessionDto(db, userId), recoveryKey };
  },

  'auth.recoveryKeyInfo': (ctx) => recoveryKeyInfo(ctx.db),

  'auth.newRecoveryKey': (ctx, input) => {
    checkCurrentPassword(ctx.db, ctx.user.id, input.currentPassword);
    const recoveryKey = replaceRecoveryKey(ctx.db, ctx.user.name, ctx.now.toISOString());
    ctx.audit({ action: 'auth.newRecoveryKey', entity: 'business', entityId: ctx.db.businessId });
    return { recoveryKey };
  },

  'auth.changePassword': (ctx, input) => {
    checkCurrentPassword(ctx.db, ctx.user.id, input.currentPassword);
    setPassword(ctx.db, ctx.user.id, input.newPassword, ctx.now.toISOString());
    ctx.audit({ action: 'auth.changePassword', entity: 'user', entityId: ctx.user.id });
    ctx.endSessionsOfUser(ctx.user.id, 'Your password was changed. Log in with the new one.');
    return { ok: true as const };
  },

  'auth.twoFactorStatus': (ctx) => twoFactorStatus(ctx.db, ctx.user.id),

  'auth.twoFactorSetup': (ctx) => {
    const business = sessionDto(ctx.db, ctx.user.id).business;
    const setup = startTwoFactorSetup(ctx.db, ctx.user.id, business.name, ctx.now.toISOString());
    // The secret is never logged: the row says only that a set-up began.
    ctx.audit({ action: 'auth.twoFactorSetupStarted', entity: 'user', entityId: ctx.user.id });
    return setup;
  },

  'auth.twoFactorConfirm': (ctx, input) => {
    const { recoveryCodes } = confirmTwoFactor(ctx.db, ctx.user.id, input.code, ctx.now);
    ctx.audit({ action: 'auth.twoFactorOn', entity: 'user', entityId: ctx.user.id, after: { twoFactor: true } });
    // Not 'auth': a window held at the required set-up must not leave it (on a refreshed session) before the
    // recovery codes are read; it refreshes its session when they are put away.
    ctx.changed('users');
    ctx.endSessionsOfUser(ctx.user.id, 'Two-factor login was turned on for your account. Log in again with a code.');
    return { enabled: true as const, recoveryCodes };
  },

  'auth.twoFactorDisable': ({ core, conn }, input) => disableTwoFactor(core, conn, input.code),

  'auth.setTwoFactorRequired': (ctx, input) => {
    if (input.required && !twoFactorStatus(ctx.db, ctx.user.id).enabled) {
      // Otherwise the owner's own next call would be refused until they set it up.
      throw conflict('Turn on two-factor login for yourself first (Settings > Account), then require it for everyone.', 'required');
    }
    const { before, after } = setTwoFactorRequired(ctx.db, input.required, ctx.now.toISOString());
    ctx.audit({
      action: 'auth.twoFactorRequirement',
      entity: 'business',
      entityId: ctx.db.businessId,
      before: { requiredForEveryone: before },
      after: { requiredForEveryone: after },
    });
    ctx.changed('users', 'auth');
    return { requiredForEveryone: after };
  },
});
