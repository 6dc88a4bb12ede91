#!/usr/bin/env node
// Runs npm scripts side by side (`node scripts/run-parallel.mjs typecheck lint`), each one's output
// printed whole when it ends, so the two logs never interleave. Exits non-zero if any failed.
// The typecheck (tsc) and the linters are single-threaded: on a 2-core machine, side by side they
// take as long as the longer of the two instead of their sum. Cross-platform (no bash, no `&`).
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: node scripts/run-parallel.mjs <npm script> [<npm script> ...]');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = Date.now();

const runs = scripts.map(
  (name) =>
    new Promise((resolve) => {
      const child = spawn(npm, ['run', '--silent', name], {
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: process.platform === 'win32',
        env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') },
      });
      const chunks = [];
      child.stdout.on('data', (c) => chunks.push(c));
      child.stderr.on('data', (c) => chunks.push(c));
      child.on('close', (code, signal) => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const ok = code === 0;
        process.stdout.write(`\n> ${name}: ${ok ? 'passed' : `failed (${signal ?? `exit ${code}`})`} after ${seconds} s\n`);
        process.stdout.write(Buffer.concat(chunks));
        resolve(ok);
      });
    }),
);

const results = await Promise.all(runs);
process.exit(results.every(Boolean) ? 0 : 1);
