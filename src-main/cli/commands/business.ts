import fs from 'node:fs';
import type { Command } from 'commander';
import type { Business, BusinessUpdate } from '@shared/contract/business';
import type { CurrencyCode } from '@shared/domain/money';
import type { CliContext, FlagNames } from '../context';
import { CliError, usageError } from '../errors';
import { formatFields, formatTable, type CommandOutput } from '../output';
import { parseWholeNumber, parseWholeNumberList } from '../parse';
import type { Runner } from '../program';

interface CreateOptions {
  name: string;
  currency: string;
  timezone: string;
  ownerName: string;
  ownerEmail: string;
}

interface UpdateOptions {
  name?: string;
  taxRate?: string;
  netTerms?: string;
  invoicePrefix?: string;
  dunningDays?: string;
}

const CREATE_FLAGS: FlagNames = {
  businessName: '--name',
  currency: '--currency',
  timezone: '--timezone',
  ownerName: '--owner-name',
  ownerEmail: '--owner-email',
  password: 'RECURRA_PASSWORD',
};

const UPDATE_FLAGS: FlagNames = {
  name: '--name',
  taxRate: '--tax-rate',
  netTermsDays: '--net-terms',
  invoicePrefix: '--invoice-prefix',
  dunningDays: '--dunning-days',
};

export function registerBusinessCommands(program: Command, run: Runner): void {
  const business = program.command('business').description('create, list and configure businesses');

  business
    .command('create')
    .description("create a business and its owner (the owner's password from env RECURRA_PASSWORD)")
    .requiredOption('--name <name>', 'business name')
    .requiredOption('--currency <code>', 'ISO 4217 code, like USD')
    .requiredOption('--timezone <zone>', 'IANA time zone, like America/New_York')
    .requiredOption('--owner-name <name>', "the owner's name")
    .requiredOption('--owner-email <email>', "the owner's email, used to log in")
    .action(run(createBusiness));

  business
    .command('update')
    .description('change the settings billing uses (owner only; needs --business, --user, RECURRA_PASSWORD)')
    .option('--name <name>', 'business name')
    .option('--tax-rate <percent>', 'sales tax as a percentage, like 8.25')
    .option('--net-terms <days>', 'days from issue until an invoice is due')
    .option('--invoice-prefix <prefix>', 'letters, digits and dashes, like INV')
    .option('--dunning-days <days>', 'days after a failed card payment to retry, like 3,5,7')
    .action(run(updateBusiness));

  business
    .command('list')
    .description('the businesses in the data folder (no login needed)')
    .action(run(listBusinesses));

  business
    .command('backup')
    .description('the whole business as one file, safe while the app runs (owner only)')
    .requiredOption('--out <file>', 'where to write the backup')
    .action(run(backupBusiness));

  business
    .command('restore')
    .description('a new business on this PC from a backup file (as --user, an owner in the backup, with RECURRA_PASSWORD; its users keep their passwords)')
    .requiredOption('--file <file>', 'the backup to restore')
    .action(run(restoreBusiness));
}

/** The backup's passphrase: from the environment only, like passwords. */
const PASSPHRASE = 'RECURRA_BACKUP_PASSPHRASE';

async function backupBusiness(ctx: CliContext, opts: { out: string }): Promise<CommandOutput> {
  const passphrase = ctx.requireEnv(PASSPHRASE, 'a passphrase for the backup, at least 8 characters (never a flag: flags show in process lists); restoring asks for it');
  await ctx.login();
  ctx.exportTo(opts.out);
  const result = await ctx.call('backup.create', { passphrase }, { passphrase: PASSPHRASE });
  return { json: { path: result.path, bytes: result.bytes }, human: `Backed up to ${result.path} (${result.bytes.toLocaleString('en-US')} bytes).` };
}

async function restoreBusiness(ctx: CliContext, opts: { file: string }): Promise<CommandOutput> {
  if (!fs.existsSync(opts.file)) throw new CliError('validation', `No file at ${opts.file}`, 'file', '--file');
  // Only an owner in the backup may restore it: their email and password in that file, not a login here.
  const email = ctx.actingUser;
  if (!email) throw new CliError('unauthenticated', 'Say which owner in the backup is restoring it with --user EMAIL or env RECURRA_USER');
  const password = ctx.env('RECURRA_PASSWORD');
  if (!password) throw new CliError('unauthenticated', `Set env RECURRA_PASSWORD to the password ${email} has in the backup (never a flag)`);
  ctx.importFrom(opts.file);
  const flags = { file: '--file', email: '--user', password: 'RECURRA_PASSWORD', passphrase: PASSPHRASE };
  const { business } = await ctx.call('backup.restore', { email, password, passphrase: ctx.env(PASSPHRASE) }, flags).catch((error: unknown) => {
    // Wrong credentials for the backup are the core's field error (a window must not read them as its
    // session ending); on the command line they are an authentication failure, exit 3, like a login's.
    if (error instanceof CliError && error.code === 'validation' && error.field === 'password') {
      throw new CliError('unauthenticated', error.message, 'password', 'RECURRA_PASSWORD');
    }
    throw error;
  });
  if (!business) return { json: { business }, human: 'Nothing was restored.' };
  // The restored file has a data key of its own, which the recovery key can unlock only once it is
  // typed here (env RECURRA_RECOVERY_KEY, checked against the backup's key) or later.
  const recoverySetUp = (await ctx.useRecoveryKey(business.id)) !== null;
  return {
    json: { business, recoverySetUp },
    human: [
      `Restored ${business.name} as a new business (id ${business.id}).`,
      ...(recoverySetUp
        ? []
        : [
            `Its recovery key cannot unlock this restored file yet (should this PC lose its key): run one command with env RECURRA_RECOVERY_KEY set to ${business.name}'s recovery key, or type it in the app (Settings > Users).`,
          ]),
    ].join('\n'),
  };
}

