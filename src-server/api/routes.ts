import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import { ApiError, invalid, isUniqueViolation } from '../errors';
import { authenticate } from './auth';
import { billingRoutes } from './billing';
import { customerRoutes } from './customers';
import { metricsRoutes } from './metrics';
import { subscriptionRoutes } from './subscriptions';
import { JsonText, parseParam, type ApiRoute } from './define';
import { idempotencyKeyOf, replay, requestHashOf, storeAnswer, storedAnswer } from './idempotency';
import { businessChanged } from './key-cache';
import { KeyRateLimiter, type UsageCounter } from './limits';
import { licenseRoutes } from './licenses';
import { LicenseLimiter, type LicenseRates } from '../licenses/rate';

// The REST API under /v1 (spec/server.md, "REST API"): each route of
// define.ts registered with the same steps: the rate, the key (whose check
// also brings the business's projection up to date), the request validated,
// then reads straight, writes in one transaction with their Idempotency-Key record.

export const API_ROUTES: readonly ApiRoute[] = [...customerRoutes, ...billingRoutes, ...subscriptionRoutes, ...metricsRoutes, ...licenseRoutes];

export interface ApiOptions {
  /** Requests a second per API key (per process). */
  ratePerSecond?: number;
  /** Where requests are counted per business and day (the app's, so it can flush it). */
  usage: UsageCounter;
  /** The OpenAPI document of API_ROUTES (the app's, which /docs renders too). */
  document: Record<string, unknown>;
  /** The routes to serve (API_ROUTES; a test gives its own). */
  routes?: readonly ApiRoute[];
  /** The license endpoints' rates per client address and per license key (per process). */
  licenseRates?: Partial<LicenseRates>;
}

const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export async function apiRoutes(scope: FastifyInstance, ctx: ServerContext, options: ApiOptions): Promise<void> {
  const limiter = new KeyRateLimiter(options.ratePerSecond);
  const licenseLimiter = new LicenseLimiter(options.licenseRates);
  const usage = options.usage;
  const document = options.document;

  // JSON only (the app's form parser is for /admin): any other body is refused before it is read, naming the header.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, scope.getDefaultJsonParser('error', 'error'));
  scope.addContentTypeParser('*', (request, _payload, done) =>
    done(invalid('Content-Type', `Content-Type: send application/json, not ${request.headers['content-type'] ?? 'nothing'}.`, 'unsupported_content_type')),
  );
  scope.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).headers(error.headers).send(error.toJSON());
    if (typeof error.code === 'string' && error.code.startsWith('FST_ERR_CTP_') && error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const code = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'invalid_json' : error.code.slice(12).toLowerCase();
      return reply.code(400).send(invalid('body', `body: ${error.message}`, code).toJSON());
    }
    throw error; // the app's handler: 413, 500
  });

  scope.get('/openapi.json', async () => document);

  for (const route of options.routes ?? API_ROUTES) {
    scope.route({
      method: route.method,
      url: fastifyPath(route.path),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const now = ctx.now();
        let key = null;
        if (route.scope === 'public') {
          // No API key: counted by the client's address before anything else, and by the license key once the body is read.
          licenseLimiter.ip(request.ip, now);
        } else {
          // The rate is counted by the key as sent, before any database work (unknown keys too).
          limiter.take(request.headers.authorization ?? '', now);
          key = await authenticate(ctx, request.headers.authorization, route.scope);
          request.businessId = key.businessId;
          usage.count(key.businessId);
        }
        const params = route.params ? parseParam(route.params, request.params, 'path') : undefined;
        const query = route.query ? parseParam(route.query, request.query, 'query') : undefined;
        const stray = route.query ? undefined : Object.keys((request.query ?? {}) as object)[0];
        if (stray !== undefined) throw invalid(stray, `${stray}: not a parameter of this request.`, 'unknown_field');
        if (!route.body && request.body !== undefined && request.body !== null) throw invalid('body', 'body: this request takes no body.');
        const body = route.body ? parseParam(route.body, request.body, 'body') : undefined;
        if (route.rateKey) licenseLimiter.key(route.rateKey(body), now);
        const status = route.status ?? 200;

        const idempotencyKey = route.method === 'GET' || !key ? undefined : idempotencyKeyOf(request.headers['idempotency-key']);
        // Hashed only when there is an answer to store or replay.
        const requestHash = idempotencyKey ? requestHashOf(route.method, request.url.split('?')[0]!, request.body) : '';
        if (idempotencyKey && key) {
          const stored = await storedAnswer(ctx.db, key, idempotencyKey, now);
          if (stored) {
            const again = replay(stored, requestHash);
            return reply.code(again.status).header('idempotent-replayed', 'true').send(again.body);
          }
        }

        const call = { key, params, query, body, now, ip: request.ip, countUsage: (businessId: string) => usage.count(businessId) };
        if (!(route.transaction ?? route.method !== 'GET')) {
          const out: unknown = await route.handler(ctx, call);
          if (out instanceof JsonText) return reply.code(status).type('application/json; charset=utf-8').send(out.text);
          return reply.code(status).send(out);
        }
        try {
          const result = await ctx.db.transaction(async (tx) => {
            const out = await route.handler({ ...ctx, db: tx as unknown as ServerContext['db'] }, call);
            if (idempotencyKey && key) await storeAnswer(tx as unknown as ServerContext['db'], key, idempotencyKey, requestHash, status, out, now);
            return out;
          });
          if (key) businessChanged(key.businessId); // committed: the business's keys are checked again (key-cache.ts); a public route changes no key
          return reply.code(status).send(result);
        } catch (error) {
          // A twin of this request committed first under the same key: its answer, not a second write.
          if (idempotencyKey && key && isUniqueViolation(error)) {
            const stored = await storedAnswer(ctx.db, key, idempotencyKey, now);
            if (stored) {
              const again = replay(stored, requestHash);
              return reply.code(again.status).header('idempotent-replayed', 'true').send(again.body);
            }
          }
          throw error;
        }
      },
    });
  }
}
