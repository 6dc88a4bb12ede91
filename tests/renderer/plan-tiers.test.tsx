import { describe, expect, it } from 'vitest';
import type { Plan } from '@shared/domain/billing';
import { formatMoney } from '@shared/domain/money';
import { recurringAmount, type Tier } from '@shared/domain/pricing';
import { emptyPlanForm, planChanges, readPlanForm, readTiers, toPlanFormValues } from '../../src-renderer/src/features/plans/plan-form';
import { describePlanPrice } from '../../src-renderer/src/features/plans/plan-format';
import { addTierRow, newTierRows, parseLimit, removeTierRow, tierExample, tierRange, tierStarts } from '../../src-renderer/src/features/plans/tiers';

const SPEC_TIERS: Tier[] = [
  { upTo: 10, unitAmount: 500, flatAmount: 0 },
  { upTo: null, unitAmount: 400, flatAmount: 0 },
];

describe('the tier example ("15 units cost …")', () => {
  it('prices the spec example: graduated 10 x 500 + 5 x 400 = 7000, volume 15 x 400 = 6000', () => {
    const graduated = tierExample(SPEC_TIERS, 'graduated', 15);
    expect(graduated.total).toBe(7000);
    expect(graduated.parts.map((p) => [p.from, p.to, p.units, p.unitAmount, p.amount])).toEqual([
      [1, 10, 10, 500, 5000],
      [11, 15, 5, 400, 2000],
    ]);
    const volume = tierExample(SPEC_TIERS, 'volume', 15);
    expect(volume.total).toBe(6000);
    expect(volume.parts).toEqual([{ tier: 1, units: 15, from: 1, to: 15, unitAmount: 400, flatAmount: 0, amount: 6000 }]);
  });

  it('adds a tier’s flat fee once when any unit falls in it', () => {
    const tiers: Tier[] = [
      { upTo: 5, unitAmount: 1000, flatAmount: 2500 },
      { upTo: 20, unitAmount: 800, flatAmount: 1000 },
      { upTo: null, unitAmount: 500, flatAmount: 0 },
    ];
    expect(tierExample(tiers, 'graduated', 3).total).toBe(3 * 1000 + 2500);
    expect(tierExample(tiers, 'graduated', 8).total).toBe(5 * 1000 + 2500 + 3 * 800 + 1000);
    expect(tierExample(tiers, 'volume', 8).total).toBe(8 * 800 + 1000);
    expect(tierExample(tiers, 'volume', 21).total).toBe(21 * 500);
  });

  it('always adds up to what the engine charges (recurringAmount), part by part', () => {
    const tiers: Tier[] = [
      { upTo: 1, unitAmount: 999, flatAmount: 1 },
      { upTo: 7, unitAmount: 333, flatAmount: 0 },
      { upTo: 50, unitAmount: 101, flatAmount: 77 },
      { upTo: null, unitAmount: 7, flatAmount: 5 },
    ];
    for (const model of ['graduated', 'volume'] as const) {
      for (let quantity = 1; quantity <= 120; quantity++) {
        const example = tierExample(tiers, model, quantity);
        expect(example.total).toBe(recurringAmount({ pricingModel: model, unitAmount: 0, tiers }, quantity));
        expect(example.parts.reduce((sum, p) => sum + p.amount, 0)).toBe(example.total);
        expect(example.parts.reduce((sum, p) => sum + p.units, 0)).toBe(quantity);
      }
    }
  });
});

describe('the tier rows', () => {
  it('starts with "1 to 10" and "11 and above"', () => {
    const rows = newTierRows('5.00');
    expect(rows).toEqual([
      { upTo: '10', unitAmount: '5.00', flatAmount: '' },
      { upTo: '', unitAmount: '5.00', flatAmount: '' },
    ]);
    expect(tierStarts([10, null])).toEqual([1, 11]);
    expect(tierRange(SPEC_TIERS, 0)).toBe('1–10');
    expect(tierRange(SPEC_TIERS, 1)).toBe('11 and above');
  });

  it('adds a tier before the open-ended last one, ten units on', () => {
    const rows = addTierRow([
      { upTo: '10', unitAmount: '5', flatAmount: '' },
      { upTo: '', unitAmount: '4', flatAmount: '' },
    ]);
    expect(rows.map((r) => r.upTo)).toEqual(['10', '20', '']);
    expect(rows[1]!.unitAmount).toBe('4');
  });

  it('removing the last tier makes the one before it open-ended', () => {
    const rows = removeTierRow(
      [
        { upTo: '10', unitAmount: '5', flatAmount: '' },
        { upTo: '20', unitAmount: '4', flatAmount: '' },
        { upTo: '', unitAmount: '3', flatAmount: '' },
      ],
      2,
    );
    expect(rows).toEqual([
      { upTo: '10', unitAmount: '5', flatAmount: '' },
      { upTo: '', unitAmount: '4', flatAmount: '' },
    ]);
    expect(removeTierRow([{ upTo: '', unitAmount: '1', flatAmount: '' }], 0)).toHaveLength(1);
  });

  it('reads limits as whole numbers of at least 1, and starts unknown after one that is not', () => {
    expect(parseLimit(' 10 ')).toBe(10);
    expect(parseLimit('0')).toBeNull();
    expect(parseLimit('2.5')).toBeNull();
    expect(parseLimit('')).toBeNull();
    expect(tierStarts([null, 20, null])).toEqual([1, null, 21]);
  });

  it('parses the rows to minor units, with a message per bad cell or for the whole table', () => {
    expect(readTiers(newTierRows('5'), 'USD')).toEqual({ tiers: [{ upTo: 10, unitAmount: 500, flatAmount: 0 }, { upTo: null, unitAmount: 500, flatAmount: 0 }], errors: {} });
    expect(
      readTiers(
        [
          { upTo: 'ten', unitAmount: '5', flatAmount: 'x' },
          { upTo: '', unitAmount: '', flatAmount: '' },
        ],
        'USD',
      ).errors,
    ).toEqual({ 'tiers.0.upTo': 'Enter a whole number of units', 'tiers.0.flatAmount': 'Enter an amount like 29.00', 'tiers.1.unitAmount': 'Enter an amount' });
    expect(
      readTiers(
        [
          { upTo: '10', unitAmount: '5', flatAmount: '' },
          { upTo: '5', unitAmount: '4', flatAmount: '' },
          { upTo: '', unitAmount: '3', flatAmount: '' },
        ],
        'USD',
      ).errors,
    ).toEqual({ tiers: 'Tier 2: limits must increase' });
  });
});

