import fs from 'node:fs';
import path from 'node:path';
import type { PreferencesStore } from '../ports';

/** Preferences in a JSON file, for the browser host and the CLI (the app uses electron-store). */
export class JsonFilePreferencesStore implements PreferencesStore {
  private values: Record<string, unknown>;

  constructor(private readonly file: string) {
    try {
      this.values = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      this.values = {};
    }
  }

  get<T>(key: string): T | undefined {
    return this.values[key] as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.values[key] = value;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.values, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
