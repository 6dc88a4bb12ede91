import path from 'node:path';
import type Database from 'better-sqlite3';
import { openBusinessFile as openFile } from '../../support/core';
import type { CliRun } from './run-cli';

type Cli = (args: string[], env?: NodeJS.ProcessEnv) => Promise<CliRun>;

export const JANE = ['customer', 'create', '--name', 'Jane Doe', '--email', 'jane@example.com', '--company', 'Acme'];
export const JOHN = ['customer', 'create', '--name', 'John Smith', '--email', 'john@example.com', '--payment-method', 'manual'];

/** Runs a command that must succeed and returns its JSON document. */
export async function ok<T = unknown>(cli: Cli, args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  const run = await cli([...args, '--json'], env);
  if (run.code !== 0) throw new Error(`${args.join(' ')} failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export async function createCustomer(cli: Cli, args: string[], env: NodeJS.ProcessEnv): Promise<{ id: string; name: string }> {
  return (await ok<{ customer: { id: string; name: string } }>(cli, args, env)).customer;
}

/** Adds a user with the role (as the owner) and returns the env that acts as them. */
export async function actingAs(cli: Cli, asOwner: NodeJS.ProcessEnv, role: 'staff' | 'viewer'): Promise<NodeJS.ProcessEnv> {
  const email = `${role}@example.com`;
  await ok(cli, ['user', 'create', '--name', role, '--email', email, '--role', role], { ...asOwner, RECURRA_NEW_PASSWORD: 'password one' });
  return { ...asOwner, RECURRA_USER: email, RECURRA_PASSWORD: 'password one' };
}

/** The business file opened directly, to put in place what later billing commands will create. */
export function openBusinessFile(dataDir: string, businessId: string): Database.Database {
  return openFile(path.join(dataDir, 'businesses', `${businessId}.sqlite`));
}
