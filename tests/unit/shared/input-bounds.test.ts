import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dateInTimeZone } from '@shared/domain/dates';
import { isoDateSchema } from '@shared/domain/fields';
import { checkDateBounds } from '../../../src-main/core/date-bounds';
import { parseMoney } from '@shared/domain/money';
import { billingBusiness } from '../../support/billing';
import { call, callError, FakeClock, makeCore, signUp } from '../../support/core';
import { errorJson, withBusiness } from '../cli/run-cli';

// Issue 11, defects 5 and 10: dates without bounds, control characters in
// names, an amount past what a number holds, and "1,000.00" guessed.
// The test clock is 2026-03-01T12:00Z unless a test sets it.

describe('entered dates', () => {
  it('the bound is today in the business time zone, at both ends of the world (the UTC shortcut never decides the edge)', () => {
    const schema = z.object({ on: isoDateSchema.optional() });
    const now = new Date('2026-03-01T12:00:00Z');
    let asked = 0;
    const today = (tz: string) => () => {
      asked += 1;
      return dateInTimeZone(now, tz);
    };
    // UTC+14: already 2026-03-02 there, so 2036-03-02 is allowed; UTC-11: still 2026-03-01, so it is not.
    expect(() => checkDateBounds(schema, { on: '2036-03-02' }, today('Pacific/Kiritimati'), now)).not.toThrow();
    expect(() => checkDateBounds(schema, { on: '2036-03-02' }, today('Pacific/Pago_Pago'), now)).toThrow(/no later than 2036-03-01/);
    expect(() => checkDateBounds(schema, { on: '2036-03-03' }, today('Pacific/Kiritimati'), now)).toThrow(/no later than 2036-03-02/);
    // A date well inside the bound (or none) needs no time zone: nothing is read.
    asked = 0;
    checkDateBounds(schema, { on: '2026-03-01' }, today('Pacific/Kiritimati'), now);
    checkDateBounds(schema, {}, today('Pacific/Kiritimati'), now);
    expect(asked).toBe(0);
  });

  it('refuses a subscription start before 1970 or more than ten years ahead, naming startDate', async () => {
    const b = await billingBusiness({ timezone: 'America/New_York' });
    const plan = await b.plan({ price: 3000 });
    const customer = await b.customer();
    const start = (startDate: string) => callError(b.core, b.conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate });
    expect(await start('0000-01-01')).toMatchObject({ code: 'validation', field: 'startDate', message: 'Use a date from 1970-01-01 on' });
    expect(await start('1969-12-31')).toMatchObject({ code: 'validation', field: 'startDate' });
    expect(await start('2036-03-02')).toMatchObject({ code: 'validation', field: 'startDate', message: expect.stringContaining('no later than 2036-03-01') });
    await b.subscribe({ planId: plan.id, startDate: '2036-03-01', customerId: customer.id });
    expect(await b.invoices()).toEqual([]);
    // Other dates people enter are bounded the same way (here a pause).
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-02-01' });
    expect(await callError(b.core, b.conn, 'subscriptions.pause', { id: sub.id, on: '2126-03-31' })).toMatchObject({ code: 'validation', field: 'on' });
    b.close();
  });

  it('runs billing only up to today in the business time zone, naming asOf; simulate looks ahead', async () => {
    const clock = new FakeClock(new Date('2026-03-01T12:00:00Z'));
    const { core } = makeCore({ clock });
    const { conn } = await signUp(core, { timezone: 'Pacific/Kiritimati' }); // UTC+14: already 2026-03-02 there
    const plan = await call(core, conn, 'plans.create', { name: 'Basic', price: 3000, interval: 'month' });
    const customer = await call(core, conn, 'customers.create', { name: 'Ann', email: 'ann@example.com' });
    await call(core, conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-02-01' });
    expect(await callError(core, conn, 'billing.run', { asOf: '2126-03-31' })).toMatchObject({
      code: 'validation',
      field: 'asOf',
      message: expect.stringContaining('up to today'), // the billing rule, not the generic ten-year bound
    });
    expect(await callError(core, conn, 'billing.run', { asOf: '1969-12-31' })).toMatchObject({ code: 'validation', field: 'asOf' });
    expect(await callError(core, conn, 'billing.run', { asOf: '2026-03-03' })).toMatchObject({
      code: 'validation',
      field: 'asOf',
      message: expect.stringContaining('up to today (2026-03-02'),
    });
    expect(await call(core, conn, 'invoices.list', {})).toMatchObject({ total: 0 }); // nothing was billed
    expect((await call(core, conn, 'billing.run', { asOf: '2026-03-02' })).invoicesIssued).toBe(2);
    const ahead = await call(core, conn, 'billing.simulate', { from: '2026-03-02', months: 12 });
    expect(ahead.months.length).toBe(12);
    clock.advance(86_400_000);
    expect((await call(core, conn, 'billing.run', { asOf: '2026-03-03' })).invoicesIssued).toBe(0);
    core.close();
  });

  it('the CLI refuses billing run --as-of a century ahead, naming the flag', async () => {
    const { cli, asOwner } = await withBusiness();
    const run = await cli(['billing', 'run', '--as-of', '2126-03-31', '--json'], asOwner);
    expect(run.code).not.toBe(0);
    expect(errorJson(run)).toMatchObject({ error: { code: 'validation', field: 'asOf' } });
    const person = await cli(['billing', 'run', '--as-of', '2126-03-31'], asOwner);
    expect(person.stderr).toContain('--as-of');
  });

  it('CSV import refuses a customer-since date before 1970, naming line and field', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    const result = await call(core, conn, 'customers.import', { csv: 'name,email,customer since\nAnn,ann@example.com,0001-01-01\n', dryRun: true });
    expect(result.errors).toEqual([{ line: 2, field: 'customerSince', message: 'Customer since is 1970-01-01 or later' }]);
    core.close();
  });
});

