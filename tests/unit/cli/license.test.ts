import { describe, expect, it } from 'vitest';
import type { SubscriptionLicense } from '@shared/contract/billing';
import { dateInTimeZone } from '@shared/domain/dates';
import { makeCore } from '../../support/core';
import { applyServerChanges, edit, machineInsert } from '../../support/server-changes';
import { withBilling, type Plan, type Subscription } from './billing-fixtures';

const GENERATED = /^[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){4}$/;

describe('plans: machines per license key', () => {
  it('plan create --max-machines N and plan update --max-machines N|unlimited; maxMachines in the plan JSON (null: unlimited)', async () => {
    const b = await withBilling();
    const unlimited = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    expect(unlimited.maxMachines).toBeNull();
    const three = await b.plan('--name', 'Team', '--price', '30', '--interval', 'month', '--max-machines', '3');
    expect(three.maxMachines).toBe(3);
    expect((await b.json<{ plan: Plan }>(['plan', 'update', three.id, '--max-machines', '5'])).plan).toMatchObject({ maxMachines: 5, name: 'Team', price: 3000 });
    expect((await b.json<{ plan: Plan }>(['plan', 'update', three.id, '--name', 'Team+'])).plan).toMatchObject({ maxMachines: 5, name: 'Team+' });
    expect((await b.json<{ plan: Plan }>(['plan', 'update', three.id, '--max-machines', 'unlimited'])).plan.maxMachines).toBeNull();
    const shown = await b.human(['plan', 'update', three.id, '--max-machines', '2']);
    expect(shown.stdout).toMatch(/Machines per license: +2\n/);
  });

  it.each([
    ['0', 'At least 1 machine (leave it empty for unlimited)'],
    ['2.5', 'Give a whole number of machines, like 3, or "unlimited"'],
    ['lots', 'Give a whole number of machines, like 3, or "unlimited"'],
  ])('refuses --max-machines %s naming maxMachines, and writes nothing', async (value, message) => {
    const b = await withBilling();
    const refusal = await b.refused(['plan', 'create', '--name', 'Team', '--price', '30', '--interval', 'month', '--max-machines', value]);
    expect(refusal).toMatchObject({ code: 1, stdout: '', error: { code: 'validation', field: 'maxMachines', message } });
    expect(refusal.stderr).toBe(`Error: --max-machines: ${message}\n`);
    expect(await b.json<Plan[]>(['plan', 'list'])).toEqual([]);
  });

  it('plan update with nothing to change is a usage error', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    expect(await b.refused(['plan', 'update', plan.id])).toMatchObject({ code: 2 });
  });
});