async function createBusiness(ctx: CliContext, opts: CreateOptions): Promise<CommandOutput> {
  const password = ctx.requireEnv('RECURRA_PASSWORD', "the new owner's password (never a flag: flags show in process lists)");
  const session = await ctx.call(
    'business.signUp',
    {
      businessName: opts.name,
      // Codes are upper case; accepting "usd" costs nothing and the core still checks the list.
      currency: opts.currency.trim().toUpperCase() as CurrencyCode,
      timezone: opts.timezone,
      ownerName: opts.ownerName,
      ownerEmail: opts.ownerEmail,
      password,
    },
    CREATE_FLAGS,
  );
  const { business, user } = session;
  return {
    json: {
      business: { id: business.id, name: business.name, currency: business.currency, timezone: business.timezone },
      owner: { id: user.id, email: user.email, role: user.role },
    },
    human: [
      `Created ${business.name}.`,
      formatFields([
        ['Business id', business.id],
        ['Currency', business.currency],
        ['Time zone', business.timezone],
        ['Owner', `${user.name} <${user.email}>`],
      ]),
      `Act as the owner with: --business ${business.id} --user ${user.email} (password in RECURRA_PASSWORD)`,
      '',
      `Recovery key: ${session.recoveryKey}`,
      'Keep it somewhere safe, away from this PC. It sets a new owner password if that is forgotten, and it unlocks',
      "the books if this PC loses their key (a reinstall, a new PC): run a command with env RECURRA_RECOVERY_KEY set to it.",
    ].join('\n'),
  };
}

async function updateBusiness(ctx: CliContext, opts: UpdateOptions): Promise<CommandOutput> {
  // Flags are checked before logging in, so a typo costs no login (and no audit row).
  const changes = settingsChanges(opts);
  await ctx.login();
  const business = await ctx.call('business.update', changes, UPDATE_FLAGS);
  return { json: { business }, human: `Updated ${business.name}.\n${describeBusiness(business)}` };
}

function settingsChanges(opts: UpdateOptions): BusinessUpdate {
  const changes: BusinessUpdate = {};
  if (opts.name !== undefined) changes.name = opts.name;
  if (opts.taxRate !== undefined) changes.taxRate = opts.taxRate;
  if (opts.netTerms !== undefined) {
    changes.netTermsDays = parseWholeNumber(opts.netTerms, 'netTermsDays', '--net-terms', 'Enter a whole number of days, like 30');
  }
  if (opts.invoicePrefix !== undefined) changes.invoicePrefix = opts.invoicePrefix;
  if (opts.dunningDays !== undefined) {
    changes.dunningDays = parseWholeNumberList(
      opts.dunningDays,
      'dunningDays',
      '--dunning-days',
      'Give whole days separated by commas, like 3,5,7',
    );
  }
  // An empty update would still write an audit row; say what is missing instead.
  if (Object.keys(changes).length === 0) {
    throw usageError('Nothing to change: give at least one of --name, --tax-rate, --net-terms, --invoice-prefix, --dunning-days');
  }
  return changes;
}

function describeBusiness(b: Business): string {
  return formatFields([
    ['Business id', b.id],
    ['Name', b.name],
    ['Currency', b.currency],
    ['Time zone', b.timezone],
    ['Tax rate', `${b.taxRate}%`],
    ['Net terms', `${b.netTermsDays} day${b.netTermsDays === 1 ? '' : 's'}`],
    ['Invoice prefix', b.invoicePrefix],
    ['Dunning days', b.dunningDays.join(', ')],
  ]);
}

async function listBusinesses(ctx: CliContext): Promise<CommandOutput> {
  const businesses = await ctx.call('business.list', {});
  return {
    json: businesses.map((b) => ({ id: b.id, name: b.name, currency: b.currency, syncServer: b.syncServer })),
    human: businesses.length
      ? formatTable(businesses, [
          { header: 'ID', value: (b) => b.id },
          { header: 'NAME', value: (b) => b.name },
          { header: 'CURRENCY', value: (b) => b.currency ?? '-' },
          { header: 'TIME ZONE', value: (b) => b.timezone ?? '-' },
          { header: 'SYNC', value: (b) => b.syncServer ?? '-' },
        ]) + lockNotes(businesses)
      : `No businesses in ${ctx.dataDir} yet. Create one with: recurra business create --help`,
  };
}

/** Below the table: the businesses this PC cannot open, and those whose recovery key cannot unlock their file yet. */
function lockNotes(businesses: { id: string; name: string; nameKnown: boolean; locked: boolean; recoverySetUp: boolean }[]): string {
  const notes = businesses.flatMap((b) =>
    b.locked && !b.nameKnown
      ? [`The business in ${b.id}.sqlite (its name is inside it) is locked on this PC: run a command with --business ${b.id} and env RECURRA_RECOVERY_KEY set to its recovery key.`]
      : b.locked
      ? [`${b.name} is locked on this PC (its key is not in this PC's key store): run a command with env RECURRA_RECOVERY_KEY set to its recovery key.`]
      : b.recoverySetUp
        ? []
        : [`${b.name}: its recovery key cannot unlock its encrypted file yet; run a command once with env RECURRA_RECOVERY_KEY set to it.`],
  );
  return notes.length ? `\n\n${notes.join('\n')}` : '';
}