describe('the plan form', () => {
  it('sends a flat plan with its price in minor units', () => {
    const read = readPlanForm({ ...emptyPlanForm(), name: 'Basic', price: '30', setupFee: '12.50', trialDays: 14, features: ' Classes \n\nTowels ' }, 'USD');
    expect(read.errors).toEqual({});
    expect(read.fields).toEqual({
      name: 'Basic',
      description: '',
      price: 3000,
      interval: 'month',
      intervalCount: 1,
      trialDays: 14,
      setupFee: 1250,
      pricingModel: 'flat',
      tiers: [],
      features: ['Classes', 'Towels'],
      maxMachines: null,
    });
  });

  it('sends machines per license key as a number, empty as unlimited (null), and names a bad one', () => {
    expect(readPlanForm({ ...emptyPlanForm(), name: 'Pro', price: '30', maxMachines: 3 }, 'USD').fields?.maxMachines).toBe(3);
    expect(readPlanForm({ ...emptyPlanForm(), name: 'Pro', price: '30', maxMachines: '' }, 'USD').fields?.maxMachines).toBeNull();
    expect(readPlanForm({ ...emptyPlanForm(), name: 'Pro', price: '30', maxMachines: 0 }, 'USD').errors).toEqual({ maxMachines: 'At least 1 machine (leave it empty for unlimited)' });
  });

  it('sends a tiered plan with its tiers, its price being the first tier’s', () => {
    const read = readPlanForm({ ...emptyPlanForm(), name: 'Seats', pricingModel: 'graduated', tiers: [{ upTo: '10', unitAmount: '5', flatAmount: '' }, { upTo: '', unitAmount: '4', flatAmount: '' }] }, 'USD');
    expect(read.fields).toMatchObject({ price: 500, pricingModel: 'graduated', tiers: SPEC_TIERS });
  });

  it('names each field at fault, with the contract’s own messages', () => {
    const read = readPlanForm({ ...emptyPlanForm(), name: ' ', price: '1.234', intervalCount: 0, trialDays: -1, code: 'bad code!' }, 'USD');
    expect(read.fields).toBeNull();
    expect(read.errors).toEqual({
      name: 'Enter a name',
      price: 'USD allows at most 2 decimal places',
      intervalCount: 'The interval count is at least 1',
      trialDays: 'Trial days cannot be negative',
      code: 'Use letters, digits, dashes, dots and underscores',
    });
  });

  it('round-trips a saved plan, and leaves price, interval and tiers out once it has subscriptions', () => {
    const plan: Plan = {
      id: 'p1', name: 'Seats', code: 'seats', description: '', price: 500, currency: 'USD', interval: 'month', intervalCount: 1, trialDays: 0,
      setupFee: 0, pricingModel: 'volume', tiers: SPEC_TIERS, features: [], maxMachines: null, archived: false, subscriptionCount: 0, activeSubscriptions: 0, createdAt: '',
    };
    const values = toPlanFormValues(plan, 'USD');
    expect(values.tiers).toEqual([{ upTo: '10', unitAmount: '5.00', flatAmount: '' }, { upTo: '', unitAmount: '4.00', flatAmount: '' }]);
    const fields = readPlanForm({ ...values, name: 'Team seats' }, 'USD').fields!;
    expect(planChanges(fields, plan)).toMatchObject({ name: 'Team seats', tiers: SPEC_TIERS });
    const used = planChanges(fields, { ...plan, subscriptionCount: 3 });
    expect(used).toMatchObject({ name: 'Team seats' });
    for (const key of ['price', 'interval', 'intervalCount', 'pricingModel', 'tiers']) expect(used).not.toHaveProperty(key);
  });

  it('describes a price for the list', () => {
    const money = (m: number) => formatMoney(m, 'USD');
    expect(describePlanPrice({ price: 3000, pricingModel: 'flat', tiers: [], interval: 'month', intervalCount: 1 }, money)).toBe('$30.00 monthly');
    expect(describePlanPrice({ price: 3000, pricingModel: 'flat', tiers: [], interval: 'week', intervalCount: 2 }, money)).toBe('$30.00 every 2 weeks');
    expect(describePlanPrice({ price: 500, pricingModel: 'volume', tiers: SPEC_TIERS, interval: 'year', intervalCount: 1 }, money)).toBe('From $4.00 per unit, yearly');
  });
});
