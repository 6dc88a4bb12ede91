import { z } from 'zod';
import { businessUpdateSchema, type Business, type BusinessUpdate } from '@shared/contract/business';
import { dunningDaysSchema } from '@shared/domain/fields';
import type { CurrencyCode } from '@shared/domain/money';
import { formatDunningDays, parseDunningDays } from './dunning-days';

/** Retry days typed as text, checked by the contract's rule, with the message on the one field. */
const dunningDaysTextSchema = z.string().transform((text, ctx) => {
  const parsed = parseDunningDays(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  const checked = dunningDaysSchema.safeParse(parsed.days);
  if (!checked.success) {
    ctx.addIssue({ code: 'custom', message: checked.error.issues[0]?.message ?? 'Check the retry days' });
    return z.NEVER;
  }
  return checked.data;
});

/** Every setting at once; parsing it yields the business.update input. */
export const businessFormSchema = businessUpdateSchema.required().extend({ dunningDays: dunningDaysTextSchema });

export interface BusinessFormValues {
  name: string;
  currency: CurrencyCode;
  timezone: string;
  locale: string;
  taxRate: string;
  invoicePrefix: string;
  netTermsDays: number | string;
  dunningDays: string;
  billingIntervalMinutes: number | string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  email: string;
  phone: string;
  taxId: string;
  invoiceFooter: string;
  logo: string | null;
}

export function toBusinessFormValues(business: Business): BusinessFormValues {
  return {
    name: business.name,
    currency: business.currency,
    timezone: business.timezone,
    locale: business.locale,
    taxRate: business.taxRate,
    invoicePrefix: business.invoicePrefix,
    netTermsDays: business.netTermsDays,
    dunningDays: formatDunningDays(business.dunningDays),
    billingIntervalMinutes: business.billingIntervalMinutes,
    addressLine1: business.addressLine1,
    addressLine2: business.addressLine2,
    city: business.city,
    region: business.region,
    postalCode: business.postalCode,
    country: business.country,
    email: business.email,
    phone: business.phone,
    taxId: business.taxId,
    invoiceFooter: business.invoiceFooter,
    logo: business.logo,
  };
}

/**
 * The validated form as the update to send (call after validation passed):
 * only the settings changed from what the form showed, so a stale form never
 * writes back a setting another PC changed meanwhile (sync merges per field).
 */
export function toBusinessUpdate(values: BusinessFormValues, shown: BusinessFormValues): BusinessUpdate {
  const parsed = businessFormSchema.parse(values);
  const update: Record<string, unknown> = {};
  for (const key of Object.keys(parsed) as (keyof BusinessFormValues)[]) {
    if (String(values[key]) !== String(shown[key])) update[key] = parsed[key];
  }
  return update as BusinessUpdate;
}
