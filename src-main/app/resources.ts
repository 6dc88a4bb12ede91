import path from 'node:path';

// No electron import here: the packaging config (electron-builder.config.ts) and a vitest read it.

/** Where a packaged app finds the migrations: `extraResources` copies resources/migrations there. */
export const MIGRATIONS_RESOURCE = 'migrations';

export function migrationsDirFor(run: { isPackaged: boolean; resourcesPath: string; appPath: string }): string {
  return run.isPackaged
    ? path.join(run.resourcesPath, MIGRATIONS_RESOURCE)
    : path.join(run.appPath, 'resources', 'migrations');
}
