#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .electron-native/, once per
// Electron version. node_modules keeps the Node build, so `npm test` and the
// CLI (plain Node) and `npm start` (Electron) never break each other.
// The main process loads this copy through better-sqlite3's `nativeBinding`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');

try {
  require('electron'); // throws when the binary was not downloaded
} catch {
  console.error('Electron is not installed (its download was skipped or failed). Run `npm install` with internet access.');
  process.exit(1);
}

const electronVersion = require('electron/package.json').version;
const target = path.join(root, '.electron-native', `${electronVersion}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
if (fs.existsSync(target)) process.exit(0);

console.log(`Preparing the SQLite module for Electron ${electronVersion} (first start only)...`);
const source = path.dirname(require.resolve('better-sqlite3/package.json'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-native-'));
const work = path.join(scratch, 'better-sqlite3');
fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`) });

const node = process.execPath;
const run = (args) => execFileSync(node, args, { cwd: work, stdio: 'inherit' });
try {
  // A prebuilt binary when one is published for this Electron; otherwise compile against Electron's headers.
  run([require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform]);
} catch {
  console.log('No prebuilt binary; compiling (a couple of minutes)...');
  run([require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', `--arch=${process.arch}`]);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
fs.rmSync(scratch, { recursive: true, force: true });
console.log(`Ready: ${path.relative(root, target)}`);
