import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import {
  contract,
  isMethodName,
  type Contract,
  type EventName,
  type EventPayload,
  type MethodName,
  type Output,
  type ParsedInput,
  type RpcErrorBody,
  type RpcResult,
} from '@shared/contract';
import { dateInTimeZone } from '@shared/domain/dates';
import { roleAtLeast, type Role } from '@shared/domain/roles';
import { writeAudit, type AuditInput } from './audit/audit';
import { mustSetUpTwoFactor } from './auth/two-factor';
import { checkDateBounds } from './date-bounds';
import type { BusinessDb } from './db/open';
import { businessTimezone } from './db/settings';
import { stmt } from './db/statements';
import { DatabaseTooNewError, MigrationError } from './db/migrate';
import { AppError, forbidden, unauthenticated } from './errors';
import type { Clock, ExportDestination, ImportSource, Logger } from './ports';
import type { SessionServices } from './services';

/**
 * One caller: a window's webContents in Electron, a browser tab of the host,
 * or the CLI. The session belongs to the connection, never to the payload.
 */
export interface Connection {
  readonly id: string;
  sessionId: string | null;
  send<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Where this front puts exported files (save dialog, download, --out). */
  readonly exports?: ExportDestination;
  /** Where this front gets files the user picks (open dialog, upload, --file). */
  readonly imports?: ImportSource;
  /**
   * A one-shot caller (a CLI run): a successful login is recorded (its audit
   * row, last login) inside the first write rather than at once, so a run
   * that only reads writes nothing to the business file.
   */
  readonly deferLoginRecord?: boolean;
  /** Set by auth.login on such a connection until a write has recorded the login. */
  pendingLoginRecord?: ((db: BusinessDb) => void) | undefined;
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
}

/** What a handler of a logged-in method gets: its business's handle and nothing else. */
export interface SessionContext {
  readonly db: BusinessDb;
  readonly user: SessionUser;
  readonly sessionId: string;
  readonly clock: Clock;
  /** The current instant (one read per call, so a call sees one time). */
  readonly now: Date;
  audit(entry: AuditInput): void;
  /** Names what the write changed, for the renderer's data-changed event. */
  changed(...entities: string[]): void;
  /** After the write commits, log out a user's sessions (all but the caller's own). */
  endSessionsOfUser(userId: string, reason: string): void;
  /** Work to do once the write has committed (never inside the transaction). */
  afterCommit(fn: () => void): void;
  /** Where exports go for this caller. */
  readonly exports: ExportDestination;
  /** Billing and other services of this business. */
  readonly services: SessionServices;
}

export interface PublicContext<Core> {
  readonly core: Core;
  readonly conn: Connection;
}

/** Write handlers are synchronous (they run inside a better-sqlite3 transaction); reads may await (exports). */
type SessionHandler<M extends MethodName> = Contract[M]['write'] extends true
  ? (ctx: SessionContext, input: ParsedInput<M>) => Output<M>
  : (ctx: SessionContext, input: ParsedInput<M>) => Output<M> | Promise<Output<M>>;
type PublicHandler<M extends MethodName, Core> = (
  ctx: PublicContext<Core>,
  input: ParsedInput<M>,
) => Output<M> | Promise<Output<M>>;

export type HandlerFor<M extends MethodName, Core> = Contract[M]['access'] extends 'public'
  ? PublicHandler<M, Core>
  : SessionHandler<M>;

export type Handlers<Core> = { [M in MethodName]: HandlerFor<M, Core> };

/** Context by which a session is resolved and writes are wrapped; implemented by the core. */
export interface RpcHost<Core> {
  readonly core: Core;
  readonly clock: Clock;
  readonly logger: Logger;
  resolveSession(conn: Connection): { sessionId: string; db: BusinessDb; user: SessionUser } | null;
  /** Runs after a write commits. */
  afterWrite(db: BusinessDb, entities: string[]): void;
  /**
   * A call found the business's file busy and waits for it: a billing run in a worker yields to it (ends its
   * batch). Returns the release, called when the call is done (billing/executor.ts `writerWaiting`).
   */
  writerWaiting?(db: BusinessDb): () => void;
  endSessionsOfUser(businessId: string, userId: string, reason: string, keepSessionId: string): void;
  /** Why the connection has no session, if the store knows (deactivated, expired). */
  endedReason?(conn: Connection): string | undefined;
  /** Where exports go when the connection does not say. */
  readonly defaultExports?: ExportDestination;
  services(db: BusinessDb, user: SessionUser): SessionServices;
}

