#!/usr/bin/env node
// `recurra` runs the bundle built at install time (scripts/build-cli.mjs, run
// by npm's `prepare`): plain JavaScript, so a command starts without compiling
// TypeScript. `npm run cli` runs the source through tsx for development.
//
// A CommonJS script (bin/package.json says so), unlike the rest of the
// package: an ES module entry makes Node start its ES module loader first,
// which costs every command about 15 ms.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'out', 'cli', 'recurra.cjs');
if (fs.existsSync(bundle)) void loadBundle().runFromProcess();
else void loadSource().then((cli) => cli.runFromProcess());

/**
 * Runs the bundle as Node would run a CommonJS file, through vm.Script so V8's
 * code cache (out/cli/recurra.cjs.<size>-<mtime>.cache, written after the
 * first run) spares parsing and compiling it on every start.
 */
function loadBundle() {
  const requireBundled = require('node:module').createRequire(bundle);
  // Stack traces are printed only under RECURRA_DEBUG; then the plain loader
  // reads the source map, so they name the TypeScript files and lines.
  if (process.env.RECURRA_DEBUG) {
    process.setSourceMapsEnabled(true);
    return requireBundled(bundle);
  }
  const stat = fs.statSync(bundle);
  const cacheFile = `${bundle}.${stat.size}-${Math.trunc(stat.mtimeMs)}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, requireBundled, module, bundle, path.dirname(bundle));
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the command, so the functions it ran are in the cache too. Written
    // aside and renamed, so parallel runs never read half a file; a read-only
    // install simply goes without.
    process.once('exit', () => {
      const scratch = `${cacheFile}.${process.pid}`;
      try {
        fs.writeFileSync(scratch, script.createCachedData());
        fs.renameSync(scratch, cacheFile);
      } catch {
        fs.rmSync(scratch, { force: true });
      }
    });
  }
  return module.exports;
}

function wrap(source) {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

async function loadSource() {
  process.stderr.write(
    'recurra: the CLI bundle (out/cli/recurra.cjs) is missing, so the TypeScript source runs instead (about 1 s slower to start).\n' +
      'Build it with `npm run build:cli` (npm ci and npm install build it too).\n',
  );
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src-main/cli/main.ts');
}
