import path from 'node:path';

// No electron import here: the packaging config (electron-builder.config.ts) and a vitest read it.

/** Where a packaged app finds the migrations: `extraResources` copies resources/migrations there. */
export const MIGRATIONS_RESOURCE = 'migrations';

export function migrationsDirFor(run: { isPackaged: boolean; resourcesPath: string; appPath: string }): string {
  return run.isPackaged
    ? path.join(run.resourcesPath, MIGRATIONS_RESOURCE)
    : path.join(run.appPath, 'resources', 'migrations');
}

/** The app icon's source (rendered from icon.svg by `npm run icon`); electron-builder makes .ico and .icns from it. */
export const ICON_SOURCE = 'resources/packaging/icon.png';
/** Where a packaged app finds it: `extraResources` copies it there. */
export const ICON_RESOURCE = 'icon.png';

/**
 * The window's icon: Linux only (Windows and macOS take it from the executable and
 * the bundle; a Linux window shows whatever it is given, and nothing otherwise).
 */
export function windowIconFor(run: { platform: NodeJS.Platform; isPackaged: boolean; resourcesPath: string; appPath: string }): string | undefined {
  if (run.platform !== 'linux') return undefined;
  return run.isPackaged ? path.join(run.resourcesPath, ICON_RESOURCE) : path.join(run.appPath, ICON_SOURCE);
}
