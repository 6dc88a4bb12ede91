import type { z } from 'zod';
import { couponFieldsSchema } from '@shared/domain/billing';
import type { CurrencyCode } from '@shared/domain/money';
import { parseMoneyInput } from '../../lib/money-input';

export type CouponFields = z.input<typeof couponFieldsSchema>;

export interface CouponFormValues {
  code: string;
  name: string;
  kind: 'percent' | 'amount';
  percentOff: string;
  amountOff: string;
  duration: 'once' | 'repeating' | 'forever';
  durationMonths: number | string;
  expiresOn: string;
  maxRedemptions: number | string;
}

export const EMPTY_COUPON: CouponFormValues = {
  code: '',
  name: '',
  kind: 'percent',
  percentOff: '',
  amountOff: '',
  duration: 'once',
  durationMonths: 3,
  expiresOn: '',
  maxRedemptions: '',
};

/** The form as coupons.create's input, or a message per field (checked by the contract's own schema). */
export function readCouponForm(values: CouponFormValues, currency: CurrencyCode): { fields: CouponFields | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const fields: CouponFields = { code: values.code, name: values.name, duration: values.duration };
  if (values.kind === 'percent') {
    fields.percentOff = values.percentOff.trim().replace(/%$/, '').trim();
  } else {
    const amount = parseMoneyInput(values.amountOff, currency, { positive: true });
    if (amount.ok) fields.amountOff = amount.minor;
    else errors.amountOff = amount.message;
  }
  if (values.duration === 'repeating') fields.durationMonths = values.durationMonths === '' ? Number.NaN : Number(values.durationMonths);
  if (values.expiresOn) fields.expiresOn = values.expiresOn;
  if (values.maxRedemptions !== '') fields.maxRedemptions = Number(values.maxRedemptions);

  const checked = couponFieldsSchema.safeParse(fields);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      let field = issue.path.join('.') || 'code';
      // "Give either a percentage or an amount off" belongs to whichever one is shown.
      if (field === 'percentOff' && values.kind === 'amount') field = 'amountOff';
      errors[field] ??= issue.message;
    }
  }
  if (values.duration === 'repeating' && Number.isNaN(fields.durationMonths)) errors.durationMonths = 'Say for how many months it repeats';
  return { fields: Object.keys(errors).length === 0 ? fields : null, errors };
}
