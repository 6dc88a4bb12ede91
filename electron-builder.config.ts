import type { Configuration } from 'electron-builder';
import { ICON_RESOURCE, ICON_SOURCE, MIGRATIONS_RESOURCE } from './src-main/app/resources';

// `npm run dist`: installers for Windows (NSIS), macOS (dmg) and Linux
// (AppImage, deb) from the electron-vite build in out/. Not run on the
// machine this was written on (it needs the Electron binary); the config is
// checked by tests/unit/app/packaging.test.ts with electron-builder's own schema.

/** The native addons: unpacked from the asar (a .node file cannot be loaded from inside one), rebuilt for Electron. */
export const NATIVE_MODULES = [
  // better-sqlite3, or its SQLCipher drop-in better-sqlite3-multiple-ciphers.
  '**/node_modules/better-sqlite3*/**',
  '**/node_modules/keytar/**',
  // @node-rs/argon2 loads its N-API binary from a per-platform package (@node-rs/argon2-linux-x64-gnu...).
  '**/node_modules/@node-rs/argon2*/**',
];

/** macOS notarization runs when Apple credentials are in the environment (electron-builder reads them there). */
export function notarizeFromEnv(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) ||
      (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) ||
      env.APPLE_KEYCHAIN_PROFILE,
  );
}

/**
 * Where update files are published. The app never uses this URL: it checks
 * the one the owner sets (Settings, `updateUrl`; off when empty), but
 * electron-builder writes latest*.yml and app-update.yml from a generic
 * provider, so the files can be copied to any HTTPS server (the sync server too).
 */
const UPDATE_URL = process.env.RECURRA_UPDATE_URL ?? 'https://updates.invalid/recurra';

const config: Configuration = {
  appId: 'app.recurra.desktop',
  productName: 'Recurra',
  copyright: 'Copyright © Recurra',
  directories: { output: 'dist', buildResources: 'resources/packaging' },
  // electron-vite's output (main and its billing and insights workers, preload, renderer) and package.json;
  // electron-builder adds the production node_modules itself.
  files: ['out/main/**/*.js', 'out/preload/**/*.cjs', 'out/renderer/**/*', 'package.json', '!**/*.map'],
  extraResources: [
    { from: 'resources/migrations', to: MIGRATIONS_RESOURCE, filter: ['**/*.sql', '**/*.json'] },
    // The Linux window's icon (src-main/app/window.ts).
    { from: ICON_SOURCE, to: ICON_RESOURCE },
  ],
  // One 1024x1024 PNG (scripts/render-icon.mjs): electron-builder makes the .ico, the .icns and Linux's sizes.
  icon: ICON_SOURCE,
  asar: true,
  asarUnpack: NATIVE_MODULES,
  // Rebuild the native modules against Electron's ABI (@electron/rebuild), from prebuilt binaries where published.
  npmRebuild: true,
  nativeRebuilder: 'sequential',
  buildDependenciesFromSource: false,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
    loadBrowserProcessSpecificV8Snapshot: false,
  },
  publish: [{ provider: 'generic', url: UPDATE_URL, publishAutoUpdate: true }],
  win: {
    target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    // The books live in the user's data folder: an uninstall never deletes them.
    deleteAppDataOnUninstall: false,
  },
  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    category: 'public.app-category.finance',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'resources/packaging/entitlements.mac.plist',
    entitlementsInherit: 'resources/packaging/entitlements.mac.plist',
    // APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER,
    // or APPLE_KEYCHAIN_PROFILE; signing itself takes CSC_LINK and CSC_KEY_PASSWORD.
    notarize: notarizeFromEnv(process.env),
  },
  dmg: { writeUpdateInfo: false },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    maintainer: 'Recurra',
    synopsis: 'Local-first recurring billing for small businesses',
  },
  deb: {
    // keytar talks to the keychain through libsecret.
    depends: ['libsecret-1-0', 'libnotify4', 'libxtst6', 'libnss3'],
  },
};

export default config;
