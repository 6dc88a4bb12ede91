import type { Input } from '@shared/contract';
import { billingContract } from '@shared/contract/billing';
import type { Plan } from '@shared/domain/billing';
import { addDays } from '@shared/domain/dates';
import { describeCadence } from '@shared/domain/periods';
import { recurringAmount } from '@shared/domain/pricing';

export interface CreateSubscriptionValues {
  customerId: string | null;
  planId: string | null;
  startDate: string;
  quantity: number | string;
  couponCode: string | null;
  /** Empty: the plan's own trial. */
  trialDays: number | string;
  withLicenseKey: boolean;
  /** With withLicenseKey: the business's own key; empty: one is generated. */
  licenseKey: string;
}

export function toCreateInput(v: CreateSubscriptionValues): Input<'subscriptions.create'> {
  return {
    customerId: v.customerId ?? '',
    planId: v.planId ?? '',
    startDate: v.startDate,
    quantity: v.quantity === '' ? Number.NaN : Number(v.quantity),
    ...(v.couponCode ? { couponCode: v.couponCode } : {}),
    ...(v.trialDays !== '' ? { trialDays: Number(v.trialDays) } : {}),
    withLicenseKey: v.withLicenseKey,
    ...(v.withLicenseKey && v.licenseKey.trim() !== '' ? { licenseKey: v.licenseKey } : {}),
  };
}

/** The contract's own rules, with a plainer word for the two pickers. */
export function createSubscriptionErrors(v: CreateSubscriptionValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!v.customerId) errors.customerId = 'Choose a customer';
  if (!v.planId) errors.planId = 'Choose a plan';
  const checked = billingContract['subscriptions.create'].input.safeParse(toCreateInput(v));
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = String(issue.path[0] ?? 'customerId');
      errors[field] ??= Number.isNaN(issue.input) ? 'Enter a number' : issue.message;
    }
  }
  return errors;
}

export interface FirstInvoiceHint {
  trialDays: number;
  firstInvoice: string;
  recurring: number;
  setupFee: number;
  firstAmount: number;
  cadence: string;
}

/** Spec 4: a trial of T days moves the anchor, and the first invoice, to start + T. */
export function firstInvoiceHint(v: CreateSubscriptionValues, plan: Plan, today: string): FirstInvoiceHint | null {
  const quantity = Number(v.quantity);
  const start = /^\d{4}-\d{2}-\d{2}$/.test(v.startDate) ? v.startDate : today;
  if (!Number.isInteger(quantity) || quantity < 1) return null;
  const trialDays = v.trialDays === '' ? plan.trialDays : Number(v.trialDays) || 0;
  const recurring = recurringAmount({ pricingModel: plan.pricingModel, unitAmount: plan.price, tiers: plan.tiers }, quantity);
  return {
    trialDays,
    firstInvoice: trialDays > 0 ? addDays(start, trialDays) : start,
    recurring,
    setupFee: plan.setupFee,
    firstAmount: recurring + plan.setupFee,
    cadence: describeCadence(plan),
  };
}
