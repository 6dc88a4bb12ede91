import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connectNewBusiness, joinDevice, makeChange, startTestServer, storageKinds, type TestServer } from './support';

// The spec's stateless promise: two server processes on one PostgreSQL behave
// as one. Here two servers (each with its own connection pool) share one
// database; three devices push through both at once while a fourth pulls
// through both, and the puller must see every change exactly once, in seq order.
describe.skipIf(!storageKinds.includes('postgres'))('two servers on one PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startTestServer('postgres');
    b = await startTestServer('postgres', { databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('never lets a reader skip a change committed later with a lower seq', async () => {
    const first = await connectNewBusiness(a, 'Busy');
    const pushers = [first, await joinDevice(b, first.token), await joinDevice(a, first.token)];
    const reader = await joinDevice(b, first.token, 'Reader');
    const servers = [a, b];
    const rounds = 25;
    const perPush = 8;
    let pushing = true;

    const push = async (device: (typeof pushers)[number], d: number) => {
      for (let round = 0; round < rounds; round++) {
        const changes = Array.from({ length: perPush }, (_, i) => makeChange(device.deviceId, round * perPush + i, { d, round }));
        const reply = await call(servers[(round + d) % 2]!, 'POST', '/sync/v1/push', { token: device.token, body: { changes } });
        expect(reply.body.accepted).toBe(perPush);
      }
    };
    const seen: { id: string; seq: number }[] = [];
    let cursor = 0;
    const pullOnce = async (server: TestServer) => {
      const reply = await call(server, 'GET', `/sync/v1/pull?after=${cursor}&limit=7`, { token: reader.token });
      expect(reply.status).toBe(200);
      seen.push(...reply.body.changes);
      cursor = reply.body.next;
      return reply.body.hasMore as boolean;
    };
    const read = async () => {
      for (let i = 0; pushing; i++) await pullOnce(servers[i % 2]!);
    };
    const reading = read();
    await Promise.all(pushers.map((device, d) => push(device, d)));
    pushing = false;
    await reading;
    while (await pullOnce(a));

    const total = pushers.length * rounds * perPush;
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((c) => c.id)).size).toBe(total);
    expect(seen.map((c) => c.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});
