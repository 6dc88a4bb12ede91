import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'Recurra';

/**
 * The desktop app's data folder, computed without Electron so the CLI and the
 * app see the same businesses: Electron's userData (appData/Recurra) + /data.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.RECURRA_DATA_DIR) return path.resolve(env.RECURRA_DATA_DIR);
  const home = os.homedir();
  let appData: string;
  if (platform === 'win32') appData = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  else if (platform === 'darwin') appData = path.join(home, 'Library', 'Application Support');
  else appData = env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  return path.join(appData, APP_NAME, 'data');
}

/** resources/migrations of this checkout, found from this file (the CLI and host run from source). */
export function sourceMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources', 'migrations');
    if (fs.existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('resources/migrations not found');
}
