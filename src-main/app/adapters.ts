import fs from 'node:fs';
import path from 'node:path';
import { app, safeStorage } from 'electron';
import Store from 'electron-store';
import type * as Keytar from 'keytar';
import type { PreferencesStore, SecretStore } from '../core/ports';

const SERVICE = 'Recurra';

/** The OS keychain through keytar, loaded lazily so a missing keyring does not stop the app. */
export class KeytarSecretStore implements SecretStore {
  private keytar: Promise<typeof Keytar> | undefined;

  private load() {
    this.keytar ??= import('keytar').then((m) => (m as { default?: typeof Keytar }).default ?? m);
    return this.keytar.catch((error: unknown) => {
      throw new Error(`The system keychain is not available: ${String(error)}`);
    });
  }

  private fallback: SafeStorageSecrets | undefined;

  /** keytar, or where it cannot load (no libsecret), Electron's safeStorage (the business keys must live somewhere). */
  private async backend(): Promise<SecretStore> {
    try {
      const keytar = await this.load();
      return {
        get: (account) => keytar.getPassword(SERVICE, account),
        set: (account, secret) => keytar.setPassword(SERVICE, account, secret),
        delete: (account) => keytar.deletePassword(SERVICE, account),
      };
    } catch (error) {
      if (!safeStorage.isEncryptionAvailable()) throw error;
      return (this.fallback ??= new SafeStorageSecrets(path.join(app.getPath('userData'), 'secrets.safe.json')));
    }
  }

  async get(account: string) {
    return (await this.backend()).get(account);
  }
  async set(account: string, secret: string) {
    await (await this.backend()).set(account, secret);
  }
  async delete(account: string) {
    return (await this.backend()).delete(account);
  }
}

/** Secrets encrypted by Electron's safeStorage (the OS's user-bound key), in a 0600 JSON file. */
class SafeStorageSecrets implements SecretStore {
  constructor(private readonly file: string) {}

  private read(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private write(all: Record<string, string>): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }

  async get(account: string) {
    const sealed = this.read()[account];
    return sealed ? safeStorage.decryptString(Buffer.from(sealed, 'base64')) : null;
  }
  async set(account: string, secret: string) {
    this.write({ ...this.read(), [account]: safeStorage.encryptString(secret).toString('base64') });
  }
  async delete(account: string) {
    const all = this.read();
    if (!(account in all)) return false;
    delete all[account];
    this.write(all);
    return true;
  }
}

/** Theme, last business and window bounds, in electron-store's JSON file in userData. */
export class ElectronStorePreferences implements PreferencesStore {
  private readonly store = new Store<Record<string, unknown>>({ name: 'preferences' });

  get<T>(key: string): T | undefined {
    return this.store.get(key) as T | undefined;
  }
  set(key: string, value: unknown): void {
    this.store.set(key, value);
  }
}
