import { describe, expect, it } from 'vitest';
import type { Plan, Subscription } from '@shared/domain/billing';
import { formatMoney } from '@shared/domain/money';
import { readPaymentForm } from '../../src-renderer/src/features/invoices/payment-form';
import { readRefundForm, refundable } from '../../src-renderer/src/features/payments/refund-form';
import { EMPTY_COUPON, readCouponForm } from '../../src-renderer/src/features/plans/coupon-form';
import { describeDiscount, describeDuration } from '../../src-renderer/src/features/plans/plan-format';
import { changeRequest, changesInterval, modeExplanation } from '../../src-renderer/src/features/subscriptions/change-form';
import { createSubscriptionErrors, firstInvoiceHint, toCreateInput, type CreateSubscriptionValues } from '../../src-renderer/src/features/subscriptions/create-subscription-form';

const usd = (m: number) => formatMoney(m, 'USD');

describe('the coupon form', () => {
  it('sends a percentage as text and an amount in minor units', () => {
    expect(readCouponForm({ ...EMPTY_COUPON, code: 'WELCOME20', percentOff: '20%' }, 'USD')).toEqual({
      fields: { code: 'WELCOME20', name: '', duration: 'once', percentOff: '20' },
      errors: {},
    });
    expect(readCouponForm({ ...EMPTY_COUPON, code: 'FIVE', kind: 'amount', amountOff: '5', duration: 'repeating', durationMonths: 3, expiresOn: '2026-12-31', maxRedemptions: 10 }, 'USD').fields).toEqual({
      code: 'FIVE', name: '', duration: 'repeating', amountOff: 500, durationMonths: 3, expiresOn: '2026-12-31', maxRedemptions: 10,
    });
  });

  it('puts each message on the field shown', () => {
    expect(readCouponForm({ ...EMPTY_COUPON, code: 'x', percentOff: '120' }, 'USD').errors).toEqual({
      code: 'A code has at least 2 characters',
      percentOff: 'A percentage is more than 0 and at most 100',
    });
    expect(readCouponForm({ ...EMPTY_COUPON, code: 'OK', kind: 'amount', amountOff: '0' }, 'USD').errors).toEqual({ amountOff: 'The amount must be more than zero' });
    expect(readCouponForm({ ...EMPTY_COUPON, code: 'OK', percentOff: '10', duration: 'repeating', durationMonths: '' }, 'USD').errors).toEqual({
      durationMonths: 'Say for how many months it repeats',
    });
  });

  it('describes a coupon in words', () => {
    expect(describeDiscount({ percentOff: '12.5', amountOff: null }, usd)).toBe('12.5% off');
    expect(describeDiscount({ percentOff: null, amountOff: 500 }, usd)).toBe('$5.00 off');
    expect(describeDuration({ duration: 'repeating', durationMonths: 1 })).toBe('For 1 month');
    expect(describeDuration({ duration: 'forever', durationMonths: null })).toBe('Every invoice');
  });
});

describe('recording a payment by hand', () => {
  const invoice = { id: 'inv1', amountDue: 2400, issueDate: '2026-03-24' };

  it('sends a partial payment in minor units', () => {
    expect(readPaymentForm({ amount: '10', method: 'cash', on: '2026-04-01', reference: ' desk ' }, invoice, 'USD', usd)).toEqual({
      input: { id: 'inv1', amount: 1000, method: 'cash', on: '2026-04-01', reference: 'desk' },
      errors: {},
    });
  });

  it('refuses more than is due and a date before the invoice, as main would', () => {
    expect(readPaymentForm({ amount: '24.01', method: 'cash', on: '2026-03-23', reference: '' }, invoice, 'USD', usd).errors).toEqual({
      amount: 'That is more than is due ($24.00)',
      on: 'The payment date cannot be before the invoice date, 2026-03-24',
    });
  });
});

describe('refunds', () => {
  const payment = { id: 'pay1', amount: 1400, amountRefunded: 400, paidOn: '2026-04-01' };

  it('sends no amount for a full refund, and the amount for a partial one', () => {
    expect(refundable(payment)).toBe(1000);
    expect(readRefundForm({ full: true, amount: '', on: '2026-04-02', reason: '' }, payment, 'USD', usd).input).toEqual({ id: 'pay1', on: '2026-04-02', reason: '' });
    expect(readRefundForm({ full: false, amount: '4', on: '2026-04-02', reason: 'Missed a class' }, payment, 'USD', usd).input).toEqual({
      id: 'pay1', on: '2026-04-02', reason: 'Missed a class', amount: 400,
    });
  });

  it('refuses more than is left and a date before the payment', () => {
    expect(readRefundForm({ full: false, amount: '10.01', on: '2026-03-31', reason: '' }, payment, 'USD', usd).errors).toEqual({
      amount: 'At most $10.00 can be refunded',
      on: 'The refund date cannot be before the payment, 2026-04-01',
    });
  });
});

const SUB: Subscription = {
  id: 's1', customerId: 'c1', customerName: 'Carla Card', planId: 'basic', planName: 'Basic', status: 'active', quantity: 1, startDate: '2026-03-01',
  trialEnd: null, anchorDate: '2026-03-01', currentPeriodStart: '2026-03-01', currentPeriodEnd: '2026-04-01', nextInvoiceDate: '2026-04-01',
  cancelAt: null, cancelAtPeriodEnd: false, canceledAt: null, pausedAt: null, resumeOn: null, couponCode: null, couponAppliedOn: null,
  recurringAmount: 3000, currency: 'USD', interval: 'month', intervalCount: 1, scheduledChange: null, licenseKey: null, licenseExpiresOn: null, createdAt: '',
};

