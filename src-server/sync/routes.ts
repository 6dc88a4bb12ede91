import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { revokeDevice } from '../admin/store';
import { ApiError, invalid, unauthenticated } from '../errors';
import type { ServerContext } from '../context';
import { scheduleProjection, stopProjection } from '../projection/catch-up';
import { CODE_GUESSES, recordFailure, refuseIfLimited } from '../rate-limit';
import {
  BadCode,
  connectBusiness,
  createPairCode,
  deviceByToken,
  joinBusiness,
  pullChanges,
  pushChanges,
  revokedError,
  suspendedError,
  syncStatus,
  takeBillingDevice,
  type DeviceIdentity,
} from './store';
import {
  connectRequest,
  joinRequest,
  MAX_PUSH_BYTES,
  MAX_PUSH_CHANGES,
  MAX_STAMP_AHEAD_MS,
  pullQuery,
  stampMs,
  pushRequest,
  statusQuery,
  type BillingTakeResponse,
  type CodeResponse,
  type DisconnectResponse,
  type EnrolledResponse,
  type PullResponse,
  type PushResponse,
  type StatusResponse,
  type SyncChange,
} from '@shared/sync/server-wire';

declare module 'fastify' {
  interface FastifyRequest {
    device: DeviceIdentity | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a device token (connect, join). */
    public?: boolean;
    /** Answers for a suspended business too (status, so the PC can say so). */
    allowSuspended?: boolean;
  }
}

/** Parses with zod; the first issue becomes a 400 naming its field. */
export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = issue.path.join('.') || 'body';
  throw invalid(param, `${param}: ${issue.message}`);
}

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const STAMP_START = /^\d{13}/;

/**
 * A push body as `pushRequest` parses it, checked by hand: zod built a copy of every change and of
 * every field (a first upload's thousands of changes per push: about a tenth of the server's CPU
 * and much of its garbage). The checks are `syncChange`'s; anything they do not pass, or that is not a
 * plain JSON object where one is expected, goes to zod, which accepts it or refuses it naming the
 * field as before (`tests/server/sync-push.test.ts` compares the two on valid and invalid bodies).
 */
export function parsePush(body: unknown): { changes: SyncChange[]; after?: string | undefined } {
  const list = (body as { changes?: unknown } | null)?.changes;
  const after = (body as { after?: unknown } | null)?.after;
  if (!plain(body) || !Array.isArray(list) || (after !== undefined && (typeof after !== 'string' || after.length < 1 || after.length > 200))) return parse(pushRequest, body);
  const out: SyncChange[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as Record<string, unknown> | null;
    if (!plain(c)) return parse(pushRequest, body);
    const { id, hlc, table, rowId, op } = c as Record<string, unknown>;
    const fields = (c as Record<string, unknown>).fields;
    if (
      typeof id !== 'string' || id.length < 1 || id.length > 200 ||
      typeof hlc !== 'string' || hlc.length > 100 || !STAMP_START.test(hlc) ||
      typeof table !== 'string' || !TABLE_NAME.test(table) ||
      typeof rowId !== 'string' || rowId.length < 1 || rowId.length > 200 ||
      (op !== 'upsert' && op !== 'delete') ||
      (fields !== undefined && !plain(fields))
    ) {
      return parse(pushRequest, body);
    }
    out[i] = { id, hlc, table, rowId, op, fields: (fields ?? {}) as Record<string, unknown> };
  }
  return after === undefined ? { changes: out } : { changes: out, after };
}

