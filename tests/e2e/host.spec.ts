import { expect, test } from './fixtures';

test('the host serves the app with its token and refuses calls without it', async ({ app, page, request }) => {
  expect((await request.get(app.host.url)).status()).toBe(403); // no one-time address, no page and no token
  await page.goto(app.url);
  expect(new URL(page.url()).search).toBe(''); // the token left the address bar
  const token = await page.locator('meta[name="recurra-host-token"]').getAttribute('content');
  expect(token).toBe(app.host.token);

  const noToken = await request.post(`${app.host.url}rpc`, { data: { method: 'business.list', input: {} } });
  expect(noToken.status()).toBe(403);

  const ok = await page.evaluate(async (t) => {
    const r = await fetch('/rpc', { method: 'POST', headers: { 'x-recurra-token': t!, 'content-type': 'application/json' }, body: JSON.stringify({ method: 'business.list', input: {} }) });
    return r.json();
  }, token);
  expect(ok).toEqual({ ok: true, data: [] });
});

test('an export becomes a one-time download for the tab that asked for it', async ({ app, page, browser }) => {
  await page.goto(app.url);
  const rpc = (method: string, input: unknown) =>
    page.evaluate(
      async ([m, i]) => {
        const t = document.querySelector<HTMLMetaElement>('meta[name="recurra-host-token"]')!.content;
        const r = await fetch('/rpc', { method: 'POST', headers: { 'x-recurra-token': t, 'content-type': 'application/json' }, body: JSON.stringify({ method: m, input: i }) });
        return r.json();
      },
      [method, input] as const,
    );
  await rpc('business.signUp', { businessName: 'Download Co', currency: 'EUR', timezone: 'Europe/Paris', ownerName: 'O', ownerEmail: 'o@example.com', password: 'long password' });
  await rpc('customers.create', { name: 'Émile Zola', email: 'emile@example.com', company: '=cmd' });
  const exported = await rpc('customers.export', { bom: true });
  expect(exported).toMatchObject({ ok: true, data: { rows: 1, path: null, downloadUrl: expect.stringMatching(/^\/download\//) } });
  const url = `${app.host.url.replace(/\/$/, '')}${exported.data.downloadUrl}`;

  const other = await browser.newContext();
  expect((await other.request.get(url)).status()).toBe(404); // another tab (no cookie) cannot take it
  const otherPage = await other.newPage();
  await otherPage.goto(app.url); // a tab of its own, logged in to the host with its own cookie
  expect((await otherPage.request.get(url)).status()).toBe(404); // still not the tab that made it
  await other.close();

  const response = await page.request.get(url);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-disposition']).toMatch(/attachment; filename="download-co-customers-\d{4}-\d{2}-\d{2}\.csv"/);
  const text = await response.text();
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text).toContain('Émile Zola');
  expect(text).toContain(`'=cmd`);
  expect((await page.request.get(url)).status()).toBe(404); // once only
});
