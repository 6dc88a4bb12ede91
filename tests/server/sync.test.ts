import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../src-server/sync/store';
import { call, connectNewBusiness, joinDevice, makeChange, pullAll, startTestServer, storageKinds, type TestServer } from './support';
import { MAX_PUSH_CHANGES } from '@shared/sync/server-wire';

describe.each(storageKinds)('sync protocol on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('connects a business with an invite code that works once and expires after 24 h', async () => {
    const invite = await createInvite(server.storage.db, server.clock.now());
    expect(invite.code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const body = { inviteCode: invite.code.toLowerCase(), businessId: `b-${kind}-once`, businessName: 'Once Ltd', deviceName: 'PC 1' };
    const first = await call(server, 'POST', '/sync/v1/connect', { body });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ businessId: body.businessId, businessName: 'Once Ltd', billingDevice: { id: first.body.deviceId, name: 'PC 1' } });
    expect(first.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect(typeof first.body.serverTime).toBe('number');

    const again = await call(server, 'POST', '/sync/v1/connect', { body: { ...body, businessId: `b-${kind}-twice` } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ type: 'conflict', code: 'invite_used' });

    const old = await createInvite(server.storage.db, server.clock.now());
    server.clock.advance(24 * 3600_000 + 1000);
    try {
      const late = await call(server, 'POST', '/sync/v1/connect', { body: { ...body, inviteCode: old.code, businessId: `b-${kind}-late` } });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('invite_expired');
    } finally {
      server.clock.advance(-(24 * 3600_000 + 1000));
    }

    const unknown = await call(server, 'POST', '/sync/v1/connect', { body: { ...body, inviteCode: 'AAAA-BBBB-CCCC-DDDD' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'invalid_invite', param: 'inviteCode' });

    const fresh = await createInvite(server.storage.db, server.clock.now());
    const sameBusiness = await call(server, 'POST', '/sync/v1/connect', { body: { ...body, inviteCode: fresh.code } });
    expect(sameBusiness.status).toBe(409);
    expect(sameBusiness.body.error.code).toBe('business_exists');

    const missing = await call(server, 'POST', '/sync/v1/connect', { body: { inviteCode: fresh.code, businessId: 'x', deviceName: 'PC' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ type: 'invalid_request', param: 'businessName' });
  });

  it('pairs a second device with a one-use code valid 15 minutes', async () => {
    const one = await connectNewBusiness(server, 'Pair Co');
    const pair = await call(server, 'POST', '/sync/v1/pair', { token: one.token });
    expect(pair.status).toBe(200);
    expect(pair.body.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(Date.parse(pair.body.expiresAt) - server.clock.now().getTime()).toBeGreaterThan(14 * 60_000);

    const joined = await call(server, 'POST', '/sync/v1/join', { body: { code: pair.body.code, deviceName: 'Laptop' } });
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ businessId: one.businessId, businessName: 'Pair Co', billingDevice: { id: one.deviceId } });
    expect(joined.body.deviceId).not.toBe(one.deviceId);

    const reused = await call(server, 'POST', '/sync/v1/join', { body: { code: pair.body.code, deviceName: 'Another' } });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('pairing_code_used');

    const late = await call(server, 'POST', '/sync/v1/pair', { token: one.token });
    server.clock.advance(15 * 60_000 + 1000);
    try {
      const expired = await call(server, 'POST', '/sync/v1/join', { body: { code: late.body.code, deviceName: 'Late' } });
      expect(expired.status).toBe(409);
      expect(expired.body.error.code).toBe('pairing_code_expired');
    } finally {
      server.clock.advance(-(15 * 60_000 + 1000));
    }

    const status = await call(server, 'GET', '/sync/v1/status', { token: joined.body.token });
    expect(status.body).toMatchObject({
      businessId: one.businessId,
      deviceId: joined.body.deviceId,
      deviceName: 'Laptop',
      billingDevice: { id: one.deviceId, name: 'Front desk' },
      suspended: false,
    });
    expect(status.body.devices.map((d: { name: string }) => d.name)).toEqual(['Front desk', 'Laptop']);
  });

  it('pushes and pulls with a resumable cursor; a device never gets its own changes back', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token);
    const batch = Array.from({ length: 25 }, (_, i) => makeChange(one.deviceId, i));
    const pushed = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: batch } });
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject({ accepted: 25, duplicates: 0 });
    expect(Math.abs(pushed.body.serverTime - Date.now())).toBeLessThan(60_000);

    // Device 2 pulls in pages of 10 and resumes from its cursor.
    const page1 = await call(server, 'GET', '/sync/v1/pull?after=0&limit=10', { token: two.token });
    expect(page1.body.changes).toHaveLength(10);
    expect(page1.body.hasMore).toBe(true);
    expect(page1.body.changes[0]).toEqual({ seq: 1, ...batch[0], deviceId: one.deviceId });
    const rest = await pullAll(server, two.token, page1.body.next, 10);
    const all = [...page1.body.changes, ...rest.changes];
    expect(all.map((c) => c.id)).toEqual(batch.map((c) => c.id));
    expect(all.map((c) => c.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(rest.cursor).toBe(25);

    // The pusher's own changes are skipped but its cursor moves past them.
    const own = await call(server, 'GET', '/sync/v1/pull?after=0', { token: one.token });
    expect(own.body).toMatchObject({ changes: [], next: 25, hasMore: false });

    // Nothing new: an empty page at the same cursor.
    const idle = await call(server, 'GET', '/sync/v1/pull?after=25', { token: two.token });
    expect(idle.body).toMatchObject({ changes: [], next: 25, hasMore: false });

    const ahead = await call(server, 'GET', '/sync/v1/pull?after=99', { token: two.token });
    expect(ahead.status).toBe(409);
    expect(ahead.body.error.code).toBe('cursor_ahead');
    const bad = await call(server, 'GET', '/sync/v1/pull?after=-1', { token: two.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('after');
  });

  it('stores a change pushed twice once (a retried batch, or one change twice in a batch)', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token);
    const batch = Array.from({ length: 5 }, (_, i) => makeChange(one.deviceId, i));
    const first = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: batch.slice(0, 3) } });
    expect(first.body).toMatchObject({ accepted: 3, duplicates: 0 });
    const retry = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [...batch, batch[4]] } });
    expect(retry.body).toMatchObject({ accepted: 2, duplicates: 4 });
    const replay = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: batch } });
    expect(replay.body).toMatchObject({ accepted: 0, duplicates: 5 });
    const { changes } = await pullAll(server, two.token);
    expect(changes.map((c) => c.id)).toEqual(batch.map((c) => c.id));
  });

  it('refuses a batch over the limits with 413 naming the limit, and a malformed batch with 400; nothing is applied', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token);
    const many = Array.from({ length: MAX_PUSH_CHANGES + 1 }, (_, i) => makeChange(one.deviceId, i));
    const tooMany = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: many } });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatchObject({ code: 'too_many_changes', param: 'changes' });
    expect(tooMany.body.error.message).toContain(String(MAX_PUSH_CHANGES));

    const big = [makeChange(one.deviceId, 1, { notes: 'x'.repeat(4 * 1024 * 1024) })];
    const tooBig = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: big } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatchObject({ code: 'body_too_large' });
    expect(tooBig.body.error.message).toContain('4 MB');

    const good = makeChange(one.deviceId, 1);
    const malformed = await call(server, 'POST', '/sync/v1/push', {
      token: one.token,
      body: { changes: [good, { ...makeChange(one.deviceId, 2), op: 'merge' }] },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ type: 'invalid_request', param: 'changes.1.op' });
    const nul = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [good, makeChange(one.deviceId, 3, { note: 'a\u0000b' })] } });
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ param: 'changes' });
    const notJson = await call(server, 'POST', '/sync/v1/push', { token: one.token, raw: '{"changes": [' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');

    expect((await pullAll(server, two.token)).changes).toEqual([]);
    const exactly = Array.from({ length: 1000 }, (_, i) => makeChange(one.deviceId, i));
    expect((await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: exactly } })).body.accepted).toBe(1000);
  });

  it('refuses a push with a change stamped more than 5 minutes ahead of the server clock: 400 naming it, nothing of the batch stored', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token);
    const at = (ms: number, n: number) => {
      const hlc = `${String(ms).padStart(13, '0')}-${String(n).padStart(9, '0')}-${one.deviceId}`;
      return { id: hlc, hlc, table: 'customers', rowId: `c${n}`, op: 'upsert' as const, fields: { name: `Customer ${n}` } };
    };
    const now = server.clock.now().getTime();
    const ahead = at(now + 24 * 3600_000, 2);
    const refused = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [at(now, 1), ahead, at(now, 3)] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request', code: 'stamped_in_future', param: 'changes.1.hlc' });
    expect(refused.body.error.message).toContain(ahead.id);
    expect(refused.body.error.message).toContain('1440 minutes ahead');
    expect((await pullAll(server, two.token)).changes).toEqual([]);
    // The server's clock decides: once it has caught up, the same change is taken; a stamp within the bound always is.
    const notOurs = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [{ ...at(now, 4), hlc: 'zzz' }] } });
    expect(notOurs.body.error).toMatchObject({ type: 'invalid_request', param: 'changes.0.hlc' });
    const near = await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [at(now + 4 * 60_000, 5)] } });
    expect(near.body.accepted).toBe(1);
    server.clock.advance(24 * 3600_000);
    try {
      expect((await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [ahead] } })).body.accepted).toBe(1);
    } finally {
      server.clock.advance(-24 * 3600_000);
    }
    expect((await pullAll(server, two.token)).changes.map((c) => c.rowId)).toEqual(['c5', 'c2']);
  });

  it('ends a pull page before 4 MB of changes, and the next page carries on', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token);
    const big = (n: number) => makeChange(one.deviceId, n, { notes: String(n).repeat(1_500_000) });
    for (const n of [1, 2, 3]) expect((await call(server, 'POST', '/sync/v1/push', { token: one.token, body: { changes: [big(n)] } })).status).toBe(200);
    const first = await call(server, 'GET', '/sync/v1/pull?after=0&limit=1000', { token: two.token });
    expect(first.body.changes.map((c: { seq: number }) => c.seq)).toEqual([1, 2]);
    expect(first.body).toMatchObject({ hasMore: true, next: 2 });
    const second = await call(server, 'GET', `/sync/v1/pull?after=${first.body.next}&limit=1000`, { token: two.token });
    expect(second.body.changes.map((c: { seq: number }) => c.seq)).toEqual([3]);
    expect(second.body).toMatchObject({ hasMore: false, next: 3 });
  });

  it('orders two devices\' changes by server sequence; each device pulls the other\'s only', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token);
    const three = await joinDevice(server, one.token, 'Accountant');
    const pushes = [];
    for (let round = 0; round < 6; round++) {
      const [device, token] = round % 2 ? [two.deviceId, two.token] : [one.deviceId, one.token];
      pushes.push(call(server, 'POST', '/sync/v1/push', { token, body: { changes: [makeChange(device, round * 10), makeChange(device, round * 10 + 1)] } }));
    }
    for (const reply of await Promise.all(pushes)) expect(reply.body.accepted).toBe(2);
    const seen = (await pullAll(server, three.token, 0, 3)).changes;
    expect(seen.map((c) => c.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(seen.map((c) => c.deviceId))).toEqual(new Set([one.deviceId, two.deviceId]));
    const byOne = (await pullAll(server, one.token)).changes;
    expect(byOne.every((c) => c.deviceId === two.deviceId)).toBe(true);
    expect(byOne).toHaveLength(6);
  });

  it('keeps businesses apart: a token never sees another business\'s changes', async () => {
    const a = await connectNewBusiness(server, 'A');
    const a2 = await joinDevice(server, a.token);
    const b = await connectNewBusiness(server, 'B');
    const b2 = await joinDevice(server, b.token);
    await call(server, 'POST', '/sync/v1/push', { token: a.token, body: { changes: [makeChange(a.deviceId, 1, { secret: 'of A' })] } });
    await call(server, 'POST', '/sync/v1/push', { token: b.token, body: { changes: [makeChange(b.deviceId, 1, { secret: 'of B' })] } });
    const seenByA = (await pullAll(server, a2.token)).changes;
    const seenByB = (await pullAll(server, b2.token)).changes;
    expect(seenByA.map((c) => c.fields.secret)).toEqual(['of A']);
    expect(seenByB.map((c) => c.fields.secret)).toEqual(['of B']);
    // Each business has its own sequence.
    expect(seenByA[0]!.seq).toBe(1);
    expect(seenByB[0]!.seq).toBe(1);
    // The same change id in two businesses is two changes.
    const sameId = makeChange('shared', 7);
    expect((await call(server, 'POST', '/sync/v1/push', { token: a.token, body: { changes: [sameId] } })).body.accepted).toBe(1);
    expect((await call(server, 'POST', '/sync/v1/push', { token: b.token, body: { changes: [sameId] } })).body.accepted).toBe(1);
    const status = await call(server, 'GET', '/sync/v1/status', { token: b2.token });
    expect(status.body.businessId).toBe(b.businessId);
    expect(status.body.devices.map((d: { id: string }) => d.id)).not.toContain(a.deviceId);

    for (const token of [undefined, 'not-a-token']) {
      const reply = await call(server, 'GET', '/sync/v1/pull', { token });
      expect(reply.status).toBe(401);
      expect(reply.body.error.type).toBe('authentication');
    }
  });

  it('moves the billing device atomically when a device takes it', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token, 'Laptop');
    const taken = await call(server, 'POST', '/sync/v1/billing-device/take', { token: two.token });
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({ billingDevice: { id: two.deviceId, name: 'Laptop' }, previous: { id: one.deviceId, name: 'Front desk' } });
    for (const token of [one.token, two.token]) {
      const status = await call(server, 'GET', '/sync/v1/status', { token });
      expect(status.body.billingDevice).toEqual({ id: two.deviceId, name: 'Laptop' });
    }
    // Both take at once: exactly one holds it afterwards, and it is one of them.
    const race = await Promise.all([one, two].map((d) => call(server, 'POST', '/sync/v1/billing-device/take', { token: d.token })));
    expect(race.map((r) => r.status)).toEqual([200, 200]);
    const after = await call(server, 'GET', '/sync/v1/status', { token: one.token });
    expect([one.deviceId, two.deviceId]).toContain(after.body.billingDevice.id);
  });

  it('disconnects a device: its token stops working, the other devices go on', async () => {
    const one = await connectNewBusiness(server);
    const two = await joinDevice(server, one.token);
    const reply = await call(server, 'POST', '/sync/v1/disconnect', { token: two.token });
    expect(reply.body).toEqual({ disconnected: true });
    expect((await call(server, 'GET', '/sync/v1/pull', { token: two.token })).body.error.code).toBe('device_revoked');
    const status = await call(server, 'GET', '/sync/v1/status', { token: one.token });
    expect(status.body.devices.find((d: { id: string }) => d.id === two.deviceId).revoked).toBe(true);
  });

  it('logs one line per request with method, path, status, ms and business, and never a token or code', async () => {
    const before = server.logLines.length;
    const one = await connectNewBusiness(server, 'Logged');
    const pair = await call(server, 'POST', '/sync/v1/pair', { token: one.token });
    await call(server, 'GET', '/sync/v1/pull?after=0', { token: one.token });
    await call(server, 'GET', '/sync/v1/status', { token: 'wrong-token-value' });
    const lines = server.logLines.slice(before);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^\\S+ POST /sync/v1/connect 200 [\\d.]+ms business=${one.businessId}$`));
    expect(lines[2]).toMatch(new RegExp(`GET /sync/v1/pull 200 [\\d.]+ms business=${one.businessId}$`));
    expect(lines[3]).toMatch(/GET \/sync\/v1\/status 401 [\d.]+ms business=-$/);
    const text = lines.join('\n');
    for (const secret of [one.token, pair.body.code, 'wrong-token-value']) expect(text).not.toContain(secret);
  });
  it('connects one business id once when two invites race for it', async () => {
    const invites = await Promise.all([0, 1].map(() => createInvite(server.storage.db, server.clock.now())));
    const businessId = `b-${kind}-race`;
    const replies = await Promise.all(
      invites.map((invite, i) =>
        call(server, 'POST', '/sync/v1/connect', { body: { inviteCode: invite.code, businessId, businessName: 'Race', deviceName: `PC ${i}` } }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(replies.find((r) => r.status === 409)!.body.error.code).toBe('business_exists');
  });

  // Last in this file: it fills the rate counter of 127.0.0.1, then moves the clock past its window.
  it('answers 429 with Retry-After after 20 wrong codes from one address, and forgets them after the window', async () => {
    const guess = { code: 'ZZZZ-ZZZZ-ZZZZ', deviceName: 'Guesser' };
    // Earlier tests here spent a few wrong codes already: at most 20 more answer 400, then 429.
    let limited = await call(server, 'POST', '/sync/v1/join', { body: guess });
    for (let i = 0; i < 20 && limited.status === 400; i++) limited = await call(server, 'POST', '/sync/v1/join', { body: guess });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ type: 'rate_limit', code: 'too_many_attempts' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // A right code from that address waits too: guessing cannot continue until the window ends.
    const one = await connectNewBusiness(server).catch((e: Error) => e);
    expect(String(one)).toContain('429');
    server.clock.advance(16 * 60_000);
    expect((await call(server, 'POST', '/sync/v1/join', { body: guess })).status).toBe(400);
    await connectNewBusiness(server);
  });
});