describe('subscriptions: license keys', () => {
  it('--license generates a readable key; --license-key KEY takes one, unique per business (conflict naming licenseKey)', async () => {
    const b = await withBilling();
    const plan = await b.plan('--name', 'Basic', '--price', '10', '--interval', 'month');
    const customer = await b.customer();
    const generated = await b.subscribe(customer.id, plan.id, '2026-03-01', '--license');
    expect(generated.licenseKey).toMatch(GENERATED);
    const plain = await b.subscribe(customer.id, plan.id, '2026-03-01');
    expect(plain).toMatchObject({ licenseKey: null, licenseExpiresOn: null });
    const own = await b.subscribe(customer.id, plan.id, '2026-03-01', '--license-key', ' ACME-2026-0001 ');
    expect(own.licenseKey).toBe('ACME-2026-0001');

    const taken = await b.refused(['subscription', 'create', '--customer', customer.id, '--plan', plan.id, '--start', '2026-03-01', '--license-key', 'ACME-2026-0001']);
    expect(taken).toMatchObject({ code: 1, stdout: '', error: { code: 'conflict', field: 'licenseKey', message: 'Another subscription already has the license key ACME-2026-0001' } });
    expect(taken.stderr).toBe('Error: --license-key: Another subscription already has the license key ACME-2026-0001\n');
    const bad = await b.refused(['subscription', 'create', '--customer', customer.id, '--plan', plan.id, '--start', '2026-03-01', '--license-key', 'two words']);
    expect(bad).toMatchObject({ code: 1, error: { code: 'validation', field: 'licenseKey', message: 'Use letters, digits, dashes, dots and underscores' } });
    expect((await b.json<{ rows?: unknown[] } | Subscription[]>(['subscription', 'list'])) as Subscription[]).toHaveLength(3);

    // create prints the key and its expiry with the subscription; show prints them in its license block.
    const created = await b.human(['subscription', 'create', '--customer', customer.id, '--plan', plan.id, '--start', '2026-03-01', '--license-key', 'ACME-2026-0002']);
    expect(created.stdout).toMatch(/License key: +ACME-2026-0002\n/);
    expect(created.stdout).toMatch(/License expires on: +2026-04-01\n/);
    const human = await b.human(['subscription', 'show', own.id]);
    expect(human.stdout).toMatch(/\nLicense:\n {2}Key: +ACME-2026-0001\n {2}Status: +expired on 2026-04-01\n/);
    expect(human.stdout).not.toMatch(/License key:/);
  });

  it('the expiry follows the subscription: trial end, the paid period, the dunning days when past_due, the cancellation', async () => {
    const b = await withBilling();
    const show = async (id: string) => (await b.json<{ subscription: Subscription }>(['subscription', 'show', id])).subscription;
    const trialPlan = await b.plan('--name', 'Trial', '--price', '30', '--interval', 'month', '--trial-days', '14');
    const monthly = await b.plan('--name', 'Monthly', '--price', '30', '--interval', 'month');
    const payer = await b.customer('Paula Payer', 'card');
    const decliner = await b.customer('Dan Decline', 'card_declining');
    const recovers = await b.customer('Rita Recover', 'card_declining');

    const trial = await b.subscribe(payer.id, trialPlan.id, '2026-03-10', '--license');
    expect(trial).toMatchObject({ status: 'trialing', licenseExpiresOn: '2026-03-24' });
    const failing = await b.subscribe(decliner.id, monthly.id, '2026-03-01', '--license');
    // Not billed yet: good for the first period, so a key handed over at once works.
    expect(failing).toMatchObject({ status: 'active', licenseExpiresOn: '2026-04-01' });
    const recovering = await b.subscribe(recovers.id, monthly.id, '2026-03-01', '--license');

    await b.run('2026-03-01');
    // Declined on 03-01: past_due, valid through the dunning days (+3, +5, +7: the last retry on 03-08).
    expect(await show(failing.id)).toMatchObject({ status: 'past_due', licenseExpiresOn: '2026-03-08' });
    expect(await show(recovering.id)).toMatchObject({ status: 'past_due', licenseExpiresOn: '2026-03-08' });

    // Rita's card works again before the first retry: active, valid through the period paid.
    await b.json(['customer', 'update', recovers.id, '--payment-method', 'card']);
    await b.run('2026-03-05');
    expect(await show(recovering.id)).toMatchObject({ status: 'active', licenseExpiresOn: '2026-04-01' });
    expect(await show(failing.id)).toMatchObject({ status: 'past_due', licenseExpiresOn: '2026-03-08' });

    await b.run('2026-03-24');
    // The last retry failed on 03-08: canceled, and the license ended that day.
    expect(await show(failing.id)).toMatchObject({ status: 'canceled', canceledAt: '2026-03-08', licenseExpiresOn: '2026-03-08' });
    // The trial ended and the first period was paid.
    expect(await show(trial.id)).toMatchObject({ status: 'active', licenseExpiresOn: '2026-04-24' });

    await b.run('2026-04-01');
    expect(await show(recovering.id)).toMatchObject({ status: 'active', licenseExpiresOn: '2026-05-01' });
    await b.json(['subscription', 'cancel', recovering.id, '--on', '2026-04-10']);
    expect(await show(recovering.id)).toMatchObject({ status: 'canceled', licenseExpiresOn: '2026-04-10' });
  });
});

