import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { startServer, type RunningServer } from '../../src-server/server';
import type { PulledChange } from '@shared/sync/server-wire';
import { createInvite } from '../../src-server/sync/store';

export type StorageKind = 'pglite' | 'postgres';

/** The master key the test servers run with (32 bytes, base64), as env RECURRA_SERVER_KEY would give it: the same in every test process, so a server restarted on a database opens what it sealed. */
export const TEST_SERVER_KEY = Buffer.from('recurra-test-server-key-32-bytes').toString('base64');

/** The storages the suite runs on: PGlite always, PostgreSQL when the global setup started one. */
export const storageKinds: StorageKind[] = inject('pgUrl') ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A new database on the run's PostgreSQL cluster, so test files never share data: a copy of the
 * template the global setup migrated (the server's migration then finds nothing to do).
 */
export async function freshDatabase(): Promise<string> {
  const base = inject('pgUrl');
  const template = inject('pgTemplate');
  if (!base || !template) throw new Error('no PostgreSQL for this run');
  const name = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await client.end();
  }
  return base.replace(/\/postgres$/, `/${name}`);
}

/** A clock the test moves forward (invite and pairing-code expiry). */
export class TestClock {
  offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
  advance(ms: number) {
    this.offsetMs += ms;
  }
}

export interface TestServer extends RunningServer {
  kind: StorageKind;
  clock: TestClock;
  logLines: string[];
  databaseUrl?: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The real server, in this process, on 127.0.0.1 and a free port, over PGlite in a temp folder or a fresh PostgreSQL database. */
export async function startTestServer(kind: StorageKind, options: { databaseUrl?: string; apiRatePerSecond?: number; serverKey?: string } = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-server-'));
  if (kind === 'pglite') fs.cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pgdata'), { recursive: true });
  const databaseUrl = kind === 'postgres' ? (options.databaseUrl ?? (await freshDatabase())) : undefined;
  const clock = new TestClock();
  const logLines: string[] = [];
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, databaseUrl, serverKey: options.serverKey ?? TEST_SERVER_KEY, now: clock.now, log: (l) => logLines.push(l), apiRatePerSecond: options.apiRatePerSecond });
  return Object.assign(server, {
    kind,
    clock,
    logLines,
    databaseUrl,
    dataDir,
    async stop() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP call to the server, JSON in and out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read reply bodies loosely and assert their shape
export async function call<T = any>(
  server: { url: string },
  method: string,
  route: string,
  options: { token?: string; body?: unknown; raw?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

let businesses = 0;

/** An invite made the way `npm run server -- invite` makes it, spent by a connect: device 1 of a new business. */
export async function connectNewBusiness(server: TestServer, name = 'Acme') {
  const invite = await createInvite(server.storage.db, server.clock.now());
  const businessId = `biz-${process.pid}-${++businesses}-${Math.random().toString(36).slice(2, 8)}`;
  const reply = await call(server, 'POST', '/sync/v1/connect', {
    body: { inviteCode: invite.code, businessId, businessName: name, deviceName: 'Front desk' },
  });
  if (reply.status !== 200) throw new Error(`connect: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { businessId: string; businessName: string; deviceId: string; token: string; serverTime: number };
}

/** Device 2 of a business, through pair + join. */
export async function joinDevice(server: TestServer, token: string, deviceName = 'Back office') {
  const pair = await call(server, 'POST', '/sync/v1/pair', { token });
  const reply = await call(server, 'POST', '/sync/v1/join', { body: { code: pair.body.code, deviceName } });
  if (reply.status !== 200) throw new Error(`join: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { businessId: string; businessName: string; deviceId: string; token: string };
}

export function makeChange(deviceId: string, n: number, fields: Record<string, unknown> = { name: `Customer ${n}` }) {
  const hlc = `${String(1_700_000_000_000 + n).padStart(15, '0')}-0000`;
  return { id: `${hlc}-${deviceId}`, hlc, table: 'customers', rowId: `c${n}`, op: 'upsert' as const, fields };
}

/** Pulls until hasMore is false, the way a PC does, keeping the cursor. */
export async function pullAll(server: { url: string }, token: string, after = 0, limit = 500) {
  const changes: PulledChange[] = [];
  let cursor = after;
  for (;;) {
    const reply = await call(server, 'GET', `/sync/v1/pull?after=${cursor}&limit=${limit}`, { token });
    if (reply.status !== 200) throw new Error(`pull: ${reply.status} ${JSON.stringify(reply.body)}`);
    changes.push(...reply.body.changes);
    cursor = reply.body.next;
    if (!reply.body.hasMore) return { changes, cursor };
  }
}
