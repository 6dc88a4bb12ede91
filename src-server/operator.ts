import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAdmin } from './admin/store';
import type { ServerContext } from './context';
import { ApiError, forbidden } from './errors';
import { createInvite } from './sync/store';

// PGlite is one process's database: nothing stops a second process opening
// the same folder and corrupting it. So whoever opens a --data-dir (the
// server, or an operator command when no server runs) first creates
// server.lock.json there (O_EXCL, mode 0600) with its pid; a running server
// also writes its loopback URL and a random operator token into it, and the
// operator commands send their work to that server over HTTP with the token.

export const LOCK_FILE = 'server.lock.json';

export interface LockInfo {
  pid: number;
  /** Set once the server listens; absent for an operator command holding the folder. */
  url?: string;
  token?: string;
}

export const lockPath = (dataDir: string) => path.join(dataDir, LOCK_FILE);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** Takes the data folder for this process, or says who holds it. A lock left by a dead process is taken over. */
export function acquireDataDir(dataDir: string): { update(info: Omit<LockInfo, 'pid'>): void; release(): void } {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockPath(dataDir);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid }), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
      const holder = readLock(dataDir);
      if (holder && alive(holder.pid) && holder.pid !== process.pid) {
        throw new Error(
          `The data folder ${dataDir} is in use by process ${holder.pid} (${holder.url ? `a server at ${holder.url}` : 'an operator command'}). ` +
            'Embedded PostgreSQL (PGlite) allows one process per folder: stop it, or use another --data-dir, or set DATABASE_URL.',
        );
      }
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  return {
    update(info) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ pid: process.pid, ...info }), { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    release() {
      if (readLock(dataDir)?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}

/** The operator's routes on a PGlite server: only with the token of the lock file, only from this machine. */
export async function operatorRoutes(app: FastifyInstance, ctx: ServerContext & { token: string }): Promise<void> {
  app.addHook('preHandler', async (request) => {
    const given = Buffer.from(/^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(ctx.token);
    const local = request.socket.remoteAddress === request.socket.localAddress || isLoopback(request.socket.remoteAddress);
    if (!local || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw forbidden('operator_only', 'Operator commands come from this machine, with the token in the data folder.');
    }
  });
  app.post('/_operator/invite', async () => createInvite(ctx.db, ctx.now()));
  app.post('/_operator/admins', async (request) => {
    const body = (request.body ?? {}) as { email?: string; password?: string };
    return createAdmin(ctx.db, String(body.email ?? ''), String(body.password ?? ''), ctx.now());
  });
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** The URL an operator command on this machine uses to reach a server listening on host:port. */
export function localUrl(host: string, port: number): string {
  const wildcard = ['0.0.0.0', '::', '', 'localhost'].includes(host) || host.startsWith('127.');
  if (wildcard) return `http://127.0.0.1:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** Sends an operator command to the running server named in the lock file. */
export async function callRunningServer<T>(lock: LockInfo, route: string, body: unknown): Promise<T> {
  const response = await fetch(`${lock.url}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${lock.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const json = (await response.json()) as T & { error?: { type: string; code: string; message: string; param?: string } };
  if (!response.ok && json.error) {
    throw new ApiError(response.status, json.error.type as ApiError['type'], json.error.code, json.error.message, json.error.param);
  }
  return json;
}
