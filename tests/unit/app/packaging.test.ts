import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import config, { NATIVE_MODULES, notarizeFromEnv } from '../../../electron-builder.config';
import { ICON_RESOURCE, ICON_SOURCE, migrationsDirFor, windowIconFor } from '../../../src-main/app/resources';

// The installers' configuration (electron-builder.config.ts), checked without
// packaging: packaging needs Electron's binary, which this machine cannot
// download. electron-builder's own schema validates it, and its own glob
// matcher (minimatch, as it uses it) decides what the patterns select.

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const builderRequire = createRequire(require.resolve('app-builder-lib'));
const { validateConfiguration } = builderRequire('./util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { minimatch } = builderRequire('minimatch') as { minimatch(file: string, pattern: string, options?: object): boolean };

/** Whether electron-builder's `files`-style pattern list selects `file` (later `!` patterns exclude). */
function selects(patterns: readonly string[], file: string): boolean {
  let selected = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (minimatch(file, pattern.slice(1), { dot: true })) selected = false;
    } else if (minimatch(file, pattern, { dot: true })) selected = true;
  }
  return selected;
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('electron-builder configuration', () => {
  it('is valid for electron-builder 26 (its own schema)', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is not a formality: a misspelt key, at the top or in the fuses, is refused.
    await expect(validateConfiguration({ ...config, electronFuse: {} }, new DebugLogger(false))).rejects.toThrow(/electronFuse/);
    await expect(validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsNodes: false } }, new DebugLogger(false))).rejects.toThrow(/configuration.electronFuses/);
    expect(pkg.devDependencies['electron-builder']).toMatch(/^26\.\d+\.\d+$/);
  });

  it('builds NSIS for Windows, a dmg for macOS, AppImage and deb for Linux', () => {
    const names = (targets: unknown) => (targets as (string | { target: string })[]).map((t) => (typeof t === 'string' ? t : t.target));
    expect(names(config.win!.target)).toEqual(['nsis']);
    expect(names(config.mac!.target)).toEqual(['dmg']);
    expect(names(config.linux!.target)).toEqual(['AppImage', 'deb']);
    expect(config.nsis!.deleteAppDataOnUninstall).toBe(false);
  });

  it('packages the main process, the billing and insights workers, the preload and the renderer, without source maps', () => {
    const files = config.files as string[];
    for (const file of [
      pkg.main,
      'out/main/billing-worker.js',
      'out/main/insights-worker.js',
      'out/main/chunks/money-abc.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc.js',
      'package.json',
    ]) {
      expect(selects(files, file), file).toBe(true);
    }
    for (const file of ['out/main/index.js.map', 'src-main/app/main.ts', 'tests/unit/app/packaging.test.ts', '.electron-native/x/better_sqlite3.node']) {
      expect(selects(files, file), file).toBe(false);
    }
    // The names main loads them by (src-main/app/paths.ts) are the names electron-vite writes (electron.vite.config.ts).
    const paths = fs.readFileSync(path.join(root, 'src-main/app/paths.ts'), 'utf8');
    const vite = fs.readFileSync(path.join(root, 'electron.vite.config.ts'), 'utf8');
    for (const worker of ['billing-worker', 'insights-worker']) {
      expect(paths).toContain(`'${worker}.js'`);
      expect(vite).toContain(`'${worker}':`);
    }
  });

  it.skipIf(!fs.existsSync(path.join(root, 'out/main')))('selects every file of the built main process (out/, `npm run build:e2e`)', () => {
    // The app's three builds; out/cli (the `recurra` bundle `npm install` makes) is not part of the app.
    const built = fs.readdirSync(path.join(root, 'out'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !path.relative(path.join(root, 'out'), e.parentPath).startsWith('cli'))
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    expect(built).toEqual(expect.arrayContaining(['out/main/index.js', 'out/main/billing-worker.js', 'out/main/insights-worker.js', 'out/preload/index.cjs']));
    for (const file of built.filter((f) => !f.endsWith('.map'))) expect(selects(config.files as string[], file), file).toBe(true);
  });

  it('unpacks the native modules from the asar (better-sqlite3 or its cipher build, keytar, argon2) and nothing else', () => {
    const unpack = config.asarUnpack as string[];
    expect(unpack).toBe(NATIVE_MODULES);
    for (const file of [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3/lib/database.js',
      'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      'node_modules/keytar/build/Release/keytar.node',
      'node_modules/@node-rs/argon2/index.js',
      'node_modules/@node-rs/argon2-win32-x64-msvc/argon2.win32-x64-msvc.node',
      'node_modules/@node-rs/argon2-darwin-arm64/argon2.darwin-arm64.node',
    ]) {
      expect(selects(unpack, file), file).toBe(true);
    }
    for (const file of ['node_modules/zod/index.js', 'out/main/index.js', 'node_modules/drizzle-orm/better-sqlite3/index.js']) {
      expect(selects(unpack, file), file).toBe(false);
    }
  });

  it('every .node addon installed under the native dependencies is unpacked, and they are runtime dependencies', () => {
    const addons: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.node')) addons.push(path.relative(root, full).split(path.sep).join('/'));
      }
    };
    const modules = fs.readdirSync(path.join(root, 'node_modules/@node-rs')).map((d) => `node_modules/@node-rs/${d}`);
    const sqliteDirs = ['node_modules/better-sqlite3', 'node_modules/better-sqlite3-multiple-ciphers'].filter((d) => fs.existsSync(path.join(root, d)));
    for (const dir of [...sqliteDirs, 'node_modules/keytar', ...modules]) walk(path.join(root, dir));
    expect(addons.length).toBeGreaterThanOrEqual(3);
    for (const addon of addons) expect(selects(config.asarUnpack as string[], addon), addon).toBe(true);
    const sqlite = Object.keys(pkg.dependencies).filter((d) => /^better-sqlite3(-multiple-ciphers)?$/.test(d));
    expect(sqlite.length).toBeGreaterThanOrEqual(1); // better-sqlite3, or its SQLCipher drop-in, or both while one replaces the other
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['keytar', '@node-rs/argon2', 'electron-updater']));
  });

  it('rebuilds the native modules for Electron (@electron/rebuild, prebuilt binaries where published)', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.asar).toBe(true);
  });

  it('sets the fuses (security checklist item 19)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('ships the migrations beside the asar where the packaged app looks for them', () => {
    const [resource] = config.extraResources as { from: string; to: string; filter: string[] }[];
    expect(resource!.from).toBe('resources/migrations');
    const sql = fs.readdirSync(path.join(root, resource!.from)).filter((f) => f.endsWith('.sql'));
    expect(sql.length).toBeGreaterThan(10);
    for (const file of sql) expect(selects(resource!.filter, file), file).toBe(true);
    const resourcesPath = path.join('/opt/Recurra/resources');
    expect(migrationsDirFor({ isPackaged: true, resourcesPath, appPath: '/x' })).toBe(path.join(resourcesPath, resource!.to));
  });

  it('has an app icon: a 1024x1024 RGBA PNG with transparent corners, rendered from its SVG, shipped for the Linux window', () => {
    expect(config.icon).toBe(ICON_SOURCE);
    const png = fs.readFileSync(path.join(root, ICON_SOURCE));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width, height, bit depth 8, colour type 6 (RGBA), as electron-builder wants for .icns and .ico.
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([1024, 1024, 8, 6]);
    // The first pixel of the first row is stored as is whatever its row filter: the rounded corner is see-through.
    const chunks: Buffer[] = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      if (png.subarray(at + 4, at + 8).toString('ascii') === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
      at += 12 + length;
    }
    const pixels = zlib.inflateSync(Buffer.concat(chunks));
    expect(pixels.length).toBe(1024 * (1 + 1024 * 4));
    expect(pixels[4]).toBe(0);
    const svg = fs.readFileSync(path.join(root, 'resources/packaging/icon.svg'), 'utf8');
    expect(svg).toMatch(/viewBox="0 0 1024 1024"/);
    expect(pkg.scripts.icon).toBe('node scripts/render-icon.mjs');
    // Beside the asar for the Linux window; from the source tree in a development run; no window icon elsewhere.
    expect(config.extraResources).toContainEqual({ from: ICON_SOURCE, to: ICON_RESOURCE });
    const run = { isPackaged: true, resourcesPath: '/opt/Recurra/resources', appPath: '/x' };
    expect(windowIconFor({ ...run, platform: 'linux' })).toBe(path.join('/opt/Recurra/resources', ICON_RESOURCE));
    expect(windowIconFor({ ...run, platform: 'linux', isPackaged: false })).toBe(path.join('/x', ICON_SOURCE));
    expect(windowIconFor({ ...run, platform: 'win32' })).toBeUndefined();
    expect(windowIconFor({ ...run, platform: 'darwin' })).toBeUndefined();
  });

  it('publishes update files for a generic server (the app checks the address the owner sets)', () => {
    expect(config.publish).toEqual([expect.objectContaining({ provider: 'generic', url: expect.stringMatching(/^https:\/\//) })]);
    expect(pkg.scripts.dist).toMatch(/electron-builder --config electron-builder\.config\.ts --publish never/);
    expect(pkg.scripts.dist).toMatch(/^electron-vite build && /);
  });

  it('macOS: hardened runtime, an entitlements file with the JIT only, notarization when Apple credentials are set', () => {
    expect(config.mac!.hardenedRuntime).toBe(true);
    const plist = fs.readFileSync(path.join(root, config.mac!.entitlements!), 'utf8');
    expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit']);
    expect(notarizeFromEnv({})).toBe(false);
    expect(notarizeFromEnv({ APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'x' })).toBe(false); // no team id: skipped, not half-done
    expect(notarizeFromEnv({ APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'x', APPLE_TEAM_ID: 'T' })).toBe(true);
    expect(notarizeFromEnv({ APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'i', APPLE_API_ISSUER: 'u' })).toBe(true);
    expect(notarizeFromEnv({ APPLE_KEYCHAIN_PROFILE: 'recurra' })).toBe(true);
  });
});
