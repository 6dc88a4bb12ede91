#!/usr/bin/env node
// Bundles the `recurra` CLI (src-main/cli/main.ts and the core it drives) into
// one minified CommonJS script, out/cli/recurra.cjs, so a command starts in
// plain Node without compiling TypeScript on every run. npm runs this after
// `npm ci` / `npm install` (the `prepare` script); `npm run build:cli` runs it
// by hand after changing the code.
//
// Bundled: our code and the pure-JS packages every command loads (zod,
// drizzle-orm, commander), so Node reads one file instead of hundreds.
// External: native addons (better-sqlite3, @node-rs/argon2), which cannot be
// bundled, and the packages the core loads only when a command needs them
// (pdfkit, the CSV parser and writer, yazl: see src-main/core/lazy-require.ts).
//
// CommonJS rather than an ES module because bin/recurra.js runs it through
// vm.Script with V8's code cache (Node 20 has no compile cache for ES
// modules): after the first run, starting skips parsing and compiling.
// The source map (recurra.cjs.map) points stack traces at the TypeScript;
// bin/recurra.js turns it on under RECURRA_DEBUG.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
export const CLI_DIR = path.join(root, 'out', 'cli');
export const CLI_BUNDLE = path.join(CLI_DIR, 'recurra.cjs');
const EXTERNAL = ['better-sqlite3', '@node-rs/argon2', 'pdfkit', 'csv-parse', 'csv-stringify', 'yazl'];

/** esbuild comes with tsx (a dependency, so it is there after `npm ci`); found through tsx if not hoisted. */
function loadEsbuild() {
  const require = createRequire(import.meta.url);
  try {
    return require('esbuild');
  } catch {
    return createRequire(require.resolve('tsx/package.json'))('esbuild');
  }
}

/**
 * Node modules loaded when first used rather than when the bundle starts:
 * commander requires node:child_process at load (for executable subcommands,
 * which recurra does not use); the core's node:crypto makes ids,
 * sessions and keys, and node:stream/promises serves backups, exports and
 * PDFs, which a read such as `business list` never does. Each costs a start
 * 3-20 ms. Inside the bundle child_process is a proxy (commander, CommonJS,
 * reads its members at each use) and the other two modules of functions
 * that load the real one on their first call (an import of anything but a
 * function from them fails the build, loudly).
 */
