import type { CurrencyCode } from '@shared/domain/money';
import { normalizeRecoveryKey } from '../auth/recovery-key';
import { defineHandlers } from '../define-handlers';
import { newId } from '../ids';
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

  'business.signUp': async ({ core, conn }, input) => {
    // The file is created encrypted: its data key is in the secret store before the file exists.
    const businessId = newId(core.clock.now().getTime());
    await core.businesses.createKey(businessId);
    let made: ReturnType<typeof createBusiness>;
    try {
      made = createBusiness(core.businesses, core.clock, input, businessId);
    } catch (error) {
      await core.businesses.forgetKey(businessId);
      throw error;
    }
    const { db, ownerId, recoveryKey } = made;
    core.startSession(conn, db.businessId, ownerId);
    core.prefs.set('lastBusinessId', db.businessId);
    return { ...sessionDto(db, ownerId), recoveryKey };
  },

  'business.unlock': async ({ core }, input) => {
    await core.businesses.unlockWithRecoveryKey(input.businessId, normalizeRecoveryKey(input.recoveryKey), core.clock.now());
    return { unlocked: true as const };
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
