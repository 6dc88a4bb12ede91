import type { Command, OptionValues } from 'commander';
import type { ApiKey, ApiKeyScope } from '@shared/contract/api-keys';
import type { CliContext, FlagNames } from '../context';
import { formatFields, formatTable, type CommandOutput } from '../output';
import type { Runner } from '../program';

interface CreateOptions {
  name: string;
  scope: string;
}

const CREATE_FLAGS: FlagNames = { name: '--name', scope: '--scope' };

export function registerApiKeyCommands(program: Command, run: Runner): void {
  const apiKey = program.command('api-key').description("keys for the sync server's REST API (owner only); they reach the server with the next sync");

  apiKey
    .command('create')
    .description('make a key; it is printed once and never again (only its hash is kept)')
    .requiredOption('--name <name>', 'what the key is for, like "Website"')
    // Not commander .choices(): a bad scope is the core's validation error (exit 1), as in the app.
    .requiredOption('--scope <scope>', 'read (GET only) or write')
    .action(run(createKey));

  apiKey.command('list').description('the keys: name, scope, first characters, created, last used, revoked').action(run(listKeys));

  apiKey
    .command('revoke')
    .description('stop a key working (on the server after the next sync)')
    .argument('<id>', 'the key id (`recurra api-key list` shows them)')
    .action(run(revokeKey));
}

const day = (iso: string | null) => (iso === null ? '' : iso.slice(0, 10));

function keyTable(keys: readonly ApiKey[]): string {
  return formatTable(keys, [
    { header: 'ID', value: (k) => k.id },
    { header: 'Name', value: (k) => k.name },
    { header: 'Scope', value: (k) => k.scope },
    { header: 'Key', value: (k) => `rk_${k.keyPrefix}…` },
    { header: 'Created', value: (k) => day(k.createdAt) },
    { header: 'Last used', value: (k) => k.lastUsedOn ?? 'never' },
    { header: 'Status', value: (k) => (k.revokedAt ? `revoked ${day(k.revokedAt)}` : 'active') },
  ]);
}

async function createKey(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  await ctx.login();
  const { apiKey, key } = await ctx.call('apiKeys.create', { name: opts.name, scope: opts.scope.trim() as ApiKeyScope }, CREATE_FLAGS);
  return {
    json: { id: apiKey.id, name: apiKey.name, scope: apiKey.scope, key, keyPrefix: apiKey.keyPrefix, createdAt: apiKey.createdAt },
    human:
      `Created API key ${apiKey.name} (${apiKey.scope}).\n\n${key}\n\n` +
      'Copy it now: it will not be shown again (only its hash is kept).\n' +
      `It reaches the server with the next sync. Send it as: Authorization: Bearer rk_…\n${formatFields([['Key id', apiKey.id]])}`,
  };
}

async function listKeys(ctx: CliContext): Promise<CommandOutput> {
  await ctx.login();
  const keys = await ctx.call('apiKeys.list', {});
  return { json: keys, human: keys.length ? keyTable(keys) : 'No API keys yet. Make one with: recurra api-key create --name N --scope read' };
}

async function revokeKey(ctx: CliContext, _opts: OptionValues, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const apiKey = await ctx.call('apiKeys.revoke', { id }, { id: `api key ${id}` });
  return {
    json: { apiKey },
    human: `Revoked API key ${apiKey.name} (rk_${apiKey.keyPrefix}…). The server refuses it after this PC's next sync.`,
  };
}