/** An object as JSON.parse makes them (not an array, not null, Object's prototype). */
function plain(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** The sync protocol, `/sync/v1/*` (docs/sync-protocol.md). */
export async function syncRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.decorateRequest('device', null);
  // Background folds finish before the database closes.
  app.addHook('onClose', () => stopProjection(ctx.db));

  // Authentication is a hook, not code in each handler: every route but connect and join needs a device token.
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.public) return;
    const who = await authenticate(ctx, request);
    request.device = who;
    request.businessId = who.businessId;
    if (who.revoked) throw revokedError();
    if (who.suspended && !request.routeOptions.config.allowSuspended) throw suspendedError();
  });

  const me = (request: FastifyRequest) => request.device!;
  const now = () => ctx.now();

  /** Connect and join: a code typed by a person, so wrong ones count against the address (rate limited). */
  const enrol = async (request: FastifyRequest, enrolWith: () => Promise<Omit<EnrolledResponse, 'serverTime'>>): Promise<EnrolledResponse> => {
    const key = `code:${request.ip}`;
    await refuseIfLimited(ctx.db, key, CODE_GUESSES, now());
    try {
      const enrolled = await enrolWith();
      request.businessId = enrolled.businessId;
      return { ...enrolled, serverTime: now().getTime() };
    } catch (error) {
      if (error instanceof BadCode) await recordFailure(ctx.db, key, CODE_GUESSES, now());
      throw error;
    }
  };

  app.post('/connect', { config: { public: true } }, async (request): Promise<EnrolledResponse> => {
    const input = parse(connectRequest, request.body);
    return enrol(request, () => connectBusiness(ctx.db, input, now()));
  });

  app.post('/join', { config: { public: true } }, async (request): Promise<EnrolledResponse> => {
    const input = parse(joinRequest, request.body);
    return enrol(request, () => joinBusiness(ctx.db, input, now()));
  });

  app.post('/pair', async (request): Promise<CodeResponse> => createPairCode(ctx.db, me(request), now()));

  app.post('/push', { bodyLimit: MAX_PUSH_BYTES }, async (request): Promise<PushResponse> => {
    const count = (request.body as { changes?: unknown } | null)?.changes;
    if (Array.isArray(count) && count.length > MAX_PUSH_CHANGES) {
      throw new ApiError(
        413,
        'invalid_request',
        'too_many_changes',
        `A push carries at most ${MAX_PUSH_CHANGES} changes; this one has ${count.length}. Send them in batches.`,
        'changes',
      );
    }
    const { changes, after } = parsePush(request.body);
    refuseFutureStamps(changes, now().getTime());
    const result = await pushChanges(ctx.db, me(request), changes, now(), after);
    // The projection folds them a moment after this business's pushes stop, never in the push's transaction,
    // and a fold of a backlog gives way to further pushes (an upload).
    if (result.accepted > 0) scheduleProjection(ctx.db, me(request).businessId, undefined, true);
    return { ...result, serverTime: now().getTime(), ordered: true };
  });

  app.get('/pull', async (request): Promise<PullResponse> => {
    const { after, limit, own } = parse(pullQuery, request.query);
    const result = await pullChanges(ctx.db, me(request), after, limit, now(), own === '1');
    return { ...result, serverTime: now().getTime() };
  });

  app.get('/status', { config: { allowSuspended: true } }, async (request): Promise<StatusResponse> => ({
    ...(await syncStatus(ctx.db, me(request), parse(statusQuery, request.query).own === '1')),
    serverTime: now().getTime(),
  }));

  app.post('/billing-device/take', async (request): Promise<BillingTakeResponse> => takeBillingDevice(ctx.db, me(request)));

  // `sync disconnect`: the PC forgets the server, and its token stops working here too.
  app.post('/disconnect', { config: { allowSuspended: true } }, async (request): Promise<DisconnectResponse> => {
    await revokeDevice(ctx.db, me(request).deviceId, now());
    return { disconnected: true };
  });
}

/**
 * Spec: "never a change stamped in the future". A change stamped more than MAX_STAMP_AHEAD_MS ahead of
 * this server's clock would win every edit made elsewhere until real time caught up, so the whole
 * batch is refused (nothing stored), naming the first such change. A PC re-stamps its unpushed changes
 * with its corrected clock before it pushes (docs/sync-pc.md, "The HLC"), so it meets this only when
 * its clock jumped ahead between the server's answer and its push.
 */
function refuseFutureStamps(changes: SyncChange[], nowMs: number): void {
  const limit = nowMs + MAX_STAMP_AHEAD_MS;
  const index = changes.findIndex((c) => stampMs(c.hlc) > limit);
  if (index < 0) return;
  const c = changes[index]!;
  const minutes = Math.round((stampMs(c.hlc) - nowMs) / 60_000);
  throw new ApiError(
    400,
    'invalid_request',
    'stamped_in_future',
    `Change ${c.id} (${c.table} ${c.rowId}) is stamped ${minutes} minutes ahead of the server's clock (at most ${MAX_STAMP_AHEAD_MS / 60_000} allowed); nothing of this push was stored. Check this PC's clock and sync again.`,
    `changes.${index}.hlc`,
  );
}

async function authenticate(ctx: ServerContext, request: FastifyRequest): Promise<DeviceIdentity> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('This call needs the device token: Authorization: Bearer <token>.');
  const who = await deviceByToken(ctx.db, match[1]!);
  if (!who) throw unauthenticated('The device token is not known to this server; connect or pair this PC again.');
  return who;
}