describe('text fields', () => {
  it('refuse a NUL or other control character, naming the field (app, and CSV import by line)', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    expect(await callError(core, conn, 'customers.create', { name: 'A\u0000B', email: 'a@example.com' })).toMatchObject({ code: 'validation', field: 'name' });
    expect(await callError(core, conn, 'customers.create', { name: 'Ann', email: 'a@example.com', city: 'Paris\u001b[31m' })).toMatchObject({ code: 'validation', field: 'city' });
    expect(await callError(core, conn, 'plans.create', { name: 'Bell\u0007', price: 100, interval: 'month' })).toMatchObject({ code: 'validation', field: 'name' });
    // Notes keep their line breaks and tabs.
    const ann = await call(core, conn, 'customers.create', { name: 'Ann', email: 'ann@example.com', notes: 'line one\nline\ttwo' });
    expect(ann.notes).toBe('line one\nline\ttwo');
    const result = await call(core, conn, 'customers.import', { csv: 'name,email\n"Bo\u0000b",bob@example.com\nCat,cat@example.com\n', dryRun: true });
    expect(result.errors).toEqual([{ line: 2, field: 'name', message: expect.stringContaining('control characters') }]);
    expect(result.created).toBe(1);
    core.close();
  });
});

describe('amounts', () => {
  it('a price times a quantity past the largest amount is a validation error naming quantity, not internal', async () => {
    const b = await billingBusiness();
    const plan = await b.plan({ price: 1_000_000_000_000 });
    const customer = await b.customer();
    const refused = await callError(b.core, b.conn, 'subscriptions.create', { customerId: customer.id, planId: plan.id, startDate: '2026-03-01', quantity: 1_000_000 });
    expect(refused).toMatchObject({ code: 'validation', field: 'quantity' });
    const sub = await b.subscribe({ planId: plan.id, startDate: '2026-03-01', customerId: customer.id });
    const change = await callError(b.core, b.conn, 'subscriptions.change', { id: sub.id, quantity: 1_000_000, on: '2026-03-01', mode: 'at_period_end' });
    expect(change).toMatchObject({ code: 'validation', field: 'quantity' });
    expect(await callError(b.core, b.conn, 'plans.create', { name: 'Huge', price: 1e18, interval: 'month' })).toMatchObject({ code: 'validation', field: 'price' });
    b.close();
  });

  it('thousands separators are read only in a locale that groups with commas', async () => {
    expect(parseMoney('1,000.00', 'USD', { locale: 'en-US' })).toBe(100_000);
    expect(() => parseMoney('1,000.00', 'EUR', { locale: 'de-DE' })).toThrow(/without thousands separators/);
    expect(() => parseMoney('1,000.00', 'EUR', { locale: 'fr-FR' })).toThrow(/without thousands separators/);
    expect(() => parseMoney('1,00.00', 'USD', { locale: 'en-US' })).toThrow(/not an amount/);
    expect(parseMoney('1000.00', 'EUR', { locale: 'de-DE' })).toBe(100_000);

    const { cli, asOwner, dataDir } = await withBusiness();
    const { Core } = await import('../../../src-main/core/core');
    const { MIGRATIONS_DIR, connect } = await import('../../support/core');
    const core = new Core({ paths: { dataDir, migrationsDir: MIGRATIONS_DIR } });
    const conn = connect();
    const businessId = asOwner.RECURRA_BUSINESS!;
    await call(core, conn, 'auth.login', { businessId, email: asOwner.RECURRA_USER!, password: asOwner.RECURRA_PASSWORD! });
    await call(core, conn, 'business.update', { locale: 'de-DE' });
    core.close();
    const run = await cli(['plan', 'create', '--name', 'Basic', '--price', '1,000.00', '--interval', 'month', '--json'], asOwner);
    expect(errorJson(run)).toMatchObject({ error: { code: 'validation', field: 'price', message: expect.stringContaining('without thousands separators') } });
  });
});