const requireHere = createRequire(import.meta.url);
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}commander${path.sep}`) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    build.onResolve({ filter: /^(node:)?(crypto|stream\/promises)$/ }, (args) =>
      args.importer.startsWith(path.join(root, 'src-main') + path.sep) ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /^child_process$/, namespace: 'lazy-builtin' }, () => ({
      contents:
        "let real; const load = () => (real ??= require('node:child_process'));\n" +
        'module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n',
      loader: 'js',
    }));
    build.onLoad({ filter: /^(crypto|stream\/promises)$/, namespace: 'lazy-builtin' }, (args) => {
      const functions = Object.entries(requireHere(`node:${args.path}`)).filter(([name, value]) => typeof value === 'function' && /^[a-z]/.test(name));
      return {
        contents:
          `let real; const load = () => (real ??= require('node:${args.path}'));\n` +
          functions.map(([name]) => `export function ${name}(...args) { return load().${name}(...args); }\n`).join(''),
        loader: 'js',
      };
    });
  },
};

/**
 * zod's `z` namespace carries every language's error messages (about 260 KB,
 * a third of the bundle), which tree shaking cannot drop; recurra's messages
 * are its own or zod's English (its default). Inside the bundle `z.locales`
 * holds `en` only, so a start reads, deserialises and collects less.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: "export { default as en } from './en.js';\n",
      loader: 'js',
    }));
  },
};

/**
 * The contract's schemas, built when a method is first called rather than at
 * start. src-shared/contract/index.ts spreads every area's methods into one
 * object, which builds every zod schema of the API (some thousands) when the
 * bundle loads: the largest part of a start. Inside the bundle the index is
 * the same object made of getters: the first call of a method loads its area
 * (esbuild evaluates a module reached by require() on that first require).
 * The method names of each area are read at build time from the areas
 * themselves; the rest of the index (isMethodName, the re-exports) is kept.
 */
const CONTRACT_INDEX = path.join(root, 'src-shared', 'contract', 'index.ts');
const lazyContract = {
  name: 'lazy-contract',
  setup(build) {
    build.onLoad({ filter: /[\\/]src-shared[\\/]contract[\\/]index\.ts$/ }, async (args) => {
      if (path.resolve(args.path) !== CONTRACT_INDEX) return undefined;
      const source = fs.readFileSync(CONTRACT_INDEX, 'utf8');
      const files = new Map([...source.matchAll(/^import \{ (\w+Contract) \} from '\.\/([\w-]+)';$/gm)].map((m) => [m[1], m[2]]));
      const spread = [...source.matchAll(/^\s+\.\.\.(\w+Contract),$/gm)].map((m) => m[1]);
      const spreads = source.slice(source.indexOf('export const contract')).match(/\.\.\.\w+/g) ?? [];
      if (spread.length === 0 || spreads.length !== spread.length || spread.some((name) => !files.has(name)) || !source.includes('export function isMethodName')) {
        throw new Error(`lazy-contract: ${CONTRACT_INDEX} no longer reads as "import { xContract } from './x'" plus "...xContract,": update scripts/build-cli.mjs`);
      }
      const names = await areaMethodNames(spread.map((area) => [area, files.get(area)]));
      const areas = spread.map((area) => `  [() => require('./${files.get(area)}').${area}, ${JSON.stringify(names[area])}],`).join('\n');
      const tail = source.slice(source.indexOf('export type Contract'));
      return {
        contents:
          `export * from './define';\nexport * from './events';\n` +
          `const areas = [\n${areas}\n];\n` +
          'export const contract = {};\n' +
          'for (const [load, names] of areas) {\n' +
          '  for (const name of names) {\n' +
          '    // A later area that names a method again wins, at the place of the first (as a spread does).\n' +
          '    Object.defineProperty(contract, name, { configurable: true, enumerable: true, get() {\n' +
          '      const spec = load()[name];\n' +
          '      Object.defineProperty(contract, name, { value: spec, writable: true, configurable: true, enumerable: true });\n' +
          '      return spec;\n' +
          '    } });\n' +
          '  }\n' +
          '}\n' +
          // isMethodName and anything else the index defines after its types, as written there.
          tail.replace(/^export type .*$/gm, '').replace(/^export \* from .*$/gm, ''),
        loader: 'ts',
      };
    });
  },
};

/** Each contract area's method names, read by bundling the areas and running that bundle here. */
async function areaMethodNames(areas) {
  const esbuild = loadEsbuild();
  const contractDir = path.dirname(CONTRACT_INDEX);
  const result = await esbuild.build({
    stdin: {
      contents: `module.exports = { ${areas.map(([area, file]) => `${area}: Object.keys(require('./${file}').${area})`).join(', ')} };`,
      resolveDir: contractDir,
      loader: 'js',
    },
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, createRequire(CONTRACT_INDEX));
  return module.exports;
}

export async function buildCli() {
  const esbuild = loadEsbuild();
  fs.mkdirSync(CLI_DIR, { recursive: true });
  // A code cache belongs to one build of the bundle.
  for (const name of fs.readdirSync(CLI_DIR)) if (name.endsWith('.cache')) fs.rmSync(path.join(CLI_DIR, name), { force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src-main/cli/main.ts'],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    // Less source to read and parse; the source map restores files and lines.
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    // The core finds resources/migrations (and lazyRequire its packages) from its own file's URL.
    define: { 'import.meta.url': '__recurraFileUrl' },
    banner: { js: "var __recurraFileUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [lazyBuiltins, zodEnglishOnly, lazyContract],
    logLevel: 'warning',
  });
  // One read command in a scratch folder, so the code cache exists before the first real run.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'recurra-build-cli-'));
  try {
    const warm = spawnSync(process.execPath, [path.join(root, 'bin', 'recurra.js'), 'business', 'list', '--json'], {
      env: { ...process.env, RECURRA_DATA_DIR: scratch, RECURRA_DEBUG: '' },
      encoding: 'utf8',
    });
    if (warm.status !== 0) throw new Error(`The built CLI does not run: ${warm.stderr}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const started = Date.now();
  try {
    await buildCli();
    console.log(`Built ${path.relative(root, CLI_BUNDLE)} in ${Date.now() - started} ms`);
  } catch (error) {
    // At install time (`--if-possible`, npm's prepare) a failed bundle must not fail the install:
    // `recurra` then runs the source through tsx and says so.
    if (!process.argv.includes('--if-possible')) throw error;
    fs.rmSync(CLI_BUNDLE, { force: true });
    console.warn(`Could not build the CLI bundle (recurra will run the TypeScript source instead): ${error instanceof Error ? error.message : String(error)}`);
  }
}
