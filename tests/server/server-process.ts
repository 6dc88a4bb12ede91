import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

// `npm run server` as a real child process (tsx on src-server/main.ts), for
// the tests that need the process itself: its start, stop, log, and a kill.

const root = path.resolve(import.meta.dirname, '../..');
const main = path.join(root, 'src-server/main.ts');

export interface ServerProc {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

/** The tests' master key (support.ts's TEST_SERVER_KEY), given to a server on DATABASE_URL unless the test sets RECURRA_SERVER_KEY itself. */
const TEST_SERVER_KEY = Buffer.from('recurra-test-server-key-32-bytes').toString('base64');

/** Starts `npm run server -- ...args` with only the given DATABASE_URL/HOST/PORT/RECURRA_SERVER_KEY (never the developer's). */
export function runServer(args: string[], env: Record<string, string | undefined> = {}): ServerProc {
  const key = 'RECURRA_SERVER_KEY' in env ? {} : { RECURRA_SERVER_KEY: env.DATABASE_URL ? TEST_SERVER_KEY : undefined };
  // node with tsx's loader, not the tsx wrapper: one process, so a SIGKILL kills the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { cwd: root, env: { ...process.env, HOST: undefined, PORT: undefined, DATABASE_URL: undefined, ...key, ...env } });
  const proc: ServerProc = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
  child.stdout!.on('data', (d: Buffer) => (proc.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (proc.stderr += d.toString()));
  return proc;
}

/** Runs an operator command (`invite`, `admin create`) to its end. */
export async function runServerToEnd(args: string[], env: Record<string, string | undefined> = {}) {
  const proc = runServer(args, env);
  const code = await proc.exited;
  return { code, stdout: proc.stdout, stderr: proc.stderr };
}

/** The URL the server says it listens on, once it does (a minute at most: tsx compiles on start). */
export async function listening(proc: ServerProc): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const url = /listening on (http:\/\/\S+)/.exec(proc.stdout)?.[1];
    if (url) return url;
    if (proc.child.exitCode !== null) throw new Error(`server exited: ${proc.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${proc.stdout} ${proc.stderr}`);
}

/** Resolves when the server's log has a line matching `pattern` after offset `from` of its stdout. */
export async function logged(proc: ServerProc, pattern: RegExp, from = 0): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (pattern.test(proc.stdout.slice(from))) return;
    if (proc.child.exitCode !== null) throw new Error(`server exited: ${proc.stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never logged ${pattern}: ${proc.stdout.slice(from)}`);
}

/**
 * A TCP relay in front of a server on 127.0.0.1:port that counts the pushes
 * passing through and calls `onPush(n)` as the n-th one's request goes on to
 * the server, so a test can kill the server with a push in flight.
 */
export async function pushRelay(port: number): Promise<{ url: string; onPush: ((n: number) => void) | null; close(): Promise<void> }> {
  const marker = 'POST /sync/v1/push ';
  const sockets = new Set<net.Socket>();
  let pushes = 0;
  const relay = {
    url: '',
    onPush: null as ((n: number) => void) | null,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    let tail = '';
    client.on('data', (data: Buffer) => {
      const text = tail + data.toString('latin1');
      const seen = text.split(marker).length - 1;
      tail = text.slice(-marker.length);
      upstream.write(data);
      for (let i = 0; i < seen; i++) relay.onPush?.(++pushes);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return relay;
}
