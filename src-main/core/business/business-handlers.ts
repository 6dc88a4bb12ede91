import type { CurrencyCode } from '@shared/domain/money';
import { normalizeRecoveryKey, setUpRecoveryWrap } from '../auth/recovery-key';
import { hasRecoveryWrap, isLocked } from '../db/keyring';
import { defineHandlers } from '../define-handlers';
import { newId } from '../ids';
import { syncServerOfFile } from '../sync';
import { auditedBusiness, createBusiness, getBusinessRow, sessionDto, toBusinessDto, updateBusiness } from './business-service';

export const businessHandlers = defineHandlers({
  'business.list': ({ core }) => {
    const binding = core.businesses.openOptions().nativeBinding;
    const listed = core.businesses.registry.list().map((b) => ({
      id: b.id,
      name: b.name,
      currency: b.currency as CurrencyCode | null,
      timezone: b.timezone as string | null,
      nameKnown: true,
      syncServer: syncServerOfFile(b.file, binding),
      locked: isLocked(b.file, binding),
      recoverySetUp: hasRecoveryWrap(b.file),
    }));
    // A locked file no registry row lists (a data folder copied without registry.sqlite, a business file
    // copied in as my-books.sqlite): shown by its id, or its file name without .sqlite, so the owner can
    // unlock it with the recovery key; its name is known once it is.
    const unknown = core.businesses.registry
      .unlisted()
      .filter((u) => isLocked(u.file, binding))
      .map((u) => ({ id: u.id, name: u.id, currency: null, timezone: null, nameKnown: false, syncServer: null, locked: true, recoverySetUp: hasRecoveryWrap(u.file) }));
    return [...listed, ...unknown];
  },

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
    const typed = normalizeRecoveryKey(input.recoveryKey);
    const { outcome, businessId } = await core.businesses.unlockWithRecoveryKey(input.businessId, typed, core.clock.now());
    // Open already (upgraded, restored, joined): the key is checked, and where it does not yet unwrap
    // this file's data key it is set up to (recovery-key.ts).
    const recoverySetUp = outcome === 'open' && setUpRecoveryWrap(core.businesses.get(businessId), typed, core.clock.now());
    return { unlocked: true as const, businessId, keyRestored: outcome === 'restored', recoverySetUp };
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
