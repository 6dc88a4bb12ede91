import { sessionDto } from '../business/business-service';
import { defineHandlers } from '../define-handlers';
import { authenticate, checkCurrentPassword, setPassword } from './auth-service';

export const authHandlers = defineHandlers({
  'auth.login': ({ core, conn }, input) => {
    const db = core.businesses.get(input.businessId);
    const userId = authenticate(db, core.clock, input);
    core.startSession(conn, db.businessId, userId);
    core.prefs.set('lastBusinessId', db.businessId);
    return sessionDto(db, userId);
  },

  'auth.logout': ({ core, conn }) => {
    core.endSession(conn);
    return { ok: true as const };
  },

  'auth.session': ({ core, conn }) => {
    const resolved = core.resolveSession(conn);
    return resolved ? sessionDto(resolved.db, resolved.user.id) : null;
  },

  'auth.changePassword': (ctx, input) => {
    checkCurrentPassword(ctx.db, ctx.user.id, input.currentPassword);
    setPassword(ctx.db, ctx.user.id, input.newPassword, ctx.now.toISOString());
    ctx.audit({ action: 'auth.changePassword', entity: 'user', entityId: ctx.user.id });
    ctx.endSessionsOfUser(ctx.user.id, 'Your password was changed. Log in with the new one.');
    return { ok: true as const };
  },
});
