import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Esbuild from 'esbuild';

// A test's child script (one the test kills at a given step, or races against
// itself), bundled once per test file from the current sources into one ES
// module, so each start loads one file: about 1.2 s of CPU per child instead
// of 2.7 s under `node --import tsx`, which transforms and resolves the core's
// hundreds of modules on every start. The same esbuild tsx uses; packages stay
// external (resolved from the repository's node_modules, as under tsx).
// In the bundle import.meta.url names the bundle, under the repository, so
// what the core finds by walking up (resources/migrations) is still found; a
// child that starts the billing or insights worker from source is not for this.

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Under out/ (ignored by git), inside the repository so the bundle finds node_modules. */
const DIR = path.join(ROOT, 'out', 'test-children');

/** esbuild comes with tsx (a dependency); found through tsx if not hoisted. */
function loadEsbuild(): typeof Esbuild {
  const require = createRequire(import.meta.url);
  try {
    return require('esbuild') as typeof Esbuild;
  } catch {
    return createRequire(require.resolve('tsx/package.json'))('esbuild') as typeof Esbuild;
  }
}

export interface ChildBundle {
  /** The bundle: run it as `node <file> args…`. */
  file: string;
  remove(): void;
}

/** Bundles `entry` (a .ts file) for `node`; remove() it when the file's tests are done. */
export async function bundleChild(entry: string): Promise<ChildBundle> {
  fs.mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `${path.basename(entry, '.ts')}-${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
  await loadEsbuild().build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { '@shared': path.join(ROOT, 'src-shared') },
    logLevel: 'warning',
  });
  return { file, remove: () => fs.rmSync(file, { force: true }) };
}
