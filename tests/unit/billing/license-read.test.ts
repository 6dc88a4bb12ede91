import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { billingBusiness } from '../../support/billing';
import { call, callError, connect, type FakeClock } from '../../support/core';
import { applyServerChanges, edit, machineInsert } from '../../support/server-changes';

// subscriptions.get's `license` and business.licensePublicKey, over rows the
// server writes (spec/server.md "License keys"), applied as a pull applies them.

/** What the server stores: base64 of the raw 32-byte Ed25519 public key (the last 32 bytes of its SPKI DER). */
const PUBLIC_KEY = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');

async function licensed(opts: { timezone?: string } = {}) {
  const b = await billingBusiness(opts);
  const plan = await b.plan({ price: 9900, maxMachines: 3 });
  const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', licenseKey: 'ACME-2026-0001' });
  return { b, plan, sub };
}

describe('subscriptions.get: the license', () => {
  it('a key nobody validated yet: valid through the first period, no machines, the plan’s limit', async () => {
    const { b, sub } = await licensed();
    const { license } = await b.call('subscriptions.get', { id: sub.id });
    expect(license).toEqual({
      key: 'ACME-2026-0001',
      status: 'valid',
      expiresOn: '2026-04-01',
      validatedOn: null,
      maxMachines: 3,
      activeMachines: 0,
      machines: [],
    });
    b.close();
  });

  it('a subscription without a key has no license', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1000 });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01' });
    expect((await b.call('subscriptions.get', { id: sub.id })).license).toBeNull();
    b.close();
  });

  it('shows the machines and the last validation the server synced: active ones first, deactivated ones marked', async () => {
    const { b, sub } = await licensed();
    const applied = applyServerChanges(b.db, [
      machineInsert({ id: 'm1', subscription_id: sub.id, fingerprint: 'f0'.repeat(32), name: 'Old laptop', activated_at: '2026-03-01T09:00:00.000Z' }),
      machineInsert({ id: 'm2', subscription_id: sub.id, fingerprint: 'a1'.repeat(32), name: 'Reception PC', activated_at: '2026-03-02T10:00:00.000Z', last_seen_on: '2026-03-02' }),
      machineInsert({ id: 'm3', subscription_id: sub.id, fingerprint: 'b2b2', name: null, activated_at: '2026-03-01T15:00:00.000Z' }),
    ]);
    expect(applied).toMatchObject({ applied: 3, conflicts: 0 });
    // Later: the old laptop deactivated, the reception PC seen again, the key validated today.
    applyServerChanges(b.db, [
      edit('license_machines', 'm1', { deactivated_at: '2026-03-03T08:00:00.000Z' }, { deactivated_at: null }),
      edit('license_machines', 'm2', { last_seen_on: '2026-03-04' }, { last_seen_on: '2026-03-02' }),
      edit('subscriptions', sub.id, { license_validated_on: '2026-03-04' }, { license_validated_on: null }),
    ]);

    const { license } = await b.call('subscriptions.get', { id: sub.id });
    expect(license).toMatchObject({ status: 'valid', validatedOn: '2026-03-04', maxMachines: 3, activeMachines: 2 });
    expect(license!.machines).toEqual([
      { id: 'm3', name: null, fingerprint: 'b2b2', activatedAt: '2026-03-01T15:00:00.000Z', deactivatedAt: null, lastSeenOn: null },
      { id: 'm2', name: 'Reception PC', fingerprint: 'a1'.repeat(32), activatedAt: '2026-03-02T10:00:00.000Z', deactivatedAt: null, lastSeenOn: '2026-03-04' },
      { id: 'm1', name: 'Old laptop', fingerprint: 'f0'.repeat(32), activatedAt: '2026-03-01T09:00:00.000Z', deactivatedAt: '2026-03-03T08:00:00.000Z', lastSeenOn: null },
    ]);
    // The subscription object itself is unchanged (the CLI's contract): the license is beside it.
    const { subscription } = await b.call('subscriptions.get', { id: sub.id });
    expect(subscription).toEqual(sub);

    // Another subscription's machines are not this one's.
    const other = await b.subscribe({ planId: sub.planId, startDate: '2026-03-01', withLicenseKey: true });
    expect((await b.call('subscriptions.get', { id: other.id })).license).toMatchObject({ activeMachines: 0, machines: [] });
    b.close();
  });

  it('the plan’s limit as it is now, and null for unlimited', async () => {
    const { b, plan, sub } = await licensed();
    await b.call('plans.update', { id: plan.id, maxMachines: null });
    expect((await b.call('subscriptions.get', { id: sub.id })).license).toMatchObject({ maxMachines: null });
    b.close();
  });

  it.each([
    // Expires on 04-01; at 2026-03-31T23:30Z it is still 03-31 in New York, and already 04-01 in Auckland.
    ['America/New_York', 'valid'],
    ['UTC', 'valid'],
    ['Pacific/Auckland', 'expired'],
  ] as const)('valid while the business’s today is before the expiry (%s)', async (timezone, status) => {
    const { b, sub } = await licensed({ timezone });
    expect(sub.licenseExpiresOn).toBe('2026-04-01');
    (b.clock as FakeClock).set(new Date('2026-03-31T23:30:00Z'));
    expect((await b.call('subscriptions.get', { id: sub.id })).license).toMatchObject({ expiresOn: '2026-04-01', status });
    (b.clock as FakeClock).set(new Date('2026-04-01T12:00:00Z'));
    expect((await b.call('subscriptions.get', { id: sub.id })).license).toMatchObject({ status: 'expired' });
    b.close();
  });

  it('a canceled subscription’s license expired on the cancellation date', async () => {
    const { b, sub } = await licensed();
    await b.call('subscriptions.cancel', { id: sub.id, on: '2026-03-01' });
    expect((await b.call('subscriptions.get', { id: sub.id })).license).toMatchObject({ status: 'expired', expiresOn: '2026-03-01' });
    b.close();
  });
});

describe('business.licensePublicKey', () => {
  it('null until the server syncs it, then the key; any role may read it', async () => {
    const b = await billingBusiness();
    expect(await b.call('business.licensePublicKey', {})).toEqual({ publicKey: null });
    const businessId = b.db.sqlite.prepare('SELECT id FROM business').pluck().get() as string;
    applyServerChanges(b.db, [edit('business', businessId, { license_public_key: PUBLIC_KEY }, { license_public_key: null })]);
    expect(await b.call('business.licensePublicKey', {})).toEqual({ publicKey: PUBLIC_KEY });

    await b.call('users.create', { name: 'Vera Viewer', email: 'vera@example.com', role: 'viewer', password: 'viewer password' });
    const viewer = connect();
    await call(b.core, viewer, 'auth.login', { businessId: b.businessId, email: 'vera@example.com', password: 'viewer password' });
    expect(await call(b.core, viewer, 'business.licensePublicKey', {})).toEqual({ publicKey: PUBLIC_KEY });
    expect(await callError(b.core, viewer, 'business.licensePublicKey', { extra: 1 })).toMatchObject({ code: 'validation' });
    expect(await callError(b.core, connect(), 'business.licensePublicKey', {})).toMatchObject({ code: 'unauthenticated' });
    b.close();
  });
});
