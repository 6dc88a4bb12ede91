import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { digest } from '../../../src-main/core/sync';
import { call, connect, OWNER_PASSWORD, type FakeClock } from '../../support/core';
import { firstPc, joiningPc, OrderedLog, syncAll, type Pc } from '../sync/harness';

// Issue 16: "Codes are accepted once". Each PC refuses a step it accepted itself; the steps
// accepted sync (a settings row per step), so a PC that has synced refuses another PC's too.

const EMAIL = 'olivia@example.com';
const codeAt = (secret: string, at: Date) => generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
const clockOf = (pc: Pc) => pc.core.clock as FakeClock;
const login = (pc: Pc, businessId: string, code: string) => pc.core.dispatch(connect(), 'auth.login', { businessId, email: EMAIL, password: OWNER_PASSWORD, code });
const REPLAYED = { ok: false, error: { code: 'unauthenticated', field: 'code', message: expect.stringMatching(/already used/) } };
const stepRows = (pc: Pc) => pc.db.sqlite.prepare("SELECT key FROM settings WHERE key LIKE '2fa.step.%' ORDER BY key").pluck().all() as string[];

describe('a TOTP code accepted on one PC', () => {
  it('is refused on a second PC once they have synced, whichever PC accepted the later step; offline it cannot be known', async () => {
    const log = new OrderedLog();
    const { pc: a, businessId } = await firstPc(log);
    const b = await joiningPc(log, businessId, 'B', 'b000000000000002');
    let now = new Date('2026-03-01T12:00:05Z');
    const at = (t: Date) => {
      now = t;
      clockOf(a).set(t);
      clockOf(b).set(t);
    };
    at(now);
    const setup = await call(a.core, a.conn, 'auth.twoFactorSetup', {});
    await call(a.core, a.conn, 'auth.twoFactorConfirm', { code: codeAt(setup.secret, now) });
    syncAll([a, b], log); // B has the secret
    const next = () => at(new Date(now.getTime() + 30_000));

    // Synced: A's code is refused on B within its window.
    next();
    const first = codeAt(setup.secret, now);
    expect(await login(a, businessId, first)).toMatchObject({ ok: true });
    syncAll([a, b], log);
    expect(await login(b, businessId, first)).toMatchObject(REPLAYED);
    // B still takes the next step's code, and A then refuses it.
    next();
    const second = codeAt(setup.secret, now);
    expect(await login(b, businessId, second)).toMatchObject({ ok: true });
    syncAll([a, b], log);
    expect(await login(a, businessId, second)).toMatchObject(REPLAYED);

    // Offline, B cannot know what A accepted: the same code works on both (README "Two-factor login").
    next();
    const offline = codeAt(setup.secret, now);
    expect(await login(a, businessId, offline)).toMatchObject({ ok: true });
    expect(await login(b, businessId, offline)).toMatchObject({ ok: true });

    // A accepts a later step, then B (behind) an earlier one: one row per step, so the merge keeps the
    // latest whatever order the changes come in (a single row would keep B's, written last, and lower).
    next();
    const earlier = codeAt(setup.secret, now);
    next();
    const later = codeAt(setup.secret, now);
    expect(await login(a, businessId, later)).toMatchObject({ ok: true });
    clockOf(b).set(new Date(now.getTime() - 30_000));
    expect(await login(b, businessId, earlier)).toMatchObject({ ok: true });
    syncAll([a, b], log);
    clockOf(b).set(now);
    expect(await login(b, businessId, later)).toMatchObject(REPLAYED);
    syncAll([a, b], log); // the refused login's audit row
    expect(stepRows(b)).toEqual(stepRows(a));
    expect(digest(b.db)).toEqual(digest(a.db));

    // Old steps are pruned (a code is good for ±1 step only), on every PC alike.
    for (let i = 0; i < 15; i += 1) {
      next();
      expect(await login(i % 2 ? a : b, businessId, codeAt(setup.secret, now))).toMatchObject({ ok: true });
      syncAll([a, b], log);
    }
    expect(stepRows(a).length).toBeLessThanOrEqual(11);
    expect(stepRows(b)).toEqual(stepRows(a));

    // Turning two-factor off forgets the steps with the secret.
    next();
    await call(a.core, a.conn, 'auth.twoFactorDisable', { code: codeAt(setup.secret, now) });
    syncAll([a, b], log);
    expect(stepRows(a)).toEqual([]);
    expect(stepRows(b)).toEqual([]);
    a.core.close();
    b.core.close();
  });
});
