import { describe, expect, it } from 'vitest';
import { withBilling, type Plan } from './billing-fixtures';

const PRO = ['--name', 'Pro', '--price', '29.00', '--interval', 'month'];

describe('recurra plan create', () => {
  it('prints {plan} with the spec keys, money in minor units beside its currency', async () => {
    const b = await withBilling();
    const { plan } = await b.json<{ plan: Plan }>(['plan', 'create', ...PRO, '--trial-days', '14', '--setup-fee', '10', '--code', 'PRO-M']);
    expect(plan).toMatchObject({
      id: expect.any(String),
      name: 'Pro',
      code: 'PRO-M',
      price: 2900,
      currency: 'USD',
      interval: 'month',
      intervalCount: 1,
      trialDays: 14,
      setupFee: 1000,
      archived: false,
    });
  });

  it('takes the interval count, a description, features and tiers', async () => {
    const b = await withBilling();
    const fortnightly = await b.plan('--name', 'Fortnight', '--price', '1,250.5', '--interval', 'week', '--interval-count', '2', '--description', 'Two weeks', '--features', 'Towel, Mat,');
    expect(fortnightly).toMatchObject({ price: 125050, interval: 'week', intervalCount: 2, description: 'Two weeks', features: ['Towel', 'Mat'] });
    const seats = await b.plan('--name', 'Seats', '--interval', 'month', '--tiers', '10:5.00, *:4.00');
    expect(seats).toMatchObject({ pricingModel: 'graduated', price: 0, tiers: [{ upTo: 10, unitAmount: 500, flatAmount: 0 }, { upTo: null, unitAmount: 400, flatAmount: 0 }] });
    const volume = await b.plan('--name', 'Volume', '--interval', 'month', '--tiers', '10:5.00+20.00,*:4', '--pricing', 'volume');
    expect(volume).toMatchObject({ pricingModel: 'volume', tiers: [{ upTo: 10, unitAmount: 500, flatAmount: 2000 }, { upTo: null, unitAmount: 400, flatAmount: 0 }] });
  });

  it('tells a person what was created, money formatted', async () => {
    const b = await withBilling();
    const run = await b.human(['plan', 'create', ...PRO, '--trial-days', '14', '--setup-fee', '10']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Created plan Pro: \$29\.00 per month\.\n/);
    expect(run.stdout).toMatch(/Trial: +14 days\n/);
    expect(run.stdout).toMatch(/Setup fee: +\$10\.00\n/);
    const tiered = await b.human(['plan', 'create', '--name', 'Seats', '--interval', 'week', '--interval-count', '2', '--tiers', '10:5.00,*:4.00']);
    expect(tiered.stdout).toMatch(/^Created plan Seats: graduated tiers every 2 weeks\.\n/);
    expect(tiered.stdout).toMatch(/Tiers: +1-10 at \$5\.00, 11\+ at \$4\.00\n/);
  });

  it.each([
    [['--price', '29.999'], 'price', '--price', 'USD allows at most 2 decimal places'],
    [['--price', 'abc'], 'price', '--price', 'Enter an amount like 29.00'],
    [['--price', '-5'], 'price', '--price', 'The amount cannot be negative'],
    [['--price=-5.00'], 'price', '--price', 'The amount cannot be negative'],
    [['--price', '1.00', '--setup-fee', '1.001'], 'setupFee', '--setup-fee', 'USD allows at most 2 decimal places'],
    [['--price', '1.00', '--interval', 'fortnight'], 'interval', '--interval', 'Interval must be day, week, month, quarter or year'],
    [['--price', '1.00', '--interval-count', '0'], 'intervalCount', '--interval-count', 'The interval count is at least 1'],
    [['--price', '1.00', '--interval-count', '2.5'], 'intervalCount', '--interval-count', 'Give a whole number, like 2'],
    [['--price', '1.00', '--trial-days', '-1'], 'trialDays', '--trial-days', 'Trial days cannot be negative'],
    [['--tiers', '10-5.00'], 'tiers', '--tiers', 'Write tiers like 10:5.00,*:4.00 (up to 10 units at 5.00, the rest at 4.00)'],
    [['--tiers', '10:5.00,*:4.001'], 'tiers', '--tiers', 'USD allows at most 2 decimal places'],
    [['--tiers', '10:5.00', '--pricing', 'stepped'], 'pricingModel', '--pricing', 'Pricing must be flat, graduated or volume'],
    [['--price', '1.00', '--name', ' '], 'name', '--name', 'Enter a name'],
  ])('refuses %j: validation on %s, exit 1, the flag named for people', async (flags, field, flag, message) => {
    const b = await withBilling();
    const base = ['plan', 'create', '--name', 'Pro', '--interval', 'month'];
    const refusal = await b.refused([...base, ...flags]);
    expect(refusal).toMatchObject({ code: 1, stdout: '', error: { code: 'validation', field, message } });
    expect(refusal.stderr).toBe(`Error: ${flag}: ${message}\n`);
    expect(await b.json<Plan[]>(['plan', 'list'])).toEqual([]);
  });

  it('needs --price unless --tiers gives it (usage, exit 2); a taken code is a conflict (1)', async () => {
    const b = await withBilling();
    const missing = await b.refused(['plan', 'create', '--name', 'Pro', '--interval', 'month']);
    expect(missing).toMatchObject({ code: 2, error: { code: 'usage', message: "required option '--price <amount>' not specified" } });
    await b.plan(...PRO, '--code', 'pro');
    const taken = await b.refused(['plan', 'create', ...PRO, '--code', 'PRO']);
    expect(taken).toMatchObject({ code: 1, error: { code: 'conflict', field: 'code', message: 'Another plan already uses the code PRO' } });
    expect(taken.stderr).toBe('Error: --code: Another plan already uses the code PRO\n');
  });

  it('lets staff create, and refuses a viewer with exit 3', async () => {
    const b = await withBilling();
    expect((await b.human(['plan', 'create', ...PRO], await b.as('staff'))).code).toBe(0);
    const refusal = await b.refused(['plan', 'create', ...PRO, '--code', 'other'], await b.as('viewer'));
    expect(refusal).toMatchObject({ code: 3, error: { code: 'forbidden', message: 'Your role does not allow this' } });
    expect(refusal.stderr).toBe('Error: Your role does not allow this\n');
  });
});

