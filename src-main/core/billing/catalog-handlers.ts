import { defineHandlers } from '../define-handlers';
import { stmt } from '../db/statements';
import { loadPlan } from './catalog-repo';
import { createCoupon, createPlan, deletePlan, getCouponRow, listCoupons, listPlans, setPlanArchived, toCouponDto, toPlanDto, updatePlan } from './catalog-service';

export const catalogHandlers = defineHandlers({
  'plans.list': (ctx, input) => listPlans(ctx.db, input.includeArchived),
  'plans.get': (ctx, input) => toPlanDto(ctx.db, loadPlan(ctx.db, input.id, 'id')),
  'plans.create': (ctx, input) => {
    const id = createPlan(ctx.db, input, ctx.now.toISOString());
    const plan = toPlanDto(ctx.db, loadPlan(ctx.db, id));
    ctx.audit({ action: 'plans.create', entity: 'plan', entityId: id, after: plan });
    ctx.changed('plans');
    return plan;
  },
  'plans.update': (ctx, { id, ...changes }) => {
    const before = toPlanDto(ctx.db, loadPlan(ctx.db, id, 'id'));
    updatePlan(ctx.db, id, changes, ctx.now.toISOString());
    const after = toPlanDto(ctx.db, loadPlan(ctx.db, id));
    ctx.audit({ action: 'plans.update', entity: 'plan', entityId: id, before, after });
    ctx.changed('plans', 'subscriptions');
    return after;
  },
  'plans.archive': (ctx, input) => {
    setPlanArchived(ctx.db, input.id, true, ctx.now.toISOString());
    const after = toPlanDto(ctx.db, loadPlan(ctx.db, input.id));
    ctx.audit({ action: 'plans.archive', entity: 'plan', entityId: input.id, after });
    ctx.changed('plans');
    return after;
  },
  'plans.unarchive': (ctx, input) => {
    setPlanArchived(ctx.db, input.id, false, ctx.now.toISOString());
    const after = toPlanDto(ctx.db, loadPlan(ctx.db, input.id));
    ctx.audit({ action: 'plans.unarchive', entity: 'plan', entityId: input.id, after });
    ctx.changed('plans');
    return after;
  },
  'plans.delete': (ctx, input) => {
    const before = deletePlan(ctx.db, input.id);
    ctx.audit({ action: 'plans.delete', entity: 'plan', entityId: input.id, before });
    ctx.changed('plans');
    return { deleted: input.id };
  },
  'coupons.list': (ctx, input) => listCoupons(ctx.db, input.includeArchived),
  'coupons.create': (ctx, input) => {
    const id = createCoupon(ctx.db, input, ctx.now.toISOString());
    const coupon = toCouponDto(getCouponRow(ctx.db, id));
    ctx.audit({ action: 'coupons.create', entity: 'coupon', entityId: id, after: coupon });
    ctx.changed('coupons');
    return coupon;
  },
  'coupons.archive': (ctx, input) => {
    getCouponRow(ctx.db, input.id);
    stmt(ctx.db.sqlite, 'UPDATE coupons SET archived_at = ?, updated_at = ? WHERE id = ?').run(ctx.now.toISOString(), ctx.now.toISOString(), input.id);
    const after = toCouponDto(getCouponRow(ctx.db, input.id));
    ctx.audit({ action: 'coupons.archive', entity: 'coupon', entityId: input.id, after });
    ctx.changed('coupons');
    return after;
  },
});
