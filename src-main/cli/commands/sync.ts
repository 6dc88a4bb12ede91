import type { Command, OptionValues } from 'commander';
import type { SyncStatus } from '@shared/contract/sync';
import type { CliContext, FlagNames } from '../context';
import { usageError } from '../errors';
import { formatFields, formatTable, type CommandOutput } from '../output';
import type { Runner } from '../program';

// spec/server.md, "Connecting PCs": this PC and a sync server. Everything but
// `join` acts on a business as a logged-in user (--business, --user,
// RECURRA_PASSWORD); `join` makes the business here, so it needs no login.

const CONNECT_FLAGS: FlagNames = { server: '--server', inviteCode: '--invite', deviceName: '--device-name' };
const JOIN_FLAGS: FlagNames = { server: '--server', code: '--code', deviceName: '--device-name' };

export function registerSyncCommands(program: Command, run: Runner): void {
  const sync = program.command('sync').description('share a business between PCs through a sync server');

  sync
    .command('connect')
    .description('owner only: register this business and this PC (the billing PC) on a sync server and upload everything')
    .requiredOption('--server <url>', "the sync server's address, like https://sync.example.com")
    .requiredOption('--invite <code>', 'the enrollment code from the server operator (`npm run server -- invite`)')
    .option('--device-name <name>', "this PC's name on the server (default: its host name)")
    .action(run(connect));

  sync.command('pair').description('owner only: a one-time code (valid 15 min) another PC types in `sync join`').action(run(pair));

  sync
    .command('join')
    .description('download a business from the server onto this PC (no login: its users log in here with their passwords)')
    .requiredOption('--server <url>', "the sync server's address")
    .requiredOption('--code <code>', 'the pairing code from `recurra sync pair` on a connected PC')
    .option('--device-name <name>', "this PC's name on the server (default: its host name)")
    .action(run(join));

  sync.command('now').description("push this PC's changes and pull the others'").action(run(now));
  sync.command('status').description('the server, this device, the billing PC and the changes waiting').action(run(status));
  sync.command('conflicts').description('what sync decided for you: the values it overwrote').action(run(conflicts));
  sync.command('digest').description("a SHA-256 per table of the business's rows: equal on every PC once all have synced").action(run(digest));

  sync
    .command('billing-device')
    .description('owner only, online only: make this PC the billing PC')
    .option('--take', 'make this PC the billing PC')
    .action(run(billingDevice));

  sync.command('disconnect').description('owner only: the server forgets this PC; the data stays here').action(run(disconnect));
}

async function connect(ctx: CliContext, opts: { server: string; invite: string; deviceName?: string }): Promise<CommandOutput> {
  await ctx.login();
  const input = { server: opts.server, inviteCode: opts.invite, ...(opts.deviceName === undefined ? {} : { deviceName: opts.deviceName }) };
  const result = await ctx.call('sync.connect', input, CONNECT_FLAGS);
  return {
    json: result,
    human: `Connected to ${result.server} as device ${result.deviceId} (the billing PC); uploaded ${count(result.pushed, 'change')}.\nPair another PC with: recurra sync pair`,
  };
}

async function pair(ctx: CliContext): Promise<CommandOutput> {
  await ctx.login();
  const result = await ctx.call('sync.pair', {});
  return {
    json: result,
    human: `Pairing code: ${result.code}\nType it on the other PC within 15 minutes (until ${result.expiresAt}):\n  recurra sync join --server URL --code ${result.code} --data-dir DIR`,
  };
}

async function join(ctx: CliContext, opts: { server: string; code: string; deviceName?: string }): Promise<CommandOutput> {
  const input = { server: opts.server, code: opts.code, ...(opts.deviceName === undefined ? {} : { deviceName: opts.deviceName }) };
  const result = await ctx.call('sync.join', input, JOIN_FLAGS);
  return {
    json: result,
    human: `Joined ${result.business.name} (id ${result.business.id}) as device ${result.deviceId}; downloaded ${count(result.pulled, 'change')}.\nLog in as before: --business ${result.business.id} --user EMAIL (password in RECURRA_PASSWORD)`,
  };
}

