import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../../src-server/admin/store';
import { call, connectNewBusiness, joinDevice, makeChange, startTestServer, storageKinds, type TestServer } from './support';

const PASSWORD = 'correct horse battery';

/** A browser's view of /admin: the session cookie it was given, and form posts. */
async function signIn(server: TestServer, email: string, password: string) {
  const response = await fetch(`${server.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  return { status: response.status, cookie, setCookie: response.headers.get('set-cookie') ?? '', location: response.headers.get('location') };
}

async function page(server: TestServer, cookie?: string) {
  const response = await fetch(`${server.url}/admin`, { headers: cookie ? { cookie } : {} });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

async function post(server: TestServer, cookie: string, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe.each(storageKinds)('/admin on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
    await createAdmin(server.storage.db, 'Ops@Example.com', PASSWORD, server.clock.now());
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('signs an admin in with a session cookie and lists businesses with devices, last sync, changes and storage', async () => {
    const anonymous = await page(server);
    expect(anonymous.html).toContain('action="/admin/login"');
    expect(anonymous.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const wrong = await signIn(server, 'ops@example.com', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.cookie).toBeUndefined();

    const business = await connectNewBusiness(server, 'Bakery <Rossi>');
    await call(server, 'POST', '/sync/v1/push', { token: business.token, body: { changes: [makeChange(business.deviceId, 1), makeChange(business.deviceId, 2)] } });

    const ok = await signIn(server, 'ops@example.com', PASSWORD);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/admin');
    expect(ok.setCookie).toMatch(/HttpOnly/i);
    expect(ok.setCookie).toMatch(/SameSite=Strict/i);
    const signedIn = await page(server, ok.cookie);
    expect(signedIn.html).toContain('Signed in as ops@example.com');
    const row = new RegExp(`<tr data-business="${business.businessId}">.*?</tr>`).exec(signedIn.html)?.[0] ?? '';
    expect(row).toContain('Bakery &lt;Rossi&gt;'); // escaped
    expect(row).toContain('Front desk');
    expect(row).toContain('billing PC');
    expect(row).toMatch(/<td>2<\/td>/); // change count
    expect(row).toMatch(/<td>\d+ B<\/td>/); // storage
    expect(row).not.toContain('never'); // it has synced
  });

  it('suspends and resumes a business and revokes a device; their tokens then get 403 with a clear message', async () => {
    const { cookie } = await signIn(server, 'ops@example.com', PASSWORD);
    const one = await connectNewBusiness(server, 'Suspended Co');
    const two = await joinDevice(server, one.token);
    const other = await connectNewBusiness(server, 'Untouched Co');
    const csrf = csrfOf((await page(server, cookie)).html);

    // Without the CSRF token, or from another origin, nothing happens.
    expect((await post(server, cookie!, `/admin/businesses/${one.businessId}/suspend`, {})).status).toBe(403);
    expect((await post(server, cookie!, `/admin/businesses/${one.businessId}/suspend`, { _csrf: csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(server, 'GET', '/sync/v1/pull', { token: one.token })).status).toBe(200);

    const suspended = await post(server, cookie!, `/admin/businesses/${one.businessId}/suspend`, { _csrf: csrf });
    expect(suspended).toMatchObject({ status: 303, location: '/admin' });
    for (const token of [one.token, two.token]) {
      const pull = await call(server, 'GET', '/sync/v1/pull', { token });
      expect(pull.status).toBe(403);
      expect(pull.body.error).toMatchObject({ type: 'permission', code: 'business_suspended' });
      expect(pull.body.error.message).toMatch(/suspended.*offline/);
      const push = await call(server, 'POST', '/sync/v1/push', { token, body: { changes: [makeChange('x', 1)] } });
      expect(push.status).toBe(403);
    }
    const status = await call(server, 'GET', '/sync/v1/status', { token: two.token });
    expect(status.body.suspended).toBe(true);
    expect((await call(server, 'GET', '/sync/v1/pull', { token: other.token })).status).toBe(200);
    expect((await page(server, cookie)).html).toMatch(new RegExp(`data-business="${one.businessId}">.*?suspended.*?Resume`));

    await post(server, cookie!, `/admin/businesses/${one.businessId}/resume`, { _csrf: csrf });
    expect((await call(server, 'GET', '/sync/v1/pull', { token: one.token })).status).toBe(200);

    const revoked = await post(server, cookie!, `/admin/devices/${two.deviceId}/revoke`, { _csrf: csrf });
    expect(revoked.status).toBe(303);
    const refused = await call(server, 'GET', '/sync/v1/status', { token: two.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ type: 'permission', code: 'device_revoked' });
    expect((await call(server, 'GET', '/sync/v1/pull', { token: one.token })).status).toBe(200);
    expect((await call(server, 'POST', '/sync/v1/push', { token: two.token, body: { changes: [makeChange(two.deviceId, 1)] } })).status).toBe(403);

    // Signed out, the cookie opens nothing.
    expect((await post(server, cookie!, '/admin/logout', { _csrf: csrf })).status).toBe(303);
    expect((await page(server, cookie)).html).toContain('action="/admin/login"');
    expect((await post(server, cookie!, `/admin/businesses/${other.businessId}/suspend`, { _csrf: csrf })).status).toBe(403);
  });

  it('never logs the password or the session cookie', async () => {
    const before = server.logLines.length;
    const { cookie } = await signIn(server, 'ops@example.com', PASSWORD);
    await page(server, cookie);
    const text = server.logLines.slice(before).join('\n');
    expect(text).toMatch(/POST \/admin\/login 303/);
    expect(text).not.toContain(PASSWORD.split(' ')[0]);
    expect(text).not.toContain(cookie!.split('=')[1]);
  });
});
