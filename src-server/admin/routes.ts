import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import { forbidden, notFound } from '../errors';
import { LOGIN_FAILURES, recordFailure, refuseIfLimited } from '../rate-limit';
import { dashboardPage, loginPage } from './pages';
import { csrfMatches, listBusinesses, login, logout, revokeDevice, SESSION_TTL_MS, sessionFor, setSuspended, type AdminSession } from './store';

const COOKIE = 'recurra_admin';

/**
 * `/admin`: server-rendered pages for the operator. The session is a cookie
 * (HttpOnly, SameSite=Strict, path /admin) whose token the database keeps as a
 * hash; every form POST carries the session's CSRF token and a same-origin check.
 */
export async function adminRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);

  app.get('/admin', async (request, reply) => {
    const session = await sessionFor(ctx.db, request.cookies[COOKIE], ctx.now());
    if (!session) return html(reply, 200, loginPage());
    return html(reply, 200, dashboardPage(session.email, session.csrfToken, await listBusinesses(ctx.db, ctx.now())));
  });

  app.post('/admin/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const key = `login:${request.ip}`;
    await refuseIfLimited(ctx.db, key, LOGIN_FAILURES, ctx.now());
    const made = await login(ctx.db, String(body.email ?? ''), String(body.password ?? ''), ctx.now());
    if (!made) {
      await recordFailure(ctx.db, key, LOGIN_FAILURES, ctx.now());
      return html(reply, 401, loginPage('Wrong email or password.'));
    }
    reply.setCookie(COOKIE, made.token, {
      path: '/admin',
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      maxAge: SESSION_TTL_MS / 1000,
    });
    return reply.redirect('/admin', 303);
  });

  /** Every state-changing admin POST: a live session, its CSRF token, and no foreign Origin. */
  async function guarded(request: FastifyRequest): Promise<AdminSession> {
    const session = await sessionFor(ctx.db, request.cookies[COOKIE], ctx.now());
    if (!session) throw forbidden('not_signed_in', 'Sign in at /admin first.');
    const origin = request.headers.origin;
    if (origin && origin !== `${request.protocol}://${request.host}`) throw forbidden('bad_origin', 'This form was posted from another site.');
    if (!csrfMatches(session, (request.body as Record<string, unknown> | undefined)?._csrf)) {
      throw forbidden('bad_csrf', 'The form is stale or was not sent by this admin page; reload /admin and try again.');
    }
    return session;
  }

  app.post('/admin/logout', async (request, reply) => {
    await logout(ctx.db, await guarded(request));
    reply.clearCookie(COOKIE, { path: '/admin' });
    return reply.redirect('/admin', 303);
  });

  app.post<{ Params: { id: string; verb: string } }>('/admin/businesses/:id/:verb', async (request, reply) => {
    await guarded(request);
    const { id, verb } = request.params;
    if (verb !== 'suspend' && verb !== 'resume') throw notFound('not_found', `No admin action ${verb}.`);
    request.businessId = id;
    if (!(await setSuspended(ctx.db, id, verb === 'suspend', ctx.now()))) throw notFound('business_not_found', `No business ${id}.`);
    return reply.redirect('/admin', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/devices/:id/revoke', async (request, reply) => {
    await guarded(request);
    if (!(await revokeDevice(ctx.db, request.params.id, ctx.now()))) throw notFound('device_not_found', `No device ${request.params.id}.`);
    return reply.redirect('/admin', 303);
  });
}
