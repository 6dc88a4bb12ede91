import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI_BUNDLE, CLI_DIR } from '../../../scripts/build-cli.mjs';
import { tempDir } from '../../support/core';
import { OWNER } from './run-cli';

// The real thing, as a script would run it: a child process whose exit code
// and stdout are checked byte for byte (nothing but the command's output).

const ROOT = path.resolve(import.meta.dirname, '../../..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('RECURRA_')));
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CREATE = [
  'business', 'create', '--json', '--name', 'Sunrise Yoga', '--currency', 'USD', '--timezone', 'America/New_York',
  '--owner-name', 'Olivia Owner', '--owner-email', OWNER.email,
];

/**
 * Whether out/cli holds a bundle of the code as it is now: built (with its code cache) after the
 * last change to what it is made from. A clean clone's `npm ci` has just built it (the prepare
 * script); a checkout or an edit since makes a source newer than it.
 */
function bundleIsCurrent(): boolean {
  if (!fs.existsSync(CLI_BUNDLE) || !fs.readdirSync(CLI_DIR).some((name) => name.endsWith('.cache'))) return false;
  const built = fs.statSync(CLI_BUNDLE).mtimeMs;
  const sources = ['src-main', 'src-shared'].flatMap((dir) =>
    fs.readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)),
  );
  const inputs = [...sources, ...['scripts/build-cli.mjs', 'bin/recurra.js', 'package.json', 'package-lock.json', 'tsconfig.json'].map((f) => path.join(ROOT, f))];
  return inputs.every((file) => !fs.existsSync(file) || fs.statSync(file).mtimeMs < built);
}

