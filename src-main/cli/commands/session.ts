import type { Command } from 'commander';
import { CliError } from '../errors';
import type { CliContext } from '../context';
import { formatFields, type CommandOutput } from '../output';
import type { Runner } from '../program';

// spec/cli.md "Sessions and two-factor login": `login`, `logout`, `account 2fa setup|confirm|disable`.

export function registerLoginCommand(program: Command, run: Runner): void {
  program
    .command('login')
    .description('log in with RECURRA_PASSWORD (and RECURRA_TOTP with two-factor on) and keep the session here for 12 hours')
    .action(run(logIn));
}

export function registerLogoutCommand(program: Command, run: Runner): void {
  program.command('logout').description('end the session `recurra login` kept for --user on --business').action(run(logOut));
}

export function registerAccountCommands(program: Command, run: Runner): void {
  const account = program.command('account').description("the acting user's own account");
  const twoFactor = account.command('2fa').description('two-factor login with an authenticator app');
  twoFactor.command('setup').description('start two-factor: prints the secret and the otpauth URL for the app').action(run(setUp));
  twoFactor
    .command('confirm')
    .description('turn two-factor on with one code from the app; prints the ten recovery codes, once')
    .requiredOption('--code <code>', 'the 6-digit code the app shows')
    .action(run(confirm));
  twoFactor.command('disable').description('turn two-factor off; needs a current code in env RECURRA_TOTP').action(run(disable));
}

async function logIn(ctx: CliContext): Promise<CommandOutput> {
  const { session, expiresAt } = await ctx.loginAndKeep();
  const user = { id: session.user.id, email: session.user.email, role: session.user.role };
  return {
    json: { user, expiresAt },
    human: `Logged in as ${user.email} (${user.role}) on ${session.business.name} until ${expiresAt}.\nCommands run here as this user need no password or code until then; \`recurra logout\` ends it.`,
  };
}

async function logOut(ctx: CliContext): Promise<CommandOutput> {
  const had = await ctx.forgetKeptSession();
  return { json: { loggedOut: true }, human: had ? 'Logged out.' : 'There was no session to end here.' };
}

async function setUp(ctx: CliContext): Promise<CommandOutput> {
  await ctx.login();
  const { secret, otpauthUrl } = await ctx.call('auth.twoFactorSetup', {});
  return {
    json: { secret, otpauthUrl },
    human: `Add Recurra to your authenticator app with this secret (or open the URL on the phone):\n${formatFields([
      ['Secret', secret.replace(/(.{4})/g, '$1 ').trim()],
      ['URL', otpauthUrl],
    ])}\nThen turn it on with a code the app shows: recurra account 2fa confirm --code 123456`,
  };
}

async function confirm(ctx: CliContext, opts: { code: string }): Promise<CommandOutput> {
  await ctx.login();
  const { recoveryCodes } = await ctx.call('auth.twoFactorConfirm', { code: opts.code }, { code: '--code' });
  return {
    json: { enabled: true, recoveryCodes },
    human: `Two-factor login is on. Keep these recovery codes somewhere safe; each works once, and they are not shown again:\n${recoveryCodes.map((c) => `  ${c}`).join('\n')}`,
  };
}

async function disable(ctx: CliContext): Promise<CommandOutput> {
  const code = ctx.env('RECURRA_TOTP');
  if (!code) throw new CliError('unauthenticated', 'Set env RECURRA_TOTP to a current code of the authenticator app (or a recovery code) to turn two-factor off', 'code', 'RECURRA_TOTP');
  await ctx.login();
  await ctx.call('auth.twoFactorDisable', { code }, { code: 'RECURRA_TOTP' });
  return { json: { enabled: false }, human: 'Two-factor login is off.' };
}
