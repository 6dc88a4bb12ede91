import type { z } from 'zod';
import { planFieldsSchema, type Plan } from '@shared/domain/billing';
import type { CurrencyCode } from '@shared/domain/money';
import { toDecimalString } from '@shared/domain/money';
import type { Interval } from '@shared/domain/periods';
import { tiersProblem, type PricingModel, type Tier } from '@shared/domain/pricing';
import { parseMoneyInput } from '../../lib/money-input';
import { newTierRows, parseLimit, type TierRow } from './tiers';

export type PlanFields = z.input<typeof planFieldsSchema>;

/** The plan form as typed: money and limits stay text until submit, then parse exactly. */
export interface PlanFormValues {
  name: string;
  code: string;
  description: string;
  price: string;
  interval: Interval;
  intervalCount: number | string;
  trialDays: number | string;
  setupFee: string;
  pricingModel: PricingModel;
  tiers: TierRow[];
  /** One feature per line. */
  features: string;
  /** Machines per license key, as typed; empty: unlimited. */
  maxMachines: number | string;
}

export const PRICE_FIELDS = ['price', 'interval', 'intervalCount', 'pricingModel', 'tiers'] as const;

export function emptyPlanForm(): PlanFormValues {
  return {
    name: '',
    code: '',
    description: '',
    price: '',
    interval: 'month',
    intervalCount: 1,
    trialDays: 0,
    setupFee: '',
    pricingModel: 'flat',
    tiers: newTierRows(),
    features: '',
    maxMachines: '',
  };
}

export function toPlanFormValues(plan: Plan, currency: CurrencyCode): PlanFormValues {
  const money = (minor: number) => toDecimalString(minor, currency);
  return {
    name: plan.name,
    code: plan.code,
    description: plan.description,
    price: money(plan.price),
    interval: plan.interval,
    intervalCount: plan.intervalCount,
    trialDays: plan.trialDays,
    setupFee: plan.setupFee ? money(plan.setupFee) : '',
    pricingModel: plan.pricingModel,
    tiers:
      plan.tiers.length > 0
        ? plan.tiers.map((t) => ({ upTo: t.upTo === null ? '' : String(t.upTo), unitAmount: money(t.unitAmount), flatAmount: t.flatAmount ? money(t.flatAmount) : '' }))
        : newTierRows(money(plan.price)),
    features: plan.features.join('\n'),
    maxMachines: plan.maxMachines ?? '',
  };
}

/** The tiers as typed, parsed; each unreadable cell gets its own message. */
export function readTiers(rows: TierRow[], currency: CurrencyCode): { tiers: Tier[] | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const tiers: Tier[] = [];
  rows.forEach((row, i) => {
    const last = i === rows.length - 1;
    const upTo = last ? null : parseLimit(row.upTo);
    if (!last && upTo === null) errors[`tiers.${i}.upTo`] = 'Enter a whole number of units';
    const unit = parseMoneyInput(row.unitAmount, currency);
    if (!unit.ok) errors[`tiers.${i}.unitAmount`] = unit.message;
    const flat = parseMoneyInput(row.flatAmount, currency, { required: false });
    if (!flat.ok) errors[`tiers.${i}.flatAmount`] = flat.message;
    tiers.push({ upTo, unitAmount: unit.ok ? unit.minor : 0, flatAmount: flat.ok ? flat.minor : 0 });
  });
  if (Object.keys(errors).length > 0) return { tiers: null, errors };
  const problem = tiersProblem(tiers);
  if (problem) return { tiers: null, errors: { tiers: problem } };
  return { tiers, errors };
}

export interface ReadPlan {
  fields: PlanFields | null;
  errors: Record<string, string>;
}

/** The form as the contract's plan fields, or the message for each field at fault. */
export function readPlanForm(values: PlanFormValues, currency: CurrencyCode): ReadPlan {
  const errors: Record<string, string> = {};
  const tiered = values.pricingModel !== 'flat';

  let price = 0;
  let tiers: Tier[] = [];
  if (tiered) {
    const read = readTiers(values.tiers, currency);
    Object.assign(errors, read.errors);
    tiers = read.tiers ?? [];
    // A tiered plan's own price is its first tier's unit price ("from …").
    price = tiers[0]?.unitAmount ?? 0;
  } else {
    const parsed = parseMoneyInput(values.price, currency);
    if (parsed.ok) price = parsed.minor;
    else errors.price = parsed.message;
  }
  const setupFee = parseMoneyInput(values.setupFee, currency, { required: false });
  if (!setupFee.ok) errors.setupFee = setupFee.message;

  const fields: PlanFields = {
    name: values.name,
    description: values.description,
    price,
    interval: values.interval,
    intervalCount: Number(values.intervalCount === '' ? Number.NaN : values.intervalCount),
    trialDays: Number(values.trialDays === '' ? 0 : values.trialDays),
    setupFee: setupFee.ok ? setupFee.minor : 0,
    pricingModel: values.pricingModel,
    tiers,
    features: values.features
      .split('\n')
      .map((f) => f.trim())
      .filter(Boolean),
    maxMachines: values.maxMachines === '' ? null : Number(values.maxMachines),
  };
  if (values.code.trim()) fields.code = values.code.trim();

  const checked = planFieldsSchema.safeParse(fields);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const path = issue.path.join('.') || 'name';
      const field = path.startsWith('features') ? 'features' : path;
      errors[field] ??= issue.message;
    }
  }
  if (Number.isNaN(fields.intervalCount)) errors.intervalCount = 'Enter how many';
  return { fields: Object.keys(errors).length === 0 ? fields : null, errors };
}

/** What an edit sends: a plan with subscriptions keeps its price, interval and tiers (main refuses them anyway). */
export function planChanges(fields: PlanFields, plan: Plan): Partial<PlanFields> {
  if (plan.subscriptionCount === 0) return fields;
  const changes: Partial<PlanFields> = { ...fields };
  for (const key of PRICE_FIELDS) delete changes[key];
  return changes;
}

/**
 * Features a plan commonly names for gating (docs/plan-gating.md): the license API serves a plan's
 * features as its entitlements, so "Basic has insights, Pro has predictions" is a tick on each plan.
 */
export const FEATURE_SUGGESTIONS = [
  { feature: 'insights', hint: 'Reports and insights: churn risk, best sellers, unusual days' },
  { feature: 'predictions', hint: 'Predictions: the revenue forecast and demand ahead' },
] as const;

const featureLines = (text: string) => text.split('\n').map((f) => f.trim()).filter(Boolean);

/** Whether the features text names `feature` (one line, any case). */
export function hasFeature(text: string, feature: string): boolean {
  return featureLines(text).some((f) => f.toLowerCase() === feature.toLowerCase());
}

/** The features text with `feature` added (as its own line, at the end) or removed. */
export function toggleFeature(text: string, feature: string, on: boolean): string {
  const lines = featureLines(text).filter((f) => f.toLowerCase() !== feature.toLowerCase());
  return (on ? [...lines, feature] : lines).join('\n');
}
