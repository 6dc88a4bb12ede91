import type { Command } from 'commander';
import type { Role } from '@shared/domain/roles';
import type { CliContext, FlagNames } from '../context';
import { formatFields, type CommandOutput } from '../output';
import type { Runner } from '../program';

interface CreateOptions {
  name: string;
  email: string;
  role: string;
}

const CREATE_FLAGS: FlagNames = { name: '--name', email: '--email', role: '--role', password: 'RECURRA_NEW_PASSWORD' };

export function registerUserCommands(program: Command, run: Runner): void {
  const user = program.command('user').description('the people who can log in to a business');

  user
    .command('create')
    .description("add a user (owner only); the new user's password from env RECURRA_NEW_PASSWORD")
    .requiredOption('--name <name>', "the user's name")
    .requiredOption('--email <email>', 'their email, used to log in')
    // Not commander .choices(): a bad role is the core's validation error (exit 1), as in the app.
    .requiredOption('--role <role>', 'owner, staff or viewer')
    .action(run(createUser));
}

async function createUser(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  const password = ctx.requireEnv('RECURRA_NEW_PASSWORD', "the new user's password (never a flag: flags show in process lists)");
  await ctx.login();
  const created = await ctx.call(
    'users.create',
    { name: opts.name, email: opts.email, role: opts.role as Role, password },
    CREATE_FLAGS,
  );
  return {
    json: { user: { id: created.id, email: created.email, role: created.role } },
    human: `Created user ${created.name}.\n${formatFields([
      ['User id', created.id],
      ['Email', created.email],
      ['Role', created.role],
    ])}`,
  };
}
