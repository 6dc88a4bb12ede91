import { expect, test } from './fixtures';

test('the host serves the app with its token and refuses calls without it', async ({ app, page, request }) => {
  await page.goto(app.url);
  const token = await page.locator('meta[name="recurra-host-token"]').getAttribute('content');
  expect(token).toBe(app.host.token);

  const noToken = await request.post(`${app.url}rpc`, { data: { method: 'business.list', input: {} } });
  expect(noToken.status()).toBe(403);

  const ok = await page.evaluate(async (t) => {
    const r = await fetch('/rpc', { method: 'POST', headers: { 'x-recurra-token': t!, 'content-type': 'application/json' }, body: JSON.stringify({ method: 'business.list', input: {} }) });
    return r.json();
  }, token);
  expect(ok).toEqual({ ok: true, data: [] });
});
