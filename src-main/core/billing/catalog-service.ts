import type { z } from 'zod';
import type { Coupon, Plan, couponFieldsSchema, planFieldsSchema } from '@shared/domain/billing';
import { parsePercentToPpm, ppmToPercentString } from '@shared/domain/money';
import { tiersProblem } from '@shared/domain/pricing';
import { toPlanDto as planDto } from '@shared/domain/billing-dto';
import type { BusinessDb } from '../db/open';
import { stmt } from '../db/statements';
import { conflict, notFound, validation } from '../errors';
import { newId } from '../ids';
import { billingSettings, loadPlan } from './catalog-repo';
import type { CouponRow, LoadedPlan } from './rows';

type PlanFields = z.output<typeof planFieldsSchema>;

export function toPlanDto(db: BusinessDb, plan: LoadedPlan): Plan {
  const counts = stmt(
    db.sqlite,
    "SELECT count(*) AS total, coalesce(sum(status IN ('trialing','active','past_due','paused')), 0) AS live FROM subscriptions WHERE plan_id = ?",
  ).get(plan.id) as { total: number; live: number };
  return planDto(plan, counts);
}

function slug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'plan';
}

function checkTiers(f: Pick<PlanFields, 'pricingModel' | 'tiers'>): void {
  if (f.pricingModel === 'flat') {
    if (f.tiers.length) throw validation('tiers', 'A flat-priced plan has no tiers');
    return;
  }
  const problem = tiersProblem(f.tiers);
  if (problem) throw validation('tiers', problem);
}

function codeFree(db: BusinessDb, code: string, exceptId?: string): boolean {
  const taken = stmt(db.sqlite, 'SELECT id FROM plans WHERE lower(code) = lower(?)').pluck().get(code) as string | undefined;
  return !taken || taken === exceptId;
}

function writeTiers(db: BusinessDb, planId: string, tiers: PlanFields['tiers']): void {
  stmt(db.sqlite, 'DELETE FROM plan_tiers WHERE plan_id = ?').run(planId);
  const insert = stmt(db.sqlite, 'INSERT INTO plan_tiers (id, plan_id, position, up_to, unit_amount, flat_amount) VALUES (?, ?, ?, ?, ?, ?)');
  tiers.forEach((t, i) => insert.run(newId(), planId, i, t.upTo, t.unitAmount, t.flatAmount));
}

