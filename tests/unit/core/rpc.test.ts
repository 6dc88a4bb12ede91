import type { SessionServices } from '../../../src-main/core/services';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { contract, type MethodName } from '@shared/contract';
import { createDispatcher, type Handlers } from '../../../src-main/core/rpc';
import { call, callError, connect, makeCore, signUp } from '../../support/core';
import { fingerprint } from '../../support/fingerprint';

const methods = Object.keys(contract) as MethodName[];

/** A value of the wrong type for any field schema (a string field gets a number, everything else a string). */
function wrongValueFor(schema: z.ZodType): unknown {
  const probe = [12345, 'not-valid-here', { nested: true }, [1, 2]];
  return probe.find((v) => !schema.safeParse(v).success);
}

describe('the dispatcher', () => {
  it('every contract input is an object schema (so every field can be named in errors)', () => {
    for (const name of methods) expect(contract[name].input, name).toBeInstanceOf(z.ZodObject);
  });

  it('refuses an unknown method and a malformed payload', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    expect(await callError(core, conn, 'users.nuke', {})).toMatchObject({ code: 'not_found', message: expect.stringContaining('Unknown method') });
    expect(await callError(core, conn, 42, {})).toMatchObject({ code: 'not_found' });
    expect(await callError(core, conn, 'users.list', 'hello')).toMatchObject({ code: 'validation', message: expect.stringContaining('Malformed') });
    expect(await callError(core, conn, 'users.list', null)).toMatchObject({ code: 'validation' });
    expect(await callError(core, conn, 'users.list', { sneaky: 1 })).toMatchObject({ code: 'validation', field: 'sneaky' });
    core.close();
  });

  it('gives every handler, for a bad value in each field, a validation error naming that field, and writes nothing', async () => {
    const { core, dataDir } = makeCore();
    const { conn, businessId } = await signUp(core);
    const db = core.businesses.get(businessId).sqlite;
    const before = fingerprint(db);
    let checked = 0;
    for (const name of methods) {
      const shape = (contract[name].input as z.ZodObject).shape as Record<string, z.ZodType>;
      for (const [field, schema] of Object.entries(shape)) {
        const bad = wrongValueFor(schema);
        if (bad === undefined) continue; // a field that accepts anything (none yet)
        const error = await callError(core, conn, name, { [field]: bad });
        expect(error.code, `${name}.${field}`).toBe('validation');
        // The first complaint may be another required field; a wrong value alone must name its own field.
        const complete = { ...validSample(shape), [field]: bad };
        const precise = await callError(core, conn, name, complete);
        expect(precise, `${name}.${field}`).toMatchObject({ code: 'validation', field });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(fingerprint(db)).toBe(before);
    expect(dataDir).toBeTruthy();
    core.close();
  });

  it('rolls a write back whole when its handler fails, and refuses a write without an audit row', async () => {
    const { core } = makeCore();
    const { businessId } = await signUp(core);
    const db = core.businesses.get(businessId);
    const before = fingerprint(db.sqlite);
    const handlers = {
      'users.create': () => {
        db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', 'now')").run();
        throw new Error('boom after a write');
      },
      'users.update': () => {
        db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('y', '1', 'now')").run();
        return {};
      },
    } as unknown as Handlers<unknown>;
    const user = { id: 'u', name: 'U', email: 'u@example.com', role: 'owner' as const };
    const dispatch = createDispatcher(
      {
        core: null,
        clock: core.clock,
        logger: core.logger,
        resolveSession: () => ({ sessionId: 's', db, user }),
        afterWrite: () => {},
        endSessionsOfUser: () => {},
        services: () => ({
          billing: { run: () => Promise.reject(new Error('no')), simulate: () => Promise.reject(new Error('no')), isRunning: () => false },
          sync: {} as SessionServices['sync'],
          autoSync: {} as SessionServices['autoSync'],
          email: {} as SessionServices['email'],
          insights: {} as SessionServices['insights'],
          prefs: core.prefs,
        }),
      },
      handlers,
    );
    const failed = await dispatch(connect(), 'users.create', { name: 'A', email: 'a@example.com', role: 'staff', password: 'long enough' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    const unaudited = await dispatch(connect(), 'users.update', { id: 'x', name: 'B' });
    expect(unaudited).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('without an audit row') } });
    expect(fingerprint(db.sqlite)).toBe(before);
    core.close();
  });

  it('emits data-changed to the connections of that business only', async () => {
    const { core } = makeCore();
    const a = await signUp(core);
    const b = await signUp(core, { businessName: 'Other', ownerEmail: 'b@example.com' });
    await call(core, a.conn, 'business.update', { name: 'Renamed' });
    const aConn = a.conn as ReturnType<typeof connect>;
    const bConn = b.conn as ReturnType<typeof connect>;
    expect(aConn.events).toContainEqual({ event: 'data-changed', payload: { entities: ['business'] } });
    expect(bConn.events).toEqual([]);
    core.close();
  });
});

/** A plausible valid value for each field, so one bad field is the only fault. */
function validSample(shape: Record<string, z.ZodType>): Record<string, unknown> {
  const samples: unknown[] = [
    'Valid Name',
    '2026-03-01',
    '2026-03',
    'someone@example.com',
    'a long enough password',
    'USD',
    'America/New_York',
    'owner',
    'staff',
    'auto',
    '8.25',
    'INV',
    'en-US',
    14,
    15,
    [3, 5, 7],
    true,
    {}, // an object whose fields are all optional (a saved view's filter)
    [{ sku: 'MAT', quantity: 1 }], // a cart's items
    [{ method: 'cash' }], // how a sale is paid
  ];
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    if (schema.safeParse(undefined).success) continue; // optional or defaulted: leave it out
    const options = schema instanceof z.ZodEnum ? (schema.options as unknown[]) : [];
    const found = [...options, ...samples].find((s) => schema.safeParse(s).success);
    if (found !== undefined) out[key] = found;
  }
  return out;
}
