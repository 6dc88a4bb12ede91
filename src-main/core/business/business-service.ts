import { mustSetUpTwoFactor } from '../auth/two-factor';
import { count, eq } from 'drizzle-orm';
import { logoBytes, type Business, type BusinessUpdate, type SignUpInput } from '@shared/contract/business';
import type { Session } from '@shared/contract/auth';
import { replaceRecoveryKey } from '../auth/recovery-key';
import type { CurrencyCode } from '@shared/domain/money';
import { parsePercentToPpm, ppmToPercentString } from '@shared/domain/money';
import { writeAudit } from '../audit/audit';
import { hashPassword } from '../auth/passwords';
import type { Businesses } from '../businesses';
import type { BusinessDb, Orm } from '../db/open';
import { business, invoices, plans, users } from '../db/schema';
import { conflict, validation } from '../errors';
import { createHash } from 'node:crypto';
import { newId } from '../ids';
import type { Clock } from '../ports';

type BusinessRow = typeof business.$inferSelect;

export function toBusinessDto(row: BusinessRow): Business {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency as CurrencyCode,
    timezone: row.timezone,
    locale: row.locale,
    taxRate: ppmToPercentString(row.taxRatePpm),
    invoicePrefix: row.invoicePrefix,
    netTermsDays: row.netTermsDays,
    dunningDays: JSON.parse(row.dunningDays) as number[],
    billingIntervalMinutes: row.billingIntervalMinutes,
    createdAt: row.createdAt,
    addressLine1: row.addressLine1,
    addressLine2: row.addressLine2,
    city: row.city,
    region: row.region,
    postalCode: row.postalCode,
    country: row.country,
    email: row.email,
    phone: row.phone,
    taxId: row.taxId,
    invoiceFooter: row.invoiceFooter,
    logo: row.logo,
  };
}

export function getBusinessRow(orm: Orm): BusinessRow {
  const row = orm.select().from(business).get();
  if (!row) throw new Error('This business file has no business row');
  return row;
}

export function sessionDto(db: BusinessDb, userId: string): Session {
  const b = getBusinessRow(db.orm);
  const u = db.orm.select().from(users).where(eq(users.id, userId)).get();
  if (!u) throw new Error('session user vanished');
  return {
    business: { id: b.id, name: b.name, currency: b.currency, timezone: b.timezone, locale: b.locale },
    user: { id: u.id, name: u.name, email: u.email, role: u.role },
    twoFactor: { enabled: u.totpSecret !== null, setupRequired: mustSetUpTwoFactor(db, u.id) },
  };
}

/**
 * Sign-up: a new business file with its business row and owner, written in
 * one transaction, then listed. If anything fails, the file is removed.
 */
export function createBusiness(
  businesses: Businesses,
  clock: Clock,
  input: SignUpInput,
  /** Made by the caller when it stored the business's data key first (business.signUp). */
  businessId = newId(clock.now().getTime()),
): { db: BusinessDb; ownerId: string; recoveryKey: string } {
  const passwordHash = hashPassword(input.password);
  const now = clock.now();
  const at = now.toISOString();
  const ownerId = newId(now.getTime());
  const db = businesses.createFile(businessId);
  let recoveryKey = '';
  try {
    db.sqlite
      .transaction(() => {
        const row = {
          id: businessId,
          name: input.businessName,
          currency: input.currency,
          timezone: input.timezone,
          createdAt: at,
          updatedAt: at,
        };
        db.orm.insert(business).values(row).run();
        const owner = {
          id: ownerId,
          name: input.ownerName,
          email: input.ownerEmail,
          emailNormalized: input.ownerEmail.toLowerCase(),
          role: 'owner' as const,
          passwordHash,
          passwordChangedAt: at,
          lastLoginAt: at,
          createdAt: at,
          updatedAt: at,
        };
        db.orm.insert(users).values(owner).run();
        const actor = { userId: ownerId, userEmail: owner.email };
        writeAudit(db.orm, actor, now, { action: 'business.create', entity: 'business', entityId: businessId, after: row });
        writeAudit(db.orm, actor, now, { action: 'users.create', entity: 'user', entityId: ownerId, after: owner });
        recoveryKey = replaceRecoveryKey(db, input.ownerName, at);
      })
      .immediate();
    businesses.adopt(db, { name: input.businessName, currency: input.currency, timezone: input.timezone, createdAt: at });
  } catch (error) {
    businesses.discardFile(db);
    throw error;
  }
  return { db, ownerId, recoveryKey };
}

const DETAIL_FIELDS = ['addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country', 'email', 'phone', 'taxId', 'invoiceFooter'] as const;

/** The data URL's bytes really are the PNG or JPEG it says (its magic number), so pdfkit can draw it. */
function imageMatchesType(dataUrl: string): boolean {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1, dataUrl.indexOf(',') + 17), 'base64');
  if (dataUrl.startsWith('data:image/png')) return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The business row as the audit log keeps it: the logo as its size and a short hash, not its 200 KB of base64. */
export function auditedBusiness(row: BusinessRow): Record<string, unknown> {
  return { ...row, logo: row.logo === null ? null : `${row.logo.slice(5, row.logo.indexOf(';'))}, ${logoBytes(row.logo)} bytes, sha256 ${createHash('sha256').update(row.logo).digest('hex').slice(0, 12)}` };
}

export function updateBusiness(orm: Orm, input: BusinessUpdate, at: string): { before: BusinessRow; after: BusinessRow } {
  const before = getBusinessRow(orm);
  if (input.currency !== undefined && input.currency !== before.currency) {
    const used =
      (orm.select({ n: count() }).from(plans).get()?.n ?? 0) + (orm.select({ n: count() }).from(invoices).get()?.n ?? 0);
    if (used > 0) {
      throw conflict('The currency cannot change once the business has plans or invoices', 'currency');
    }
  }
  const changes: Partial<BusinessRow> = { updatedAt: at };
  if (input.name !== undefined) changes.name = input.name;
  if (input.currency !== undefined) changes.currency = input.currency;
  if (input.timezone !== undefined) changes.timezone = input.timezone;
  if (input.locale !== undefined) changes.locale = input.locale;
  if (input.taxRate !== undefined) changes.taxRatePpm = parsePercentToPpm(input.taxRate);
  if (input.invoicePrefix !== undefined) changes.invoicePrefix = input.invoicePrefix.toUpperCase();
  if (input.netTermsDays !== undefined) changes.netTermsDays = input.netTermsDays;
  if (input.dunningDays !== undefined) changes.dunningDays = JSON.stringify(input.dunningDays);
  if (input.billingIntervalMinutes !== undefined) changes.billingIntervalMinutes = input.billingIntervalMinutes;
  for (const key of DETAIL_FIELDS) if (input[key] !== undefined) changes[key] = input[key];
  if (input.logo !== undefined) {
    if (input.logo !== null && !imageMatchesType(input.logo)) throw validation('logo', 'The logo must be a PNG or JPEG image');
    changes.logo = input.logo;
  }
  orm.update(business).set(changes).where(eq(business.id, before.id)).run();
  return { before, after: getBusinessRow(orm) };
}
