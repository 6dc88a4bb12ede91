import { z } from 'zod';
import { method } from './define';
import {
  currencySchema,
  dunningDaysSchema,
  emailSchema,
  invoicePrefixSchema,
  lineText,
  multilineText,
  localeSchema,
  nameSchema,
  netTermsSchema,
  passwordSchema,
  percentTextSchema,
  timeZoneSchema,
} from '../domain/fields';
import { sessionWithKeySchema } from './auth';

/** The largest logo accepted, in bytes of the image file (not of its base64). */
export const LOGO_MAX_BYTES = 200 * 1024;
const LOGO_PREFIX = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/]+={0,2})$/;

/** Bytes of the image a base64 data URL carries. */
export function logoBytes(dataUrl: string): number {
  const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
}

export const logoSchema = z
  .string()
  .max(Math.ceil(LOGO_MAX_BYTES / 3) * 4 + 40, `The logo is larger than ${LOGO_MAX_BYTES / 1024} KB; use a smaller image`)
  .regex(LOGO_PREFIX, 'The logo must be a PNG or JPEG image')
  .refine((v) => logoBytes(v) <= LOGO_MAX_BYTES, `The logo is larger than ${LOGO_MAX_BYTES / 1024} KB; use a smaller image`);

export const businessSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  currency: currencySchema,
  timezone: z.string(),
});
export type BusinessSummary = z.infer<typeof businessSummarySchema>;

export const businessSchema = businessSummarySchema.extend({
  locale: z.string(),
  taxRate: z.string(),
  invoicePrefix: z.string(),
  netTermsDays: z.number().int(),
  dunningDays: z.array(z.number().int()),
  billingIntervalMinutes: z.number().int(),
  createdAt: z.string(),
  /** The business's details printed on every invoice, receipt and credit note. */
  addressLine1: z.string(),
  addressLine2: z.string(),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string(),
  email: z.string(),
  phone: z.string(),
  taxId: z.string(),
  invoiceFooter: z.string(),
  /** A data: URL (PNG or JPEG), or null. */
  logo: z.string().nullable(),
});
export type Business = z.infer<typeof businessSchema>;

export const signUpInputSchema = z.object({
  businessName: nameSchema,
  currency: currencySchema,
  timezone: timeZoneSchema,
  ownerName: nameSchema,
  ownerEmail: emailSchema,
  password: passwordSchema,
});
export type SignUpInput = z.infer<typeof signUpInputSchema>;

export const businessUpdateSchema = z
  .object({
    name: nameSchema,
    currency: currencySchema,
    timezone: timeZoneSchema,
    locale: localeSchema,
    taxRate: percentTextSchema,
    invoicePrefix: invoicePrefixSchema,
    netTermsDays: netTermsSchema,
    dunningDays: dunningDaysSchema,
    billingIntervalMinutes: z
      .number({ message: 'Enter a number of minutes' })
      .int('Use whole minutes')
      .min(1, 'Run billing at most every minute')
      .max(1440, 'Run billing at least once a day'),
    addressLine1: lineText(200),
    addressLine2: lineText(200),
    city: lineText(100),
    region: lineText(100),
    postalCode: lineText(20),
    country: lineText(100),
    email: z.union([z.literal(''), emailSchema]),
    phone: lineText(50),
    taxId: lineText(50),
    invoiceFooter: multilineText(1000),
    /** A PNG or JPEG as a data: URL, at most LOGO_MAX_BYTES; null removes the logo. */
    logo: logoSchema.nullable(),
  })
  .partial();
export type BusinessUpdate = z.infer<typeof businessUpdateSchema>;

export const businessContract = {
  'business.list': method({
    input: z.object({}).strict(),
    /**
     * `syncServer`: the sync server the business is connected to, or null. `locked`: its file is
     * encrypted and this PC's keychain has no key that opens it (the recovery key unlocks it:
     * `business.unlock`). `recoverySetUp`: a recovery key can unlock its file (false for a file
     * encrypted on upgrade, restored or joined until the owner types the key once; whether it is the
     * current key, `auth.recoveryKeyInfo` says once logged in). `nameKnown` false: a locked file this
     * PC never listed (a data folder copied without its registry, a business file copied in under
     * another name): its name, currency and time zone are inside it, so `id` and `name` are its file
     * name without `.sqlite` (its id for `<id>.sqlite`), currency and time zone null until it is unlocked.
     */
    output: z.array(
      businessSummarySchema.extend({
        currency: currencySchema.nullable(),
        timezone: z.string().nullable(),
        nameKnown: z.boolean(),
        syncServer: z.string().nullable(),
        locked: z.boolean(),
        recoverySetUp: z.boolean(),
      }),
    ),
    access: 'public',
    write: false,
  }),
  /** The owner is logged in; the recovery key is shown to them once. */
  'business.signUp': method({
    input: signUpInputSchema,
    output: sessionWithKeySchema,
    access: 'public',
    write: true,
  }),
  /**
   * Opens the books on a PC whose keychain has no key for them (reinstalled, or the folder moved):
   * the recovery key from sign-up unwraps the business's data key, which goes back into the keychain.
   */
  'business.unlock': method({
    input: z.object({ businessId: z.string().min(1).max(100), recoveryKey: z.string().trim().min(1, 'Enter the recovery key').max(100) }),
    /**
     * `businessId`: the business's id, to log in with (a file listed by its name, `nameKnown` false,
     * has its id inside). `keyRestored`: the key went back into the keychain; `recoverySetUp`: the file
     * was open and the key now also unlocks it.
     */
    output: z.object({ unlocked: z.literal(true), businessId: z.string(), keyRestored: z.boolean(), recoverySetUp: z.boolean() }),
    access: 'public',
    write: true,
  }),
  'business.get': method({
    input: z.object({}).strict(),
    output: businessSchema,
    access: 'viewer',
    write: false,
  }),
  /**
   * The Ed25519 public key (base64 of its 32 raw bytes) the server signs this
   * business's license files with, for its product to verify them offline;
   * null until this PC has synced with the server (spec/server.md "License keys").
   */
  'business.licensePublicKey': method({
    input: z.object({}).strict(),
    output: z.object({ publicKey: z.string().nullable() }),
    access: 'viewer',
    write: false,
  }),
  'business.update': method({
    input: businessUpdateSchema,
    output: businessSchema,
    access: 'owner',
    write: true,
  }),
} as const;