const plan = (over: Partial<Plan>): Plan => ({
  id: 'pro', name: 'Pro', code: 'pro', description: '', price: 6000, currency: 'USD', interval: 'month', intervalCount: 1, trialDays: 0, setupFee: 0,
  pricingModel: 'flat', tiers: [], features: [], maxMachines: null, archived: false, subscriptionCount: 0, activeSubscriptions: 0, createdAt: '', ...over,
});

describe('changing a subscription', () => {
  it('asks main for a preview only once something would change', () => {
    expect(changeRequest(SUB, { planId: 'basic', quantity: 1, on: '2026-03-11', mode: 'prorate' })).toEqual({
      request: null,
      reason: 'Choose another plan or quantity to see what the change would cost.',
    });
    expect(changeRequest(SUB, { planId: 'pro', quantity: 1, on: '2026-03-11', mode: 'prorate' }).request).toEqual({ id: 's1', planId: 'pro', quantity: 1, on: '2026-03-11', mode: 'prorate' });
    expect(changeRequest(SUB, { planId: 'basic', quantity: 3, on: '2026-03-11', mode: 'invoice_now' }).request).toEqual({ id: 's1', quantity: 3, on: '2026-03-11', mode: 'invoice_now' });
    expect(changeRequest(SUB, { planId: 'pro', quantity: '', on: '2026-03-11', mode: 'prorate' }).reason).toBe('Enter a quantity of at least 1.');
    expect(changeRequest(SUB, { planId: 'pro', quantity: 1, on: '2026-02-30', mode: 'prorate' }).reason).toBe('Enter the date the change happens.');
  });

  it('knows a plan on another interval takes effect at once (spec 6)', () => {
    expect(changesInterval(SUB, plan({}))).toBe(false);
    expect(changesInterval(SUB, plan({ interval: 'year' }))).toBe(true);
    expect(changesInterval(SUB, plan({ intervalCount: 3 }))).toBe(true);
  });

  it('explains each mode in one line with the period end', () => {
    const day = (d: string) => `<${d}>`;
    expect(modeExplanation('prorate', '2026-04-01', day)).toContain('both appear on the next invoice (<2026-04-01>)');
    expect(modeExplanation('at_period_end', '2026-04-01', day)).toBe('Nothing is prorated: the new plan or quantity applies from <2026-04-01>.');
  });
});

describe('a new subscription', () => {
  const values: CreateSubscriptionValues = { customerId: 'c1', planId: 'basic', startDate: '2026-03-10', quantity: 1, couponCode: 'WELCOME20', trialDays: 14, withLicenseKey: false, licenseKey: '' };

  it('sends the trial only when it overrides the plan’s', () => {
    expect(toCreateInput(values)).toEqual({ customerId: 'c1', planId: 'basic', startDate: '2026-03-10', quantity: 1, couponCode: 'WELCOME20', trialDays: 14, withLicenseKey: false });
    expect(toCreateInput({ ...values, trialDays: '', couponCode: null })).not.toHaveProperty('trialDays');
  });

  it('sends a license key of its own only with the box ticked, and names a bad one', () => {
    expect(toCreateInput({ ...values, licenseKey: 'ACME-1' })).not.toHaveProperty('licenseKey');
    expect(toCreateInput({ ...values, withLicenseKey: true, licenseKey: ' ' })).not.toHaveProperty('licenseKey');
    expect(toCreateInput({ ...values, withLicenseKey: true, licenseKey: 'ACME-1' })).toMatchObject({ withLicenseKey: true, licenseKey: 'ACME-1' });
    expect(createSubscriptionErrors({ ...values, withLicenseKey: true, licenseKey: 'two words' })).toEqual({ licenseKey: 'Use letters, digits, dashes, dots and underscores' });
  });

  it('names what is missing or wrong', () => {
    expect(createSubscriptionErrors({ ...values, customerId: null, planId: null, startDate: '2026-13-01', quantity: 0 })).toEqual({
      customerId: 'Choose a customer',
      planId: 'Choose a plan',
      startDate: 'Use a date like 2026-03-01',
      quantity: 'The quantity is at least 1',
    });
  });

  it('dates the first invoice at the end of the trial (spec 4: 14 days from 2026-03-10 is 2026-03-24)', () => {
    const basic = plan({ id: 'basic', name: 'Basic', price: 3000, trialDays: 7, setupFee: 1500 });
    expect(firstInvoiceHint(values, basic, '2026-03-11')).toEqual({ trialDays: 14, firstInvoice: '2026-03-24', recurring: 3000, setupFee: 1500, firstAmount: 4500, cadence: 'monthly' });
    expect(firstInvoiceHint({ ...values, trialDays: '' }, basic, '2026-03-11')?.firstInvoice).toBe('2026-03-17');
    expect(firstInvoiceHint({ ...values, trialDays: 0, quantity: 3 }, basic, '2026-03-11')).toMatchObject({ firstInvoice: '2026-03-10', recurring: 9000 });
  });
});
