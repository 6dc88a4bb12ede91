import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileKeyFor } from './child-run';

const ROOT = path.resolve(import.meta.dirname, '../../..');

// Another process (as a billing run or the app would be) that takes the
// business file's write lock on request and keeps it for a while.
const SCRIPT = `
const db = new (require('better-sqlite3'))(process.argv[1]);
if (process.env.RECURRA_TEST_FILE_KEY) {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma('key = ' + JSON.stringify("x'" + process.env.RECURRA_TEST_FILE_KEY + "'"));
}
require('readline').createInterface({ input: process.stdin }).on('line', (ms) => {
  db.exec('BEGIN IMMEDIATE');
  db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('test.lock', '1', 'x') ON CONFLICT(key) DO UPDATE SET value = value + 1").run();
  console.log('locked');
  const until = Date.now() + Number(ms);
  while (Date.now() < until) {}
  db.exec('COMMIT');
  console.log('free');
});
`;

export class LockHolder {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor(file: string) {
    this.child = spawn(process.execPath, ['-e', SCRIPT, file], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, RECURRA_TEST_FILE_KEY: fileKeyFor(file) } });
    this.lines = readline.createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  /** Takes the write lock for `ms` and resolves once it holds it; `released` resolves when it lets go. */
  async hold(ms: number): Promise<{ released: Promise<void> }> {
    this.child.stdin!.write(`${ms}\n`);
    const first = await this.lines.next();
    if (first.value !== 'locked') throw new Error(`lock holder said ${String(first.value)}`);
    const released = this.lines.next().then((line) => {
      if (line.value !== 'free') throw new Error(`lock holder said ${String(line.value)}`);
    });
    return { released };
  }

  close(): void {
    this.child.kill();
  }
}
