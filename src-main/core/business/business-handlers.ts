import type { CurrencyCode } from '@shared/domain/money';
import { defineHandlers } from '../define-handlers';
import { syncServerOfFile } from '../sync';
import { auditedBusiness, createBusiness, getBusinessRow, sessionDto, toBusinessDto, updateBusiness } from './business-service';

export const businessHandlers = defineHandlers({
  'business.list': ({ core }) =>
    core.businesses.registry.list().map((b) => ({
      id: b.id,
      name: b.name,
      currency: b.currency as CurrencyCode,
      timezone: b.timezone,
      syncServer: syncServerOfFile(core.businesses.registry.fileFor(b.id), core.businesses.openOptions().nativeBinding),
    })),

  'business.signUp': ({ core, conn }, input) => {
    const { db, ownerId, recoveryKey } = createBusiness(core.businesses, core.clock, input);
    core.startSession(conn, db.businessId, ownerId);
    core.prefs.set('lastBusinessId', db.businessId);
    return { ...sessionDto(db, ownerId), recoveryKey };
  },

  'business.get': (ctx) => toBusinessDto(getBusinessRow(ctx.db.orm)),

  // Written by the server through sync; shown so the business can paste it into its product.
  'business.licensePublicKey': (ctx) => ({ publicKey: getBusinessRow(ctx.db.orm).licensePublicKey }),

  'business.update': (ctx, input) => {
    const { before, after } = updateBusiness(ctx.db.orm, input, ctx.now.toISOString());
    ctx.audit({ action: 'business.update', entity: 'business', entityId: after.id, before: auditedBusiness(before), after: auditedBusiness(after) });
    ctx.changed('business');
    return toBusinessDto(after);
  },
});
