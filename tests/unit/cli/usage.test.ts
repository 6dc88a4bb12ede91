import { describe, expect, it } from 'vitest';
import { areaOf } from '../../../src-main/cli/program';
import { cliWithDataDir, errorJson } from './run-cli';

describe('usage errors and help', () => {
  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['business', 'list', '--bogus'], "unknown option '--bogus'"],
    [['business', 'list', 'extra'], 'too many arguments'],
    [['business', 'create', '--name', 'X'], "required option '--currency <code>' not specified"],
    [['business', 'update', '--net-terms'], "option '--net-terms <days>' argument missing"],
  ])('%j is a usage error: exit 2, commander message on stderr', async (args, message) => {
    const { cli } = cliWithDataDir();
    const human = await cli(args);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(message);

    const json = await cli([...args, '--json']);
    expect(json.code).toBe(2);
    expect(json.stdout).toBe('');
    expect(errorJson(json)).toEqual({ error: { code: 'usage', message: expect.stringContaining(message) } });
  });

  it('suggests the nearest command', async () => {
    const { cli } = cliWithDataDir();
    const run = await cli(['business', 'lst']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(Did you mean list?)');
  });

  it('a command group without its subcommand shows its help on stderr and exits 2', async () => {
    const { cli } = cliWithDataDir();
    const run = await cli(['business']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('Usage: recurra business');
    const json = await cli(['business', '--json']);
    expect(json.code).toBe(2);
    expect(errorJson(json)).toEqual({ error: { code: 'usage', message: 'Missing command: add --help to see the commands' } });
    expect((await cli([])).code).toBe(2);
  });

  it('--help works everywhere: stdout, exit 0', async () => {
    const { cli } = cliWithDataDir();
    for (const args of [['--help'], ['business', '--help'], ['business', 'create', '--help'], ['business', 'update', '--help'],
      ['business', 'list', '--help'], ['user', 'create', '--help'], ['help', 'user']]) {
      const run = await cli(args);
      expect(run, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout, args.join(' ')).toMatch(/^Usage: recurra/);
    }
    const top = await cli(['--help']);
    expect(top.stdout).toContain('RECURRA_PASSWORD');
    expect(top.stdout).toContain('Exit codes: 0 success');
    expect((await cli(['user', 'create', '--help'])).stdout).toContain('--role <role>');
  });

  it('builds only the area a command line runs (past the global options and their values); anything else gets every area', () => {
    expect(areaOf(['business', 'list', '--json'])).toBe('business');
    expect(areaOf(['--data-dir', 'plan', 'customer', 'list'])).toBe('customer');
    expect(areaOf(['--json', '--user=plan', '--business', 'b1', 'metrics', '--as-of', '2026-01-01'])).toBe('metrics');
    for (const args of [[], ['--help'], ['help', 'user'], ['bogus', 'list'], ['--', 'business'], ['--data-dir', 'business']]) {
      expect(areaOf(args), args.join(' ')).toBeUndefined();
    }
  });

  it('the top-level help lists every area', async () => {
    const { cli } = cliWithDataDir();
    const top = await cli(['--help']);
    for (const area of ['business', 'user', 'customer', 'import', 'export', 'plan', 'coupon', 'subscription', 'billing', 'invoice', 'payment', 'metrics']) {
      expect(top.stdout).toMatch(new RegExp(`^  ${area}\\b`, 'm'));
    }
  });

  it('refuses an empty --data-dir rather than falling back to the real data folder', async () => {
    const { cli } = cliWithDataDir();
    const run = await cli(['business', 'list', '--data-dir', '', '--json']);
    expect(run.code).toBe(2);
    expect(errorJson(run)).toEqual({ error: { code: 'usage', message: '--data-dir needs a folder' } });
  });
});
