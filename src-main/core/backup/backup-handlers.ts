import type { CurrencyCode } from '@shared/domain/money';
import { dateInTimeZone } from '@shared/domain/dates';
import { burnPasswordCheck, verifyPassword } from '../auth/passwords';
import { getBusinessRow } from '../business/business-service';
import { exportFileName } from '../customers/customer-export';
import { defineHandlers } from '../define-handlers';
import { AppError, forbidden, validation } from '../errors';
import { newId } from '../ids';
import { exportAccounts } from './accounts-export';
import { createBackup, restoreBackup, type RestoreCandidate } from './backup-service';

const OWNERS_ONLY = 'Only an owner of the business in the backup can restore it';
// A field error, not `unauthenticated`: these are the backup's credentials, not the caller's session
// (a logged-in window treats `unauthenticated` as its session gone).
const WRONG = 'Wrong email or password for this backup';

export const backupHandlers = defineHandlers({
  'backup.create': async (ctx, input) => {
    const business = getBusinessRow(ctx.db.orm);
    const name = exportFileName(business.name, 'backup', dateInTimeZone(ctx.now, business.timezone), 'recurra');
    return createBackup(ctx.db, ctx.exports, name, input.passphrase);
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
  'backup.restore': async ({ core, conn }, input) => {
    if (!conn.imports) throw new AppError('conflict', 'Restoring a backup is not available here');
    // Who may restore is settled before the file is picked where it can be: a logged-out caller
    // without an owner's credentials, or a logged-in non-owner, is refused at once.
    const credentials = input.email || input.password ? { email: input.email ?? '', password: input.password ?? '' } : null;
    if (credentials && !credentials.email) throw validation('email', "Enter the email of an owner in the backup");
    if (credentials && !credentials.password) throw validation('password', 'Enter the password of that owner in the backup');
    const session = credentials ? null : core.resolveSession(conn);
    if (!credentials) {
      if (!session) {
        throw new AppError('unauthenticated', 'Log in as an owner of this business, or give the email and password of an owner in the backup', 'email');
      }
      if (session.user.role !== 'owner') throw forbidden(OWNERS_ONLY);
    }
    const picked = await conn.imports.open('backup');
    if (!picked) return { business: null };
    // The new business's data key is in the secret store before its file exists (encrypted at once).
    const id = newId(core.clock.now().getTime());
    await core.businesses.createKey(id);
    let restored: ReturnType<typeof restoreBackup>;
    try {
      restored = restoreBackup(
        core.businesses,
        core.paths,
        picked.path,
        (candidate) => {
          if (credentials) checkOwnerInFile(candidate.db, credentials);
          else if (candidate.businessId !== session!.db.businessId) {
            // Not `unauthenticated`: the caller's own session is fine, and a window treats that code as logged out.
            throw validation('email', 'This backup is of another business: give the email and password of one of its owners');
          }
        },
        undefined,
        { passphrase: input.passphrase, id },
      );
    } catch (error) {
      await core.businesses.forgetKey(id);
      throw error;
    }
    return { business: { id: restored.id, name: restored.name, currency: restored.currency as CurrencyCode, timezone: restored.timezone } };
  },
});

/** The credentials must be an active owner's in the backup itself (argon2 against the hash in the file). */
function checkOwnerInFile(db: RestoreCandidate['db'], credentials: { email: string; password: string }): void {
  const user = db
    .prepare('SELECT role, active, password_hash AS hash FROM users WHERE email_normalized = ?')
    .get(credentials.email.toLowerCase()) as { role: string; active: number; hash: string } | undefined;
  if (!user) {
    burnPasswordCheck(credentials.password);
    throw validation('password', WRONG);
  }
  if (!verifyPassword(user.hash, credentials.password)) throw validation('password', WRONG);
  if (user.role !== 'owner' || !user.active) throw forbidden(OWNERS_ONLY);
}
