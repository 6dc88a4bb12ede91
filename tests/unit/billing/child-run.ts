import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { adoptNeighbourKey, fileKey, fileKind } from '../../../src-main/core/db/keyring';
import { bundleChild, type ChildBundle } from '../../support/child-bundle';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** The data key this process holds for a business file (or a copy of one), hex, for a child process. */
export function fileKeyFor(file: string): string {
  if (fileKind(file) !== 'encrypted') return '';
  return (fileKey(file) ?? adoptNeighbourKey(file, undefined, true))?.toString('hex') ?? '';
}
const CHILD = path.join(import.meta.dirname, 'billing-child.ts');

/** billing-child.ts bundled (child-bundle.ts), once per test file: without it, each run starts under tsx. */
let bundle: ChildBundle | undefined;
export async function bundleChildRuns(): Promise<ChildBundle> {
  bundle = await bundleChild(CHILD);
  return bundle;
}

/** A billing run in a child process (billing-child.ts), its output read line by line. */
export class ChildRun {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lines: AsyncIterator<string>;
  stderr = '';

  constructor(file: string, asOf: string, batchSize: number, hangAfter?: number) {
    this.process = spawn(process.execPath, [...(bundle ? [bundle.file] : ['--import', 'tsx', CHILD]), file, asOf, String(batchSize), ...(hangAfter ? [String(hangAfter)] : [])], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RECURRA_TEST_FILE_KEY: fileKeyFor(file) },
    });
    this.process.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.lines = readline.createInterface({ input: this.process.stdout! })[Symbol.asyncIterator]();
    // 'exit' comes once the child is reaped: a killed child is then truly gone (kill(pid, 0) says ESRCH).
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** The next line the child prints, or null once it has ended. */
  async next(): Promise<string | null> {
    const line = await this.lines.next();
    return line.done ? null : line.value;
  }

  /** Reads up to the end; returns the summary it printed, or throws with its stderr. */
  async finish(): Promise<{ invoicesIssued: number; runId: string }> {
    for (let line = await this.next(); line !== null; line = await this.next()) {
      if (line.startsWith('done ')) {
        await this.exited;
        return JSON.parse(line.slice(5)) as { invoicesIssued: number; runId: string };
      }
    }
    const end = await this.exited;
    throw new Error(`the billing child ended (${end.code ?? end.signal}) without finishing: ${this.stderr}`);
  }

  async kill(): Promise<void> {
    this.process.kill('SIGKILL');
    await this.exited;
  }
}