describe('subscription show: the license block', () => {
  it('prints the key, where it stands, machines n of max and the last validation, and carries them in --json beside an unchanged subscription', async () => {
    const b = await withBilling();
    // The CLI reads the real clock: a subscription from today (the business is in New York) is valid through its first period.
    const today = dateInTimeZone(new Date(), 'America/New_York');
    const plan = await b.plan('--name', 'Desktop', '--price', '99', '--interval', 'month', '--max-machines', '3');
    const customer = await b.customer();
    const fresh = await b.subscribe(customer.id, plan.id, today, '--license-key', 'ACME-2026-0001');
    const old = await b.subscribe(customer.id, plan.id, '2026-01-01', '--license');
    const plain = await b.subscribe(customer.id, plan.id, today);

    // What the server's activations, a deactivation and a validation leave on this PC after a pull.
    const { core } = makeCore({ dataDir: b.dataDir });
    const db = core.businesses.get(b.businessId);
    applyServerChanges(db, [
      machineInsert({ id: 'm1', subscription_id: fresh.id, fingerprint: '3f9a1c0b7d2e4f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6e04b', name: 'Reception PC', activated_at: `${today}T14:00:00.000Z`, last_seen_on: today }),
      machineInsert({ id: 'm2', subscription_id: fresh.id, fingerprint: 'laptop-2', name: null, activated_at: `${today}T15:00:00.000Z` }),
      machineInsert({ id: 'm3', subscription_id: fresh.id, fingerprint: 'old-desk', name: 'Old desk', activated_at: `${today}T09:00:00.000Z`, deactivated_at: `${today}T10:00:00.000Z` }),
      edit('subscriptions', fresh.id, { license_validated_on: today }, { license_validated_on: null }),
    ]);
    core.close();

    const shown = await b.json<{ subscription: Subscription; license: SubscriptionLicense }>(['subscription', 'show', fresh.id]);
    expect(shown.subscription).toEqual(fresh);
    expect(shown.license).toEqual({
      key: 'ACME-2026-0001',
      status: 'valid',
      expiresOn: fresh.licenseExpiresOn,
      validatedOn: today,
      maxMachines: 3,
      activeMachines: 2,
      machines: [
        expect.objectContaining({ id: 'm1', name: 'Reception PC', deactivatedAt: null, lastSeenOn: today }),
        expect.objectContaining({ id: 'm2', name: null, deactivatedAt: null, lastSeenOn: null }),
        expect.objectContaining({ id: 'm3', name: 'Old desk', deactivatedAt: `${today}T10:00:00.000Z` }),
      ],
    });
    expect(fresh.licenseExpiresOn! > today).toBe(true);

    const human = (await b.human(['subscription', 'show', fresh.id])).stdout;
    expect(human).toContain(
      [
        'License:',
        '  Key:             ACME-2026-0001',
        `  Status:          valid, expires on ${fresh.licenseExpiresOn}`,
        '  Machines:        2 of 3 active (1 deactivated)',
        `  Last validated:  ${today}`,
        '',
      ].join('\n'),
    );
    expect(human).toMatch(/ {2}MACHINE +FINGERPRINT +ACTIVATED +LAST SEEN +STATUS\n/);
    expect(human).toMatch(new RegExp(`  Reception PC +3f9a1c0b7d2e4f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6e04b +${today} +${today} +active\n`));
    expect(human).toMatch(new RegExp(`  \\(no name\\) +laptop-2 +${today} +never +active\n`));
    expect(human).toMatch(new RegExp(`  Old desk +old-desk +${today} +never +deactivated ${today}\n`));
    // The block comes before the history.
    expect(human.indexOf('License:')).toBeLessThan(human.indexOf('History:'));

    // Expired, never validated, no machines.
    const oldHuman = (await b.human(['subscription', 'show', old.id])).stdout;
    expect(oldHuman).toMatch(/ {2}Status: +expired on 2026-02-01\n {2}Machines: +none activated \(up to 3\)\n {2}Last validated: +never\n/);
    expect(oldHuman).toContain('No machines activated yet: the product activates them through the license API.');
    expect((await b.json<{ license: SubscriptionLicense }>(['subscription', 'show', old.id])).license).toMatchObject({ status: 'expired', expiresOn: '2026-02-01', machines: [] });

    // No key: no block, and license null.
    expect((await b.human(['subscription', 'show', plain.id])).stdout).not.toContain('License');
    expect(await b.json<{ license: null }>(['subscription', 'show', plain.id])).toMatchObject({ license: null });
  });
});
