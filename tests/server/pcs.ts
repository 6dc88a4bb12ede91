import { expect } from 'vitest';
import { tempDir } from '../support/core';
import { runIn, type CliRun } from '../unit/cli/run-cli';

// PCs for the sync tests: each a data folder driven through the `recurra`
// command line (in this process) exactly as a person would.

export const OWNER = { email: 'olivia@example.com', password: 'correct horse battery' };

export interface Pc {
  dataDir: string;
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
  /** The args as the owner, with --json; must succeed. */
  ok<T = Record<string, unknown>>(args: string[], env?: NodeJS.ProcessEnv): Promise<T>;
  /** The args as the owner, with --json; must fail with this exit code; the JSON error. */
  fails(args: string[], exitCode: number, env?: NodeJS.ProcessEnv): Promise<{ code: string; message: string; field?: string }>;
}

export function pc(businessId: () => string | undefined): Pc {
  const dataDir = tempDir('recurra-pc-');
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const id = businessId();
    return runIn({ RECURRA_DATA_DIR: dataDir, RECURRA_USER: OWNER.email, RECURRA_PASSWORD: OWNER.password, ...(id ? { RECURRA_BUSINESS: id } : {}), ...env }, args);
  };
  return {
    dataDir,
    cli,
    async ok<T>(args: string[], env: NodeJS.ProcessEnv = {}) {
      const run = await cli([...args, '--json'], env);
      if (run.code !== 0) throw new Error(`${args.join(' ')} failed (${run.code}): ${run.stderr}`);
      return JSON.parse(run.stdout) as T;
    },
    async fails(args: string[], exitCode: number, env: NodeJS.ProcessEnv = {}) {
      const run = await cli([...args, '--json'], env);
      expect(run.stdout).toBe('');
      expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: exitCode });
      return (JSON.parse(run.stderr.trim().split('\n').at(-1) ?? '') as { error: { code: string; message: string; field?: string } }).error;
    },
  };
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  company: string | null;
}

/** A business on a fresh PC, as `business create` makes it, with two customers. */
export async function businessOnNewPc(name = 'Sunrise Yoga') {
  const acting: { id?: string } = {};
  const a = pc(() => acting.id);
  const created = await a.ok<{ business: { id: string } }>([
    'business', 'create', '--name', name, '--currency', 'USD', '--timezone', 'America/New_York', '--owner-name', 'Olivia Owner', '--owner-email', OWNER.email,
  ]);
  const id = created.business.id;
  acting.id = id;
  const jane = (await a.ok<{ customer: Customer }>(['customer', 'create', '--name', 'Jane Doe', '--email', 'jane@example.com'])).customer;
  const john = (await a.ok<{ customer: Customer }>(['customer', 'create', '--name', 'John Smith', '--email', 'john@example.com'])).customer;
  return { a, businessId: id, jane, john };
}

export async function customers(p: Pc): Promise<Customer[]> {
  return (await p.ok<Customer[]>(['customer', 'list'])).sort((x, y) => x.email.localeCompare(y.email));
}

/** A date billing may run as of (yesterday or earlier in any time zone). */
export const PAST = new Date(Date.now() - 3 * 86400_000).toISOString().slice(0, 10);

