import { describe, expect, it } from 'vitest';
import { MAX_CUSTOMER_VIEWS } from '@shared/contract/customer-views';
import { call, callError, connect, makeCore, signUp } from '../../support/core';

describe('saved customer views', () => {
  it('saves a named list, lists views by name, replaces on request and deletes, each with an audit row', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    const owing = await call(core, conn, 'customerViews.save', {
      name: '  Owes money  ',
      filter: { search: '', hasUnpaidInvoices: true, segment: 'Retail' },
      sort: 'createdAt',
      direction: 'desc',
    });
    expect(owing).toMatchObject({ name: 'Owes money', filter: { hasUnpaidInvoices: true, segment: 'Retail' }, sort: 'createdAt', direction: 'desc', createdBy: 'Olivia Owner' });
    await call(core, conn, 'customerViews.save', { name: 'a VIPs', filter: { tag: 'vip' } });
    expect((await call(core, conn, 'customerViews.list', {})).views.map((v) => v.name)).toEqual(['a VIPs', 'Owes money']);

    // The same name (any case) is a conflict on the name field unless the caller means to replace it.
    expect(await callError(core, conn, 'customerViews.save', { name: 'OWES MONEY', filter: {} })).toMatchObject({ code: 'conflict', field: 'name' });
    const replaced = await call(core, conn, 'customerViews.save', { name: 'OWES MONEY', filter: { hasUnpaidInvoices: true }, replace: true });
    expect(replaced.id).toBe(owing.id);
    const views = (await call(core, conn, 'customerViews.list', {})).views;
    expect(views).toHaveLength(2);
    expect(views.find((v) => v.id === owing.id)).toMatchObject({ name: 'OWES MONEY', filter: { hasUnpaidInvoices: true }, sort: 'name' });

    await call(core, conn, 'customerViews.delete', { id: owing.id });
    expect((await call(core, conn, 'customerViews.list', {})).views.map((v) => v.name)).toEqual(['a VIPs']);
    expect(await callError(core, conn, 'customerViews.delete', { id: owing.id })).toMatchObject({ code: 'not_found', field: 'id' });

    const audit = await call(core, conn, 'audit.list', {});
    const actions = audit.entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['customerViews.save', 'customerViews.replace', 'customerViews.delete']));
    core.close();
  });

  it('refuses bad input by field and writes nothing', async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    expect(await callError(core, conn, 'customerViews.save', { name: '   ', filter: {} })).toMatchObject({ code: 'validation', field: 'name' });
    expect(await callError(core, conn, 'customerViews.save', { name: 'x', filter: { status: 'gone' } })).toMatchObject({ code: 'validation', field: 'filter.status' });
    expect(await callError(core, conn, 'customerViews.save', { name: 'x', filter: {}, sort: 'shoeSize' })).toMatchObject({ code: 'validation', field: 'sort' });
    expect((await call(core, conn, 'customerViews.list', {})).views).toEqual([]);
    core.close();
  });

  it(`keeps at most ${MAX_CUSTOMER_VIEWS} views`, async () => {
    const { core } = makeCore();
    const { conn } = await signUp(core);
    for (let i = 0; i < MAX_CUSTOMER_VIEWS; i++) await call(core, conn, 'customerViews.save', { name: `View ${i}`, filter: {} });
    expect(await callError(core, conn, 'customerViews.save', { name: 'One more', filter: {} })).toMatchObject({ code: 'validation', field: 'name' });
    // Replacing one is still fine at the limit.
    await call(core, conn, 'customerViews.save', { name: 'View 3', filter: { tag: 'x' }, replace: true });
    core.close();
  });

  it('viewers open views but cannot save or delete them; another business never sees them', async () => {
    const { core } = makeCore();
    const { conn, businessId } = await signUp(core);
    const view = await call(core, conn, 'customerViews.save', { name: 'Retail', filter: { segment: 'Retail' } });
    await call(core, conn, 'users.create', { name: 'Vera', email: 'vera@example.com', role: 'viewer', password: 'password one' });
    const viewer = connect();
    await call(core, viewer, 'auth.login', { businessId, email: 'vera@example.com', password: 'password one' });
    expect((await call(core, viewer, 'customerViews.list', {})).views).toHaveLength(1);
    expect(await callError(core, viewer, 'customerViews.save', { name: 'Mine', filter: {} })).toMatchObject({ code: 'forbidden' });
    expect(await callError(core, viewer, 'customerViews.delete', { id: view.id })).toMatchObject({ code: 'forbidden' });

    const other = await signUp(core, { businessName: 'Other', ownerEmail: 'other@example.com' });
    expect((await call(core, other.conn, 'customerViews.list', {})).views).toEqual([]);
    expect(await callError(core, other.conn, 'customerViews.delete', { id: view.id })).toMatchObject({ code: 'not_found' });
    core.close();
  });
});
