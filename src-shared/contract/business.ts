import { z } from 'zod';
import { method } from './define';
import {
  currencySchema,
  dunningDaysSchema,
  emailSchema,
  invoicePrefixSchema,
  localeSchema,
  nameSchema,
  netTermsSchema,
  passwordSchema,
  percentTextSchema,
  timeZoneSchema,
} from '../domain/fields';
import { sessionWithKeySchema } from './auth';

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
  })
  .partial();
export type BusinessUpdate = z.infer<typeof businessUpdateSchema>;

export const businessContract = {
  'business.list': method({
    input: z.object({}).strict(),
    /** `syncServer`: the sync server the business is connected to, or null. */
    output: z.array(businessSummarySchema.extend({ syncServer: z.string().nullable() })),
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

