import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';

// `npm run server [-- options]` and its operator commands. Everything heavy
// (fastify, the database drivers, argon2) is imported only by the command that
// needs it, so `--help` answers at once.

interface Common {
  host: string;
  port: string;
  dataDir: string;
}

function program(): Command {
  const cmd = new Command('server')
    .description('The Recurra sync server. Storage: PostgreSQL at DATABASE_URL, else embedded PostgreSQL (PGlite) in --data-dir.')
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').env('PORT').default('8787'))
    .option('--data-dir <dir>', 'folder of the embedded database (without DATABASE_URL)', './server-data')
    .exitOverride()
    .action(async (opts: Common) => serve(opts));

  cmd
    .command('invite')
    .description('print a one-time enrollment code, valid 24 h, that lets one business connect')
    .option('--json', 'print {code, expiresAt}')
    .action(async (opts: { json?: boolean }) => {
      const invite = await operator<{ code: string; expiresAt: string }>(cmd.opts<Common>(), { kind: 'invite' });
      process.stdout.write(opts.json ? `${JSON.stringify(invite)}\n` : `Invite code: ${invite.code}\nValid until ${invite.expiresAt} (one business, one use).\n`);
    });

  const admin = cmd.command('admin').description('server admins (the /admin page)');
  admin
    .command('create')
    .description('make a server admin; the password comes from env RECURRA_PASSWORD')
    .requiredOption('--email <email>', 'the admin\'s email (their login)')
    .option('--json', 'print {id, email}')
    .action(async (opts: { email: string; json?: boolean }) => {
      const password = process.env.RECURRA_PASSWORD;
      if (!password) throw new UsageError('Set the password in env RECURRA_PASSWORD (it is never taken from the command line).');
      const made = await operator<{ id: string; email: string }>(cmd.opts<Common>(), { kind: 'admin', email: opts.email, password });
      process.stdout.write(opts.json ? `${JSON.stringify(made)}\n` : `Admin ${made.email} created; sign in at /admin.\n`);
    });
  admin
    .command('rotate-key')
    .description(
      'encrypt the license signing keys under a new server key: the current one from RECURRA_SERVER_KEY (or server.key), the new one from ' +
        'RECURRA_SERVER_NEW_KEY (on PGlite with server.key, made and written there when not set); stop the server first',
    )
    .option('--json', 'print {resealed, sealedPlain, newKeyIn, generated}')
    .action(async (opts: { json?: boolean }) => {
      const done = await rotateKey(cmd.opts<Common>());
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(done)}\n`);
        return;
      }
      const plain = done.sealedPlain ? ` (${done.sealedPlain} stored unencrypted until now)` : '';
      const next =
        done.newKeyIn === 'RECURRA_SERVER_KEY'
          ? 'Now set RECURRA_SERVER_KEY to the new key (the value of RECURRA_SERVER_NEW_KEY) for every server process, and start them.'
          : `The new key replaced ${done.newKeyIn}: back it up apart from the database (the old key no longer opens anything), and start the server.`;
      process.stdout.write(`Re-encrypted ${done.resealed} license signing key${done.resealed === 1 ? '' : 's'} under the new server key${plain}.\n${next}\n`);
    });
  return cmd;
}

class UsageError extends Error {}

/**
 * `admin rotate-key`, on the database itself, never through a running server: a
 * running server holds the old key in memory. On PGlite the data folder's lock
 * proves none runs; with DATABASE_URL the operator stops them (README).
 */
async function rotateKey(opts: Common) {
  const { acquireDataDir } = await import('./operator');
  const { openStorage } = await import('./db/open');
  const { applyRotation, planRotation } = await import('./key-rotation');
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = path.resolve(opts.dataDir);
  let lock: { release(): void } | null = null;
  if (!databaseUrl) {
    try {
      lock = acquireDataDir(dataDir);
    } catch (error) {
      throw new Error(`Stop the server first: it keeps the current key in memory. ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    // Both keys checked before the database is opened.
    const plan = planRotation({ databaseUrl, dataDir, envKey: process.env.RECURRA_SERVER_KEY || undefined, envNewKey: process.env.RECURRA_SERVER_NEW_KEY || undefined });
    const storage = await openStorage({ databaseUrl, dataDir });
    try {
      return await applyRotation(storage.db, plan);
    } finally {
      await storage.close();
    }
  } finally {
    lock?.release();
  }
}

type OperatorAction = { kind: 'invite' } | { kind: 'admin'; email: string; password: string };

/**
 * Runs an operator command: straight on PostgreSQL with DATABASE_URL (any
 * number of processes may); on PGlite through the running server when there is
 * one (see operator.ts), else on the data folder directly, holding its lock.
 */
async function operator<T>(opts: Common, action: OperatorAction): Promise<T> {
  const { acquireDataDir, callRunningServer, readLock } = await import('./operator');
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = path.resolve(opts.dataDir);
  if (!databaseUrl) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const lock = readLock(dataDir);
      if (lock?.url && lock.token) {
        try {
          return await callRunningServer<T>(lock, action.kind === 'invite' ? '/_operator/invite' : '/_operator/admins', action);
        } catch (error) {
          if (!(error instanceof TypeError)) throw error; // TypeError: fetch failed, the server is gone or stopping
        }
      }
      try {
        return await direct<T>(dataDir, undefined, action, acquireDataDir(dataDir));
      } catch (error) {
        if (!/is in use by process/.test(String((error as Error).message))) throw error;
        await new Promise((r) => setTimeout(r, 200)); // a server is starting: wait for its URL
      }
    }
    throw new Error(`The data folder ${dataDir} stays locked by another process; see ${path.join(dataDir, 'server.lock.json')}.`);
  }
  return direct<T>(dataDir, databaseUrl, action, null);
}

async function direct<T>(dataDir: string, databaseUrl: string | undefined, action: OperatorAction, lock: { release(): void } | null): Promise<T> {
  try {
    const { openStorage } = await import('./db/open');
    const storage = await openStorage({ databaseUrl, dataDir });
    try {
      if (action.kind === 'invite') {
        const { createInvite } = await import('./sync/store');
        return (await createInvite(storage.db, new Date())) as T;
      }
      const { createAdmin } = await import('./admin/store');
      return (await createAdmin(storage.db, action.email, action.password, new Date())) as T;
    } finally {
      await storage.close();
    }
  } finally {
    lock?.release();
  }
}

async function serve(opts: Common): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: a port number from 0 to 65535, not ${opts.port}`);
  const { startServer } = await import('./server');
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const server = await startServer({
    host: opts.host,
    port,
    dataDir: path.resolve(opts.dataDir),
    databaseUrl,
    serverKey: process.env.RECURRA_SERVER_KEY || undefined,
    trustProxy: process.env.TRUST_PROXY === '1',
  });
  const storage = databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${path.resolve(opts.dataDir)}`;
  process.stdout.write(`Recurra server listening on ${server.url} (storage: ${storage})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping (finishing requests under way)\n`);
    server.close().then(
      () => {
        process.stdout.write('Stopped.\n');
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`Stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  try {
    await program().parseAsync(process.argv.slice(2), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const err = error as { message?: string; error?: unknown; toJSON?: () => unknown };
    process.stderr.write(`Error: ${err.message ?? String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

void main();
