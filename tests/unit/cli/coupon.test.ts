import { describe, expect, it } from 'vitest';
import { withBilling, type Coupon } from './billing-fixtures';

describe('recurra coupon create', () => {
  it('prints {coupon} for a percentage off forever; the percentage stays text', async () => {
    const b = await withBilling();
    const { coupon } = await b.json<{ coupon: Coupon }>(['coupon', 'create', '--code', 'TWENTY', '--percent-off', '20', '--duration', 'forever']);
    expect(coupon).toEqual({
      id: expect.any(String),
      code: 'TWENTY',
      name: '',
      percentOff: '20',
      amountOff: null,
      currency: 'USD',
      duration: 'forever',
      durationMonths: null,
      expiresOn: null,
      maxRedemptions: null,
      timesRedeemed: 0,
      archived: false,
      createdAt: expect.any(String),
    });
  });

  it('takes an amount off in minor units, repeating months, an expiry and a redemption limit', async () => {
    const b = await withBilling();
    const coupon = await b.coupon('--code', 'FIVE', '--amount-off', '5.00', '--duration', 'repeating', '--months', '3', '--expires-on', '2026-06-30', '--max-redemptions', '100', '--name', 'Spring');
    expect(coupon).toMatchObject({ code: 'FIVE', name: 'Spring', percentOff: null, amountOff: 500, duration: 'repeating', durationMonths: 3, expiresOn: '2026-06-30', maxRedemptions: 100 });
  });

  it('tells a person what the coupon gives', async () => {
    const b = await withBilling();
    const run = await b.human(['coupon', 'create', '--code', 'HALF', '--percent-off', '12.5', '--duration', 'repeating', '--months', '2']);
    expect(run.stdout).toMatch(/^Created coupon HALF: 12\.5% off for 2 months\.\n/);
    expect(run.stdout).toMatch(/Expires: +never\n/);
    const once = await b.human(['coupon', 'create', '--code', 'ONCE', '--amount-off', '7.5', '--duration', 'once', '--max-redemptions', '3']);
    expect(once.stdout).toMatch(/^Created coupon ONCE: \$7\.50 off on one invoice\.\n/);
    expect(once.stdout).toMatch(/Redeemed: +0 of at most 3\n/);
  });

  it.each([
    [['--percent-off', '20', '--duration', 'repeating'], 'durationMonths', '--months', 'Say for how many months it repeats'],
    [['--percent-off', '20', '--duration', 'forever', '--months', '2'], 'durationMonths', '--months', 'Months apply only to a repeating coupon'],
    [['--percent-off', 'abc', '--duration', 'once'], 'percentOff', '--percent-off', 'Use a percentage like 20 or 12.5'],
    [['--percent-off', '120', '--duration', 'once'], 'percentOff', '--percent-off', 'A percentage is more than 0 and at most 100'],
    [['--amount-off', '0', '--duration', 'once'], 'amountOff', '--amount-off', 'The amount must be more than zero'],
    [['--amount-off', '2.555', '--duration', 'once'], 'amountOff', '--amount-off', 'USD allows at most 2 decimal places'],
    [['--amount-off', '5', '--duration', 'weekly'], 'duration', '--duration', 'Duration must be once, repeating or forever'],
    [['--amount-off', '5', '--duration', 'once', '--expires-on', '2026-02-30'], 'expiresOn', '--expires-on', 'Use a date like 2026-03-01'],
    [['--amount-off', '5', '--duration', 'once', '--max-redemptions', '0'], 'maxRedemptions', '--max-redemptions', 'At least 1'],
  ])('refuses %j: validation on %s naming %s (exit 1)', async (flags, field, flag, message) => {
    const b = await withBilling();
    const refusal = await b.refused(['coupon', 'create', '--code', 'X1', ...flags]);
    expect(refusal).toMatchObject({ code: 1, stdout: '', error: { code: 'validation', field, message } });
    expect(refusal.stderr).toBe(`Error: ${flag}: ${message}\n`);
  });

  it('needs exactly one of --percent-off and --amount-off (usage, exit 2)', async () => {
    const b = await withBilling();
    const neither = await b.refused(['coupon', 'create', '--code', 'X1', '--duration', 'once']);
    expect(neither).toMatchObject({ code: 2, error: { code: 'usage', message: 'Give --percent-off or --amount-off' } });
    const both = await b.refused(['coupon', 'create', '--code', 'X1', '--duration', 'once', '--percent-off', '5', '--amount-off', '5']);
    expect(both).toMatchObject({ code: 2, error: { code: 'usage', message: expect.stringContaining('cannot be used with') } });
  });

  it('refuses a code in use (1) and a viewer (3); staff may create', async () => {
    const b = await withBilling();
    await b.coupon('--code', 'TWENTY', '--percent-off', '20', '--duration', 'forever');
    const taken = await b.refused(['coupon', 'create', '--code', 'twenty', '--percent-off', '10', '--duration', 'once']);
    expect(taken).toMatchObject({ code: 1, error: { code: 'conflict', field: 'code' } });
    expect((await b.refused(['coupon', 'create', '--code', 'V1', '--percent-off', '10', '--duration', 'once'], await b.as('viewer'))).code).toBe(3);
    expect((await b.human(['coupon', 'create', '--code', 'S1', '--percent-off', '10', '--duration', 'once'], await b.as('staff'))).code).toBe(0);
  });
});

describe('recurra coupon list', () => {
  it('lists the coupons as [coupon], and as a table for people', async () => {
    const b = await withBilling();
    expect(await b.json<Coupon[]>(['coupon', 'list'])).toEqual([]);
    const twenty = await b.coupon('--code', 'TWENTY', '--percent-off', '20', '--duration', 'forever');
    const five = await b.coupon('--code', 'FIVE', '--amount-off', '5', '--duration', 'once', '--expires-on', '2026-12-31');
    expect((await b.json<Coupon[]>(['coupon', 'list'])).map((c) => c.id).sort()).toEqual([twenty.id, five.id].sort());
    const table = (await b.human(['coupon', 'list'])).stdout;
    expect(table).toMatch(/^ID +CODE +DISCOUNT +EXPIRES +REDEEMED +ARCHIVED\n/);
    expect(table).toMatch(/ FIVE +\$5\.00 off on one invoice +2026-12-31 +0\n/);
    expect(table).toMatch(/ TWENTY +20% off forever +0\n/);
  });
});
