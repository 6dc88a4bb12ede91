import type { CurrencyCode } from '@shared/domain/money';
import { dateInTimeZone } from '@shared/domain/dates';
import { getBusinessRow } from '../business/business-service';
import { exportFileName } from '../customers/customer-export';
import { defineHandlers } from '../define-handlers';
import { AppError } from '../errors';
import { exportAccounts } from './accounts-export';
import { createBackup, restoreBackup } from './backup-service';

export const backupHandlers = defineHandlers({
  'backup.create': async (ctx) => {
    const business = getBusinessRow(ctx.db.orm);
    const name = exportFileName(business.name, 'backup', dateInTimeZone(ctx.now, business.timezone), 'recurra');
    return createBackup(ctx.db, ctx.exports, name);
  },
  'backup.exportAccounts': async (ctx, input) => {
    const business = getBusinessRow(ctx.db.orm);
    const today = dateInTimeZone(ctx.now, business.timezone);
    return exportAccounts(ctx.db, ctx.exports, {
      fileName: exportFileName(business.name, 'accounts', today, 'zip'),
      today,
      timezone: business.timezone,
      currency: business.currency as CurrencyCode,
      bom: input.bom,
    });
  },
  'backup.restore': async ({ core, conn }) => {
    if (!conn.imports) throw new AppError('conflict', 'Restoring a backup is not available here');
    const picked = await conn.imports.open('backup');
    if (!picked) return { business: null };
    const restored = restoreBackup(core.businesses, core.paths, picked.path);
    return { business: { id: restored.id, name: restored.name, currency: restored.currency as CurrencyCode, timezone: restored.timezone } };
  },
});