export function createPlan(db: BusinessDb, f: PlanFields, at: string): string {
  checkTiers(f);
  let code = f.code ?? slug(f.name);
  if (f.code !== undefined && !codeFree(db, code)) throw conflict(`Another plan already uses the code ${code}`, 'code');
  // A code made from the name gets a number when taken (Gold, Gold-2...).
  for (let n = 2; !codeFree(db, code); n++) code = `${slug(f.name).slice(0, 36)}-${n}`;
  const id = newId();
  stmt(
    db.sqlite,
    `INSERT INTO plans (id, code, name, description, currency, pricing_model, unit_amount, interval, interval_count, trial_days,
       setup_fee, features, max_machines, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, code, f.name, f.description, billingSettings(db).currency, f.pricingModel, f.price, f.interval, f.intervalCount, f.trialDays, f.setupFee, JSON.stringify(f.features), f.maxMachines, at, at);
  writeTiers(db, id, f.tiers);
  return id;
}

const PRICE_FIELDS = ['price', 'interval', 'intervalCount', 'pricingModel', 'tiers'] as const;

export function updatePlan(db: BusinessDb, id: string, changes: Partial<PlanFields>, at: string): void {
  const plan = loadPlan(db, id, 'id');
  const used = (stmt(db.sqlite, 'SELECT count(*) FROM subscriptions WHERE plan_id = ?').pluck().get(id) as number) > 0;
  const priceChange = PRICE_FIELDS.find((k) => changes[k] !== undefined && JSON.stringify(changes[k]) !== JSON.stringify(currentValue(plan, k)));
  if (used && priceChange) {
    // Subscriptions were priced by it: a new price is a new plan, so past invoices and metrics stay true.
    throw conflict('This plan has subscriptions, so its price and interval are fixed. Create a new plan and move subscribers to it.', priceChange);
  }
  const next = {
    pricingModel: changes.pricingModel ?? plan.pricing_model,
    tiers: changes.tiers ?? plan.tiers,
  };
  checkTiers(next);
  if (changes.code !== undefined && !codeFree(db, changes.code, id)) throw conflict(`Another plan already uses the code ${changes.code}`, 'code');
  stmt(
    db.sqlite,
    `UPDATE plans SET name = ?, code = ?, description = ?, pricing_model = ?, unit_amount = ?, interval = ?, interval_count = ?,
       trial_days = ?, setup_fee = ?, features = ?, max_machines = ?, updated_at = ? WHERE id = ?`,
  ).run(
    changes.name ?? plan.name,
    changes.code ?? plan.code,
    changes.description ?? plan.description,
    next.pricingModel,
    changes.price ?? plan.unit_amount,
    changes.interval ?? plan.interval,
    changes.intervalCount ?? plan.interval_count,
    changes.trialDays ?? plan.trial_days,
    changes.setupFee ?? plan.setup_fee,
    JSON.stringify(changes.features ?? JSON.parse(plan.features)),
    // null is a value here (unlimited); only a field left out keeps what the plan has.
    changes.maxMachines === undefined ? plan.max_machines : changes.maxMachines,
    at,
    id,
  );
  if (changes.tiers) writeTiers(db, id, changes.tiers);
}

function currentValue(plan: LoadedPlan, key: (typeof PRICE_FIELDS)[number]): unknown {
  return { price: plan.unit_amount, interval: plan.interval, intervalCount: plan.interval_count, pricingModel: plan.pricing_model, tiers: plan.tiers }[key];
}

export function setPlanArchived(db: BusinessDb, id: string, archived: boolean, at: string): void {
  loadPlan(db, id, 'id');
  stmt(db.sqlite, 'UPDATE plans SET archived_at = ?, updated_at = ? WHERE id = ?').run(archived ? at : null, at, id);
}

export function deletePlan(db: BusinessDb, id: string): LoadedPlan {
  const plan = loadPlan(db, id, 'id');
  const used = stmt(db.sqlite, 'SELECT count(*) FROM subscriptions WHERE plan_id = ?').pluck().get(id) as number;
  if (used > 0) throw conflict('This plan has been used by subscriptions; archive it instead, so past invoices keep their plan', 'id');
  stmt(db.sqlite, 'DELETE FROM plans WHERE id = ?').run(id);
  return plan;
}

export function listPlans(db: BusinessDb, includeArchived: boolean): Plan[] {
  const ids = stmt(db.sqlite, `SELECT id FROM plans ${includeArchived ? '' : 'WHERE archived_at IS NULL'} ORDER BY archived_at IS NOT NULL, unit_amount, name`)
    .pluck()
    .all() as string[];
  return ids.map((id) => toPlanDto(db, loadPlan(db, id)));
}

type CouponFields = z.output<typeof couponFieldsSchema>;

export function toCouponDto(c: CouponRow): Coupon {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    percentOff: c.percent_off_ppm === null ? null : ppmToPercentString(c.percent_off_ppm),
    amountOff: c.amount_off,
    currency: c.currency,
    duration: c.duration,
    durationMonths: c.duration_months,
    expiresOn: c.expires_on,
    maxRedemptions: c.max_redemptions,
    timesRedeemed: c.times_redeemed,
    archived: c.archived_at !== null,
    createdAt: c.created_at,
  };
}

export function getCouponRow(db: BusinessDb, id: string): CouponRow {
  const row = stmt(db.sqlite, 'SELECT * FROM coupons WHERE id = ?').get(id) as CouponRow | undefined;
  if (!row) throw notFound('That coupon', 'id');
  return row;
}

export function createCoupon(db: BusinessDb, f: CouponFields, at: string): string {
  const code = f.code.toUpperCase();
  if (stmt(db.sqlite, 'SELECT 1 FROM coupons WHERE upper(code) = ?').get(code)) throw conflict(`The code ${code} is already used`, 'code');
  const id = newId();
  stmt(
    db.sqlite,
    `INSERT INTO coupons (id, code, name, percent_off_ppm, amount_off, currency, duration, duration_months, expires_on, max_redemptions, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id, code, f.name, f.percentOff !== undefined ? parsePercentToPpm(f.percentOff) : null, f.amountOff ?? null, billingSettings(db).currency,
    f.duration, f.durationMonths ?? null, f.expiresOn ?? null, f.maxRedemptions ?? null, at, at,
  );
  return id;
}

export function listCoupons(db: BusinessDb, includeArchived: boolean): Coupon[] {
  return (stmt(db.sqlite, `SELECT * FROM coupons ${includeArchived ? '' : 'WHERE archived_at IS NULL'} ORDER BY created_at DESC`).all() as CouponRow[]).map(toCouponDto);
}
