import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { adminRoutes } from './admin/routes';
import { API_ROUTES, apiRoutes } from './api/routes';
import { UsageCounter } from './api/limits';
import { openApiDocument } from './api/openapi';
import type { ServerContext } from './context';
import { ping } from './db/open';
import { ApiError } from './errors';
import { operatorRoutes } from './operator';
import { projectionScheduler } from './projection/catch-up';
import { describeError, redact } from './redact';
import type { LicenseRates } from './licenses/rate';
import { settleLicenseWrites } from './licenses/write-back';
import { syncRoutes } from './sync/routes';

declare module 'fastify' {
  interface FastifyRequest {
    /** The business a request acted for, for the log line. */
    businessId: string | null;
  }
  interface FastifyInstance {
    /** Writes the REST API's request counts (kept in memory a few seconds) to api_usage now. */
    flushApiUsage(): Promise<void>;
    /** Waits for the license validations' write-backs under way (licenses/write-back.ts). */
    settleLicenseWrites(): Promise<void>;
  }
}

export interface AppOptions {
  /** Where the one line per request goes (stdout by default). */
  log?: (line: string) => void;
  /** Where failures go (stderr by default): names, codes and stack frames, never a value (redact.ts). */
  logError?: (text: string) => void;
  /** PGlite mode only: the token of the lock file that the operator commands send. */
  operatorToken?: string;
  trustProxy?: boolean;
  /** Requests a second per API key (per process); the REST API answers 429 over it. */
  apiRatePerSecond?: number;
  /** The license endpoints' rates per client address and per license key (per process). */
  licenseRates?: Partial<LicenseRates>;
}

/** The whole HTTP surface, on one database; no state of its own between requests. */
export async function buildApp(ctx: ServerContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const out = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (line: string) => out(redact(line));
  const errOut = options.logError ?? ((text: string) => process.stderr.write(`${text}\n`));
  const logError = (text: string) => errOut(redact(text));
  // The background fold's failures too (the first call for a database sets its error handler).
  projectionScheduler(ctx.db, (error) => logError(`${new Date().toISOString()} projection catch-up failed: ${describeError(error)}`));
  const app = Fastify({
    logger: false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // Ids up to 1,000 characters reach the routes, whose schemas answer 400 naming the parameter.
    routerOptions: { maxParamLength: 1000 },
    // A path the router cannot take (a parameter over that, bad percent-encoding): 400 in the one error shape.
    frameworkErrors: (error, _request, reply) => {
      const [code, message] =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? ['path_too_long', 'path: a path parameter is over 1,000 characters.']
          : error.code === 'FST_ERR_BAD_URL'
            ? ['bad_url', 'path: not a valid URL (its percent-encoding is broken).']
            : ['bad_request', 'path: the router refused this request.'];
      void (reply as unknown as FastifyReply).code(400).send(new ApiError(400, 'invalid_request', code, message, 'path').toJSON());
    },
  });
  app.decorateRequest('businessId', null);

  // One line per request: method, path (never the query), status, ms, business. Never a header or a body.
  app.addHook('onResponse', async (request, reply) => {
    const urlPath = request.url.split('?')[0];
    log(
      `${new Date().toISOString()} ${request.method} ${urlPath} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms business=${request.businessId ?? '-'}`,
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).headers(error.headers).send(error.toJSON());
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? 1024 * 1024;
      const mb = (limit / 1024 / 1024).toFixed(0);
      return reply.code(413).send(new ApiError(413, 'invalid_request', 'body_too_large', `The body is over this route's limit of ${mb} MB (${limit} bytes); send smaller batches.`).toJSON());
    }
    if (status < 500) {
      const code = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'invalid_json' : (error.code ?? 'bad_request').toLowerCase();
      return reply.code(status).send(new ApiError(status, 'invalid_request', code, error.message).toJSON());
    }
    logError(`${new Date().toISOString()} error on ${request.method} ${request.url.split('?')[0]}: ${describeError(error)}`);
    return reply.code(500).send(new ApiError(500, 'server', 'internal', 'The server failed on this request; it was not applied. Try again.').toJSON());
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(new ApiError(404, 'not_found', 'no_route', `No route ${request.method} ${request.url.split('?')[0]}.`).toJSON()),
  );

  await app.register(formbody);
  app.get('/health', async () => {
    await ping(ctx.db);
    return { ok: true };
  });
  await app.register(async (scope) => syncRoutes(scope, ctx), { prefix: '/sync/v1' });
  // Only /admin has a cookie (its session): the plugin's two hooks run on its requests, not on every sync and API request.
  await app.register(async (scope) => {
    await scope.register(cookie);
    await adminRoutes(scope, ctx);
  });
  const usage = new UsageCounter(ctx.db, ctx.now);
  app.decorate('flushApiUsage', () => usage.flush());
  app.addHook('onClose', async () => usage.close());
  app.decorate('settleLicenseWrites', settleLicenseWrites);
  app.addHook('onClose', async () => settleLicenseWrites());
  const document = openApiDocument(API_ROUTES, { version: '1' });
  await app.register(async (scope) => apiRoutes(scope, ctx, { ratePerSecond: options.apiRatePerSecond, licenseRates: options.licenseRates, usage, document }), { prefix: '/v1' });
  // /docs: the same OpenAPI document, rendered by Swagger UI from the package's own files (no CDN).
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', defaultModelsExpandDepth: 0, url: '/v1/openapi.json' },
    theme: { title: 'Recurra REST API', css: [{ filename: 'recurra.css', content: '.swagger-ui .topbar { display: none }' }] },
  });
  if (options.operatorToken) {
    const token = options.operatorToken;
    await app.register(async (scope) => operatorRoutes(scope, { ...ctx, token }));
  }
  return app;
}