describe('recurra as a process', () => {
  // bin/recurra.js runs the bundle, so bundle the code under test (npm ci builds it too: then it is
  // current, and building it again would cost some 7 s of CPU for the same file).
  beforeAll(async () => {
    if (!bundleIsCurrent()) await buildCli();
  }, 120_000);

  it('node --import tsx src-main/cli/main.ts: exit codes 0 and 2, clean stdout', { timeout: 60_000 }, () => {
    const env = { RECURRA_DATA_DIR: tempDir('recurra-cli-proc-') };
    expect(run(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'business', 'list', '--json'], env)).toEqual({
      code: 0,
      stdout: '[]\n',
      stderr: '',
    });
    const usage = run(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'business', 'list', '--bogus', '--json'], env);
    expect(usage).toEqual({ code: 2, stdout: '', stderr: `{"error":{"code":"usage","message":"unknown option '--bogus'"}}\n` });
  });

  it('bin/recurra.js: creates a business (0) and refuses a wrong password (3)', { timeout: 60_000 }, () => {
    const env = { RECURRA_DATA_DIR: tempDir('recurra-cli-proc-') };
    expect(fs.existsSync(CLI_BUNDLE)).toBe(true);
    const created = run(process.execPath, ['bin/recurra.js', ...CREATE], { ...env, RECURRA_PASSWORD: OWNER.password });
    // One line on stderr: the data key went to the 0600 file store, not a keychain (issue 16).
    expect(created).toMatchObject({ code: 0, stderr: expect.stringMatching(/^Warning: No system keychain here: .*\n$/) });
    const businessId = (JSON.parse(created.stdout) as { business: { id: string } }).business.id;

    const refused = run(process.execPath, ['bin/recurra.js', 'business', 'update', '--name', 'X', '--json'], {
      ...env,
      RECURRA_BUSINESS: businessId,
      RECURRA_USER: OWNER.email,
      RECURRA_PASSWORD: 'not the password',
    });
    expect(refused).toEqual({
      code: 3,
      stdout: '',
      stderr: '{"error":{"code":"unauthenticated","message":"Wrong email or password","field":"password"}}\n',
    });

    // Another area of the contract, whose schemas the bundle builds on first use.
    const owner = { ...env, RECURRA_BUSINESS: businessId, RECURRA_USER: OWNER.email, RECURRA_PASSWORD: OWNER.password };
    const customer = run(process.execPath, ['bin/recurra.js', 'customer', 'create', '--name', 'Ann Lee', '--email', 'ann@example.com', '--json'], owner);
    expect(customer).toMatchObject({ code: 0, stderr: '' });
    const listed = run(process.execPath, ['bin/recurra.js', 'customer', 'list', '--json'], owner);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(listed.stdout) as { email: string }[]).map((c) => c.email)).toEqual(['ann@example.com']);
    const bad = run(process.execPath, ['bin/recurra.js', 'customer', 'create', '--name', 'Bo', '--email', 'not-an-email', '--json'], owner);
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: 'validation', field: 'email' } });
  });

  it('npm run --silent cli prints only the JSON on stdout', { timeout: 60_000 }, () => {
    const env = { RECURRA_DATA_DIR: tempDir('recurra-cli-proc-') };
    // npm may warn about its own config on stderr; stdout must hold the document alone.
    const listed = run('npm', ['run', '--silent', 'cli', '--', 'business', 'list', '--json'], env);
    expect(listed).toMatchObject({ code: 0, stdout: '[]\n' });
    const nothingToChange = run('npm', ['run', '--silent', 'cli', '--', 'business', 'update', '--json'], {
      ...env,
      RECURRA_BUSINESS: 'x',
    });
    expect(nothingToChange).toMatchObject({ code: 2, stdout: '' });
  });

  it('bin/recurra.js runs the bundle from its code cache, with the same output, and keeps no stray files', { timeout: 60_000 }, () => {
    const env = { RECURRA_DATA_DIR: tempDir('recurra-cli-proc-') };
    const caches = () => fs.readdirSync(CLI_DIR).filter((name) => name.endsWith('.cache'));
    expect(caches()).toHaveLength(1); // written by the build's warm-up run
    fs.rmSync(`${CLI_DIR}/${caches()[0]}`);
    const first = run(process.execPath, ['bin/recurra.js', 'business', 'list', '--json'], env);
    expect(caches()).toHaveLength(1); // written by that run
    const second = run(process.execPath, ['bin/recurra.js', 'business', 'list', '--json'], env);
    expect(first).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    expect(second).toEqual(first);
    expect(fs.readdirSync(CLI_DIR).sort()).toEqual(['recurra.cjs', 'recurra.cjs.map', ...caches()].sort());
  });

  it('bin/recurra.js under RECURRA_DEBUG: the stack of an unexpected error names the TypeScript source', { timeout: 60_000 }, () => {
    const notAFolder = `${tempDir('recurra-cli-proc-')}/file`;
    fs.writeFileSync(notAFolder, '');
    const failed = run(process.execPath, ['bin/recurra.js', 'business', 'list', '--json'], { RECURRA_DATA_DIR: notAFolder, RECURRA_DEBUG: '1' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/src-main\/core\/db\/registry\.ts:\d+:\d+/);
    expect(failed.stderr).not.toMatch(/recurra\.cjs:/);
  });

  it('bin/recurra.js without a bundle says so on stderr and runs the source (same stdout)', { timeout: 60_000 }, () => {
    // A checkout without out/cli: the bin and package.json copied, everything else linked.
    const checkout = tempDir('recurra-cli-nobundle-');
    fs.mkdirSync(path.join(checkout, 'bin'));
    for (const name of ['recurra.js', 'package.json']) fs.copyFileSync(path.join(ROOT, 'bin', name), path.join(checkout, 'bin', name));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(checkout, 'package.json'));
    for (const name of ['node_modules', 'src-main', 'src-shared', 'resources']) fs.symlinkSync(path.join(ROOT, name), path.join(checkout, name));
    const listed = run(process.execPath, [path.join(checkout, 'bin', 'recurra.js'), 'business', 'list', '--json'], { RECURRA_DATA_DIR: tempDir('recurra-cli-proc-') });
    expect(listed).toMatchObject({ code: 0, stdout: '[]\n' });
    expect(listed.stderr).toMatch(/^recurra: the CLI bundle \(out\/cli\/recurra\.cjs\) is missing, so the TypeScript source runs instead/);
    expect(listed.stderr).toMatch(/npm run build:cli/);
  });
});