export function errorBody(error: unknown, logger: Logger): RpcErrorBody {
  if (error instanceof AppError) return error.toBody();
  if (error instanceof z.ZodError) return zodErrorBody(error);
  // A business file this version cannot open: say so plainly, it is not a crash.
  if (error instanceof DatabaseTooNewError || error instanceof MigrationError) {
    return { code: 'conflict', message: error.message };
  }
  const sqliteCode = (error as { code?: string })?.code;
  if (sqliteCode === 'SQLITE_CONSTRAINT_UNIQUE') return { code: 'conflict', message: 'That already exists' };
  if (sqliteCode === 'SQLITE_BUSY') {
    return { code: 'conflict', message: 'The business file is busy (another Recurra is writing). Try again.' };
  }
  logger.error('internal error', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return { code: 'internal', message: `Something went wrong: ${error instanceof Error ? error.message : String(error)}` };
}

export function zodErrorBody(error: z.ZodError): RpcErrorBody {
  const issue = error.issues[0];
  let field = issue?.path.map(String).join('.');
  if (issue?.code === 'unrecognized_keys') {
    const key = [...issue.path.map(String), issue.keys[0] ?? ''].join('.');
    return { code: 'validation', field: key, message: `Unknown field "${key}"` };
  }
  if (field === '') field = undefined;
  const message = issue?.message ?? 'Invalid input';
  if (!field) return { code: 'validation', message: issue?.code === 'invalid_type' ? `Malformed request: ${message}` : message };
  return { code: 'validation', field, message };
}

/**
 * The single entry for every call from every front (IPC, HTTP, CLI):
 * unknown methods are refused, the session and role are checked, the input is
 * parsed by its schema, writes run in one IMMEDIATE transaction that must
 * leave an audit row, and the output is parsed so nothing unlisted leaks.
 */
export function createDispatcher<Core>(host: RpcHost<Core>, handlers: Handlers<Core>) {
  return async function dispatch(conn: Connection, methodName: unknown, rawInput: unknown): Promise<RpcResult<unknown>> {
    try {
      if (!isMethodName(methodName)) {
        throw new AppError('not_found', `Unknown method "${String(methodName).slice(0, 80)}"`);
      }
      const spec = contract[methodName];
      const handler = handlers[methodName] as (ctx: unknown, input: unknown) => unknown;
      let output: unknown;
      if (spec.access === 'public') {
        const input = parseInput(spec.input, rawInput);
        output = await handler({ core: host.core, conn } satisfies PublicContext<Core>, input);
      } else {
        const resolved = host.resolveSession(conn);
        if (!resolved) throw unauthenticated(host.endedReason?.(conn) ?? 'Please log in');
        if (!roleAtLeast(resolved.user.role, spec.access)) throw forbidden();
        if (!BEFORE_TWO_FACTOR.has(methodName) && mustSetUpTwoFactor(resolved.db, resolved.user.id)) {
          throw forbidden('The owner requires two-factor login: set it up first (Settings > Account, or `recurra account 2fa setup`).');
        }
        const input = parseInput(spec.input, rawInput);
        const now = host.clock.now();
        checkDateBounds(spec.input, input, () => dateInTimeZone(now, businessTimezone(resolved.db)), now);
        const waiting = host.writerWaiting && (() => host.writerWaiting!(resolved.db));
        output = spec.write
          ? await whenFree(() => runWrite(host, conn, resolved, methodName, handler, input), waiting)
          : await whenFree(() => handler(makeContext(host, conn, resolved, null), input), waiting);
      }
      return { ok: true, data: spec.output.parse(output) };
    } catch (error) {
      return { ok: false, error: errorBody(error, host.logger) };
    }
  };
}

/** What a user the owner requires to set up two-factor may call before they have (ARCHITECTURE.md "Two-factor login"). */
const BEFORE_TWO_FACTOR: ReadonlySet<MethodName> = new Set<MethodName>([
  'auth.twoFactorStatus',
  'auth.twoFactorSetup',
  'auth.twoFactorConfirm',
  'auth.changePassword',
]);

// Inputs are parsed strictly: an unexpected key (a businessId slipped into a
// payload, a typo) is refused, never silently dropped.
const strictInputs = new Map<z.ZodType, z.ZodType>();
function strict(schema: z.ZodType): z.ZodType {
  let s = strictInputs.get(schema);
  if (!s) {
    s = schema instanceof z.ZodObject ? schema.strict() : schema;
    strictInputs.set(schema, s);
  }
  return s;
}

const isBusy = (error: unknown) => (error as { code?: string })?.code === 'SQLITE_BUSY';

/**
 * A call that finds the file busy (a billing batch in the worker, the CLI)
 * waits without blocking the thread and tries again: the window stays
 * responsive however long the other writer's transaction is. Writes, and
 * reads that write (the dashboard folds in what changed), are retried when
 * they throw at once; a handler's own awaited work is not re-run. The first
 * time it finds the file busy it says so (`waiting`): a billing run of this
 * process then ends its batch and lets it in.
 */
async function whenFree<T>(write: () => T, waiting?: () => () => void, patienceMs = 30_000): Promise<T> {
  const until = performance.now() + patienceMs;
  let release: (() => void) | undefined;
  try {
    for (;;) {
      try {
        return write();
      } catch (error) {
        if (!isBusy(error) || performance.now() > until) throw error;
        release ??= waiting?.();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  } finally {
    release?.();
  }
}

function parseInput(schema: z.ZodType, raw: unknown): unknown {
  const result = strict(schema).safeParse(raw === undefined ? {} : raw);
  if (!result.success) throw result.error;
  return result.data;
}

interface WriteLog {
  audits: number;
  entities: Set<string>;
  afterCommit: (() => void)[];
}

function makeContext<Core>(
  host: RpcHost<Core>,
  conn: Connection,
  resolved: { sessionId: string; db: BusinessDb; user: SessionUser },
  log: WriteLog | null,
): SessionContext {
  const now = host.clock.now();
  const actor = { userId: resolved.user.id, userEmail: resolved.user.email };
  let services: SessionServices | undefined;
  return {
    db: resolved.db,
    user: resolved.user,
    sessionId: resolved.sessionId,
    clock: host.clock,
    now,
    exports: conn.exports ?? host.defaultExports ?? noExports,
    // Built on first use: most handlers never touch them, and building them costs more than a small write.
    get services() {
      return (services ??= host.services(resolved.db, resolved.user));
    },
    audit(entry) {
      if (!log) throw new Error('audit() outside a write');
      writeAudit(resolved.db.orm, actor, now, entry);
      log.audits += 1;
    },
    changed(...entities) {
      if (!log) throw new Error('changed() outside a write');
      for (const e of entities) log.entities.add(e);
    },
    endSessionsOfUser(userId, reason) {
      if (!log) throw new Error('endSessionsOfUser() outside a write');
      log.afterCommit.push(() => host.endSessionsOfUser(resolved.db.businessId, userId, reason, resolved.sessionId));
    },
    afterCommit(fn) {
      if (!log) throw new Error('afterCommit() outside a write');
      log.afterCommit.push(fn);
    },
  };
}

function runWrite<Core>(
  host: RpcHost<Core>,
  conn: Connection,
  resolved: { sessionId: string; db: BusinessDb; user: SessionUser },
  method: MethodName,
  handler: (ctx: unknown, input: unknown) => unknown,
  input: unknown,
): unknown {
  const log: WriteLog = { audits: 0, entities: new Set(), afterCommit: [] };
  const ctx = makeContext(host, conn, resolved, log);
  const changes = stmt(resolved.db.sqlite, 'SELECT total_changes() AS n').pluck();
  const pendingLogin = conn.pendingLoginRecord;
  const output = resolved.db.sqlite
    .transaction(() => {
      pendingLogin?.(resolved.db);
      const before = changes.get() as number;
      const result = handler(ctx, input);
      if (result instanceof Promise) throw new Error(`${method}: a write handler must not be async`);
      // Every change leaves an audit row; a write that changed nothing (a dry run) needs none.
      if (log.audits === 0 && (changes.get() as number) > before) throw new Error(`${method} changed data without an audit row`);
      return result;
    })
    .immediate();
  if (pendingLogin && conn.pendingLoginRecord === pendingLogin) conn.pendingLoginRecord = undefined;
  const entities = log.entities.size ? [...log.entities] : [method.split('.')[0] ?? method];
  for (const fn of log.afterCommit) fn();
  host.afterWrite(resolved.db, entities);
  return output;
}

const noExports: ExportDestination = {
  open: () => Promise.reject(new AppError('conflict', 'Exporting files is not available here')),
};