async function now(ctx: CliContext): Promise<CommandOutput> {
  await ctx.login();
  const result = await ctx.call('sync.now', {});
  const conflictText = result.conflicts ? ` ${count(result.conflicts, 'conflict')} resolved (see \`recurra sync conflicts\`).` : '';
  return { json: result, human: `Synced: ${count(result.pushed, 'change')} pushed, ${result.pulled} pulled.${conflictText}` };
}

async function status(ctx: CliContext): Promise<CommandOutput> {
  await ctx.login();
  const s = await ctx.call('sync.status', {});
  return {
    json: { server: s.server, deviceId: s.deviceId, deviceName: s.deviceName, billingDevice: s.billingDevice, pending: s.pending, lastSyncAt: s.lastSyncAt },
    human: statusText(s),
  };
}

function statusText(s: SyncStatus): string {
  if (!s.server) return 'This business is not connected to a sync server.';
  const billing = s.billingDevice ? `${s.billingDevice.name} (${s.billingDevice.id})${s.billingDevice.id === s.deviceId ? ', this PC' : ''}` : 'none';
  const lines = [
    formatFields([
      ['Server', `${s.server}${s.online ? '' : ' (not reachable now)'}`],
      ['This PC', `${s.deviceName ?? '?'} (${s.deviceId ?? '?'})`],
      ['Billing PC', billing],
      ['Waiting', count(s.pending, 'change')],
      ['Last synced', s.lastSyncAt ?? 'never'],
    ]),
  ];
  if (s.problem) lines.push(`\n${s.problem}`);
  if (s.devices.length) {
    lines.push(
      '',
      formatTable(s.devices, [
        { header: 'DEVICE', value: (d) => d.id },
        { header: 'NAME', value: (d) => d.name },
        { header: 'LAST SYNC', value: (d) => d.lastSyncAt ?? 'never' },
        { header: 'STATE', value: (d) => (d.revoked ? 'revoked' : 'active') },
      ]),
    );
  }
  return lines.join('\n');
}

async function conflicts(ctx: CliContext): Promise<CommandOutput> {
  await ctx.login();
  const list = await ctx.call('sync.conflicts', {});
  const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v)).slice(0, 60);
  return {
    json: list,
    human: list.length
      ? formatTable(list, [
          { header: 'AT', value: (c) => c.at },
          { header: 'ENTITY', value: (c) => c.entity },
          { header: 'ID', value: (c) => c.id },
          { header: 'FIELD', value: (c) => c.field },
          { header: 'KEPT', value: (c) => show(c.kept) },
          { header: 'OVERWRITTEN', value: (c) => show(c.overwritten) },
        ])
      : 'No conflicts: sync has overwritten nothing.',
  };
}

async function digest(ctx: CliContext): Promise<CommandOutput> {
  await ctx.login();
  const result = await ctx.call('sync.digest', {});
  const rows = Object.entries(result.tables).sort(([a], [b]) => a.localeCompare(b));
  return { json: result, human: formatTable(rows, [{ header: 'TABLE', value: (r) => r[0] }, { header: 'SHA-256', value: (r) => r[1] }]) };
}

async function billingDevice(ctx: CliContext, opts: { take?: boolean }): Promise<CommandOutput> {
  if (!opts.take) throw usageError('Say what to do: `recurra sync billing-device --take` makes this PC the billing PC (`recurra sync status` shows which PC it is)');
  await ctx.login();
  const result = await ctx.call('sync.takeBillingDevice', {});
  return { json: result, human: `This PC, ${result.billingDevice.name} (${result.billingDevice.id}), is now the billing PC.` };
}

async function disconnect(ctx: CliContext, _opts: OptionValues): Promise<CommandOutput> {
  await ctx.login();
  const result = await ctx.call('sync.disconnect', {});
  return { json: result, human: 'Disconnected: the server no longer accepts this PC; the data stays here.' };
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
