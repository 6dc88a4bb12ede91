import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from './ports';

/** The file's name in the data folder. */
export const SECRETS_FILE = 'secrets.json';

/**
 * Secrets where there is no OS keychain (the CLI, a headless server, CI):
 * one JSON file of mode 0600 in the data folder (spec/server.md). Weaker than
 * a keychain (anyone who can read the user's files can read it), so the first
 * secret written in a process warns, through `warn`, saying where it is.
 * Writes go to a temporary file renamed into place: a crash leaves the old
 * file or the new one, never half of one.
 */
export class FileSecretStore implements SecretStore {
  readonly file: string;
  private warned = false;

  constructor(
    dataDir: string,
    private readonly warn: (message: string) => void,
  ) {
    this.file = path.join(dataDir, SECRETS_FILE);
  }

  async get(account: string): Promise<string | null> {
    return this.read()[account] ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    const secrets = this.read();
    secrets[account] = secret;
    this.write(secrets);
    if (!this.warned) {
      this.warned = true;
      this.warn(`No system keychain here: the secret is kept in ${this.file} (mode 0600, readable by this user only). Protect that folder.`);
    }
  }

  async delete(account: string): Promise<boolean> {
    const secrets = this.read();
    if (!(account in secrets)) return false;
    delete secrets[account];
    this.write(secrets);
    return true;
  }

  private read(): Record<string, string> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return {};
      throw error;
    }
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${this.file} is not a secrets file`);
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  private write(secrets: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(secrets, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.file);
    fs.chmodSync(this.file, 0o600);
  }
}