describe('recurra plan list, show and archive', () => {
  it('lists the plans cheapest first as [plan]; archived ones only with --include-archived', async () => {
    const b = await withBilling();
    const pro = await b.plan(...PRO);
    const basic = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    expect((await b.json<Plan[]>(['plan', 'list'])).map((p) => p.name)).toEqual(['Basic', 'Pro']);
    const { plan: archived } = await b.json<{ plan: Plan }>(['plan', 'archive', basic.id]);
    expect(archived).toMatchObject({ id: basic.id, archived: true });
    expect(await b.json<Plan[]>(['plan', 'list'])).toEqual([pro]);
    expect((await b.json<Plan[]>(['plan', 'list', '--include-archived'])).map((p) => [p.name, p.archived])).toEqual([['Pro', false], ['Basic', true]]);
    expect(await b.json<{ plan: Plan }>(['plan', 'show', pro.id])).toEqual({ plan: pro });
  });

  it('shows people an aligned table, and says when there are none', async () => {
    const b = await withBilling();
    expect((await b.human(['plan', 'list'])).stdout).toBe('No plans yet. Add one with: recurra plan create --help\n');
    await b.plan(...PRO, '--trial-days', '7');
    await b.plan('--name', 'Yearly', '--price', '300', '--interval', 'year');
    const [header, first, second] = (await b.human(['plan', 'list'])).stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +CODE +NAME +PRICE +TRIAL +ACTIVE +ARCHIVED$/);
    expect(first).toMatch(/ pro +Pro +\$29\.00 per month +7 days +0$/);
    expect(second).toMatch(/ yearly +Yearly +\$300\.00 per year +0$/);
    expect(first!.indexOf('Pro ')).toBe(second!.indexOf('Yearly'));
  });

  it('refuses an unknown plan as not found (1), and a viewer archiving (3)', async () => {
    const b = await withBilling();
    const missing = await b.refused(['plan', 'archive', 'no-such-plan']);
    expect(missing).toMatchObject({ code: 1, error: { code: 'not_found', field: 'id', message: 'That plan was not found' } });
    expect(missing.stderr).toBe('Error: plan no-such-plan: That plan was not found\n');
    const pro = await b.plan(...PRO);
    expect((await b.refused(['plan', 'archive', pro.id], await b.as('viewer'))).code).toBe(3);
    expect((await b.json<Plan[]>(['plan', 'list'], await b.as('staff'))).map((p) => p.archived)).toEqual([false]);
  });
});
