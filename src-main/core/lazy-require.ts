import { createRequire } from 'node:module';

// Not named `require`: electron-vite's main bundle declares its own `require` in the same scope.
const requireHere = createRequire(import.meta.url);

/**
 * A package loaded the first time it is used rather than when the core loads,
 * so a one-shot `recurra business list` never pays for argon2, pdfkit, the CSV
 * parser and writer or yazl. A require, not `await import()`: it also serves
 * synchronous paths (a password check inside a transaction), and the CLI
 * bundle (scripts/build-cli.mjs) is a CommonJS script, which has no import().
 * Every package loaded this way must ship a CommonJS entry.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}
