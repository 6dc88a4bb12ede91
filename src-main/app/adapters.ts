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

  async get(account: string) {
    return (await this.load()).getPassword(SERVICE, account);
  }
  async set(account: string, secret: string) {
    await (await this.load()).setPassword(SERVICE, account, secret);
  }
  async delete(account: string) {
    return (await this.load()).deletePassword(SERVICE, account);
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
