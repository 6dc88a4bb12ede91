import { sessionDto } from '../business/business-service';
import { defineHandlers } from '../define-handlers';
import { authenticate, checkCurrentPassword, recordLogin, setPassword } from './auth-service';
import { recoverWithKey, recoveryKeyInfo, replaceRecoveryKey } from './recovery-key';

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
});
