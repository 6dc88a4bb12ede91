import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAST } from './pcs';
import { apiClient, keyedBusiness, type ApiClient, type KeyedBusiness } from './api-support';
import { startTestServer, storageKinds, type TestServer } from './support';

// POST /v1/subscriptions at the same moment, twice or more: the checks that
// read the business (a license key another subscription has, a coupon's last
// redemption) and the write take turns per business, and the checks read the
// changes not folded into the projection yet (the other request's, committed a
// moment ago). Exactly one of the racing requests succeeds. On PostgreSQL the
// requests run on separate connections, which is where a missing lock lets
// them all through; PGlite runs them one after another on its one connection.

const RACERS = 4;

describe.each(storageKinds)('concurrent POST /v1/subscriptions on %s', (kind) => {
  let server: TestServer;
  let client: ApiClient;
  let biz: KeyedBusiness;
  let planId: string;

  beforeAll(async () => {
    server = await startTestServer(kind, { apiRatePerSecond: 10_000 });
    client = await apiClient(server);
    biz = await keyedBusiness(server, 'Race Studio', 'jane@race.example');
    planId = (await biz.pc.ok<{ plan: { id: string } }>(['plan', 'create', '--name', 'Monthly', '--price', '30.00', '--interval', 'month'])).plan.id;
    await biz.pc.ok(['coupon', 'create', '--code', 'LASTONE', '--percent-off', '10', '--duration', 'once', '--max-redemptions', '2']);
    await biz.pc.ok(['sync', 'now']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const race = (body: (i: number) => Record<string, unknown>) =>
    Promise.all(Array.from({ length: RACERS }, (_, i) => client.api('POST', '/v1/subscriptions', { key: biz.write, body: { customerId: i % 2 ? biz.john.id : biz.jane.id, planId, startDate: PAST, ...body(i) } })));

  it('one license key asked for by several requests at once: one subscription has it, the others are 409', async () => {
    const replies = await race(() => ({ licenseKey: 'RACE-KEY-0001' }));
    expect(replies.map((r) => r.status).sort()).toEqual([201, ...Array(RACERS - 1).fill(409)]);
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.error).toMatchObject({ code: 'license_key_taken', param: 'licenseKey' });
    // And afterwards, once folded, still taken.
    const again = await client.api('POST', '/v1/subscriptions', { key: biz.write, body: { customerId: biz.jane.id, planId, startDate: PAST, licenseKey: 'race-key-0001'.toUpperCase() } });
    expect(again.status).toBe(409);
  });

  it("a coupon's last redemptions asked for by several requests at once: as many succeed as it had left", async () => {
    // One of its two redemptions is used first, so one is left for the racers.
    expect((await client.api('POST', '/v1/subscriptions', { key: biz.write, body: { customerId: biz.jane.id, planId, startDate: PAST, couponCode: 'LASTONE' } })).status).toBe(201);
    const replies = await race(() => ({ couponCode: 'LASTONE' }));
    expect(replies.map((r) => r.status).sort()).toEqual([201, ...Array(RACERS - 1).fill(400)]);
    for (const r of replies.filter((x) => x.status === 400)) expect(r.body.error).toMatchObject({ param: 'couponCode' });
    // The PC counts what the server let through: two redemptions, not more.
    await biz.pc.ok(['sync', 'now']);
    const coupons = await biz.pc.ok<{ code: string; timesRedeemed: number }[]>(['coupon', 'list']);
    expect(coupons.find((c) => c.code === 'LASTONE')).toMatchObject({ timesRedeemed: 2 });
  });
});
