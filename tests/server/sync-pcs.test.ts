import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeDevice, setSuspended } from '../../src-server/admin/store';
import { createInvite } from '../../src-server/sync/store';
import { businessOnNewPc, customers, pc, PAST } from './pcs';
import { startTestServer, storageKinds, type TestServer } from './support';

// Two PCs (two data folders) and the real server (in this process, on
// 127.0.0.1, PGlite in a temp folder, and PostgreSQL when the run has one),
// driven through the `recurra` command line exactly as a person would:
// spec/server.md, "Connecting PCs" and "What sync guarantees".

describe.each(storageKinds)('two PCs and the sync server on %s', (kind) => {
  let server: TestServer;
  const invite = async () => (await createInvite(server.storage.db, server.clock.now())).code;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('connects, pairs, joins, syncs edits of both PCs to equal digests, lists a conflict, and bills on the billing PC only', async () => {
    const { a, businessId, jane, john } = await businessOnNewPc();

    const connectRun = await a.cli(['sync', 'connect', '--server', server.url, '--invite', await invite(), '--device-name', 'Front desk', '--json']);
    expect(connectRun.code).toBe(0);
    const connected = JSON.parse(connectRun.stdout) as { server: string; deviceId: string; pushed: number };
    expect(Object.keys(connected).sort()).toEqual(['deviceId', 'pushed', 'server']);
    expect(connected.server).toBe(server.url);
    expect(connected.pushed).toBeGreaterThan(3); // the business, its owner, two customers, and more
    // No keychain here: the token is in a 0600 file, and the CLI says so.
    expect(connectRun.stderr).toMatch(/Warning: No system keychain here/);
    expect(fs.statSync(path.join(a.dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(a.dataDir, 'secrets.json'), 'utf8')).toContain(`sync-token:${businessId}`);

    const again = await a.fails(['sync', 'connect', '--server', server.url, '--invite', await invite()], 1);
    expect(again.message).toContain(`already connected to ${server.url}`);
    // A code typed on a PC that already has the business changes nothing there, and the server forgets that device.
    const own = await a.fails(['sync', 'join', '--server', server.url, '--code', (await a.ok<{ code: string }>(['sync', 'pair'])).code, '--device-name', 'Twice'], 1);
    expect(own.message).toContain('already on this PC');

    const paired = await a.ok<{ code: string; expiresAt: string }>(['sync', 'pair']);
    expect(Object.keys(paired).sort()).toEqual(['code', 'expiresAt']);

    const onB: { id?: string } = {};
    const b = pc(() => onB.id);
    const joined = await b.ok<{ business: { id: string; name: string }; deviceId: string; pulled: number }>(
      ['sync', 'join', '--server', server.url, '--code', paired.code, '--device-name', 'Laptop'],
      { RECURRA_USER: '', RECURRA_PASSWORD: '' },
    );
    expect(joined.business).toEqual({ id: businessId, name: 'Sunrise Yoga' });
    expect(joined.deviceId).not.toBe(connected.deviceId);
    expect(joined.pulled).toBe(connected.pushed);
    onB.id = joined.business.id;
    // business list says which businesses are connected, and to which server.
    expect(await b.ok(['business', 'list'])).toEqual([{ id: businessId, name: 'Sunrise Yoga', currency: 'USD', syncServer: connected.server }]);
    // The same login works on the new PC.
    expect((await customers(b)).map((c) => c.name)).toEqual(['Jane Doe', 'John Smith']);

    // Offline edits on both: different fields of one customer, and a new customer on each.
    await a.ok(['customer', 'update', jane.id, '--phone', '+1 555 0100']);
    await b.ok(['customer', 'update', jane.id, '--company', 'Acme']);
    await a.ok(['customer', 'create', '--name', 'Ann Front', '--email', 'ann@example.com']);
    await b.ok(['customer', 'create', '--name', 'Bob Laptop', '--email', 'bob@example.com']);
    const statusB = await b.ok<Record<string, unknown>>(['sync', 'status']);
    expect(Object.keys(statusB).sort()).toEqual(['billingDevice', 'deviceId', 'deviceName', 'lastSyncAt', 'pending', 'server']);
    expect(statusB).toMatchObject({ server: server.url, deviceId: joined.deviceId, deviceName: 'Laptop', billingDevice: { id: connected.deviceId, name: 'Front desk' } });
    expect(statusB.pending).toBeGreaterThan(0);

    for (let round = 0; round < 2; round++) {
      for (const p of [a, b]) {
        const synced = await p.ok<Record<string, unknown>>(['sync', 'now']);
        expect(Object.keys(synced).sort()).toEqual(['conflicts', 'lastSyncAt', 'pulled', 'pushed']);
      }
    }
    const onA = await customers(a);
    expect(onA.map((c) => c.email)).toEqual(['ann@example.com', 'bob@example.com', 'jane@example.com', 'john@example.com']);
    expect(onA.find((c) => c.id === jane.id)).toMatchObject({ phone: '+1 555 0100', company: 'Acme' });
    expect(await customers(b)).toEqual(onA);
    const digestA = await a.ok<{ tables: Record<string, string> }>(['sync', 'digest']);
    expect(Object.keys(digestA.tables)).toContain('customers');
    expect(await b.ok(['sync', 'digest'])).toEqual(digestA);

    // The same field edited on both: the later edit wins everywhere, the other is listed.
    await a.ok(['customer', 'update', john.id, '--name', 'John from the desk']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await b.ok(['customer', 'update', john.id, '--name', 'John from the laptop']);
    await a.ok(['sync', 'now']);
    await b.ok(['sync', 'now']);
    await a.ok(['sync', 'now']);
    expect((await customers(a)).find((c) => c.id === john.id)?.name).toBe('John from the laptop');
    expect(await b.ok(['sync', 'digest'])).toEqual(await a.ok(['sync', 'digest']));
    const listed = [...(await a.ok<Record<string, unknown>[]>(['sync', 'conflicts'])), ...(await b.ok<Record<string, unknown>[]>(['sync', 'conflicts']))];
    const johnConflict = listed.find((c) => c.id === john.id && c.field === 'name');
    expect(johnConflict).toMatchObject({ entity: 'customers', kept: 'John from the laptop', overwritten: 'John from the desk' });
    expect(Object.keys(johnConflict ?? {}).sort()).toEqual(['at', 'entity', 'field', 'id', 'kept', 'overwritten']);
    // Different fields of one row both survive, and neither is listed as overwritten.
    expect(listed.filter((c) => c.id === jane.id && (c.field === 'phone' || c.field === 'company'))).toEqual([]);

    // Billing on one PC: B is refused, naming the billing PC; A bills.
    const refused = await b.fails(['billing', 'run', '--as-of', PAST], 1);
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain('"Front desk"');
    expect(refused.message).toContain(connected.deviceId);
    expect(refused.message).toContain('sync billing-device --take');
    expect(await a.ok(['billing', 'run', '--as-of', PAST])).toMatchObject({ asOf: PAST });

    // The owner moves the billing PC to B (online); A learns it at its next sync and is refused.
    const taken = await b.ok<{ billingDevice: { id: string; name: string } }>(['sync', 'billing-device', '--take']);
    expect(taken).toEqual({ billingDevice: { id: joined.deviceId, name: 'Laptop' } });
    expect(await b.ok(['billing', 'run', '--as-of', PAST])).toMatchObject({ asOf: PAST });
    await a.ok(['sync', 'now']);
    expect(await a.ok(['sync', 'status'])).toMatchObject({ billingDevice: { id: joined.deviceId, name: 'Laptop' } });
    const people = await a.cli(['sync', 'status']);
    expect(people.stdout).toMatch(/Billing PC:\s+Laptop/);
    expect(people.stdout).toMatch(/Twice\s.*revoked/);
    expect((await a.fails(['billing', 'run', '--as-of', PAST], 1)).message).toContain('"Laptop"');

    // B disconnects: the server revokes it, its data stays, sync is off there; A goes on.
    expect(await b.ok(['sync', 'disconnect'])).toEqual({ disconnected: true });
    expect(await b.ok(['sync', 'status'])).toMatchObject({ server: null, deviceId: null, pending: 0 });
    expect((await customers(b)).length).toBe(4);
    expect((await b.fails(['sync', 'now'], 1)).message).toMatch(/not connected/);
    expect(fs.readFileSync(path.join(b.dataDir, 'secrets.json'), 'utf8')).not.toContain(`sync-token:${businessId}`);
    // Nobody bills until the owner takes the role on a connected PC.
    expect((await a.fails(['billing', 'run', '--as-of', PAST], 1)).message).toContain('"Laptop"');
    expect(await a.ok(['sync', 'billing-device', '--take'])).toEqual({ billingDevice: { id: connected.deviceId, name: 'Front desk' } });
    expect(await a.ok(['billing', 'run', '--as-of', PAST])).toMatchObject({ asOf: PAST });
    // A disconnected business bills where it is, as before it synced.
    expect(await b.ok(['billing', 'run', '--as-of', PAST])).toMatchObject({ asOf: PAST });
  });

  it('refuses a wrong invite, an unreachable server and a non-owner, writing nothing locally', async () => {
    const { a } = await businessOnNewPc('Refused Ltd');

    const wrong = await a.fails(['sync', 'connect', '--server', server.url, '--invite', 'AAAA-BBBB-CCCC-DDDD'], 1);
    expect(wrong).toMatchObject({ code: 'validation', field: 'inviteCode' });
    expect(wrong.message).toContain('(invalid_invite)');
    const human = await a.cli(['sync', 'connect', '--server', server.url, '--invite', 'AAAA-BBBB-CCCC-DDDD']);
    expect(human.stderr).toMatch(/^Error: --invite: .*invalid_invite/);

    const down = await a.fails(['sync', 'connect', '--server', 'http://127.0.0.1:9', '--invite', await invite()], 1);
    expect(down.message).toContain('Cannot reach the sync server at http://127.0.0.1:9');

    const badUrl = await a.fails(['sync', 'connect', '--server', 'sync.example.com', '--invite', 'X'], 1);
    expect(badUrl).toMatchObject({ code: 'validation', field: 'server' });

    await a.ok(['user', 'create', '--name', 'Sam', '--email', 'sam@example.com', '--role', 'staff'], { RECURRA_NEW_PASSWORD: 'password one' });
    const staff = await a.fails(['sync', 'connect', '--server', server.url, '--invite', await invite()], 3, {
      RECURRA_USER: 'sam@example.com',
      RECURRA_PASSWORD: 'password one',
    });
    expect(staff.code).toBe('forbidden');
    const before = await a.ok(['sync', 'digest']);
    expect(await a.fails(['sync', 'connect', '--server', server.url, '--invite', 'AAAA-BBBB-CCCC-DDDD'], 1)).toMatchObject({ field: 'inviteCode' });

    expect(await a.ok(['sync', 'status'])).toEqual({ server: null, deviceId: null, deviceName: null, billingDevice: null, pending: 0, lastSyncAt: null });
    // The data folder's secrets hold the business's data key, and no device token.
    const secrets = JSON.parse(fs.readFileSync(path.join(a.dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(secrets).filter((account) => !account.startsWith('business-key:'))).toEqual([]);
    expect(await a.ok(['sync', 'digest'])).toEqual(before);
    expect((await a.fails(['sync', 'pair'], 1)).message).toMatch(/not connected/);

    // A wrong pairing code on a new PC leaves no business there.
    const c = pc(() => undefined);
    const badCode = await c.fails(['sync', 'join', '--server', server.url, '--code', 'ZZZZ-ZZZZ-ZZZZ'], 1);
    expect(badCode).toMatchObject({ code: 'validation', field: 'code' });
    expect(badCode.message).toContain('(invalid_pairing_code)');
    expect(await c.ok(['business', 'list'])).toEqual([]);
    expect(fs.readdirSync(path.join(c.dataDir, 'businesses'))).toEqual([]);
  });

  it('says so when the server revokes the PC or suspends the business; the PC keeps working offline', async () => {
    const { a, businessId, jane } = await businessOnNewPc('Revoked Inc');
    const connected = await a.ok<{ deviceId: string }>(['sync', 'connect', '--server', server.url, '--invite', await invite()]);
    await a.ok(['customer', 'update', jane.id, '--phone', '+1 555 0199']);

    await setSuspended(server.storage.db, businessId, true, server.clock.now());
    const suspended = await a.fails(['sync', 'now'], 3);
    expect(suspended.code).toBe('forbidden');
    expect(suspended.message).toContain('(business_suspended)');
    expect((await a.ok(['sync', 'status'])).pending).toBeGreaterThan(0);
    const human = await a.cli(['sync', 'status']);
    expect(human.stdout).toMatch(/suspended/);
    await setSuspended(server.storage.db, businessId, false, server.clock.now());
    expect((await a.ok<{ pushed: number }>(['sync', 'now'])).pushed).toBeGreaterThan(0);

    await revokeDevice(server.storage.db, connected.deviceId, server.clock.now());
    await a.ok(['customer', 'update', jane.id, '--phone', '+1 555 0142']);
    const revoked = await a.fails(['sync', 'now'], 3);
    expect(revoked.code).toBe('forbidden');
    expect(revoked.message).toContain('(device_revoked)');
    expect((await a.ok<{ pending: number }>(['sync', 'status'])).pending).toBeGreaterThan(0);
    expect((await customers(a)).find((c) => c.id === jane.id)?.phone).toBe('+1 555 0142');
    // Disconnecting a revoked PC still works: the server has already let it go.
    expect(await a.ok(['sync', 'disconnect'])).toEqual({ disconnected: true });
  });
});
