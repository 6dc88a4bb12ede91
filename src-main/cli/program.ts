import { Command, type OptionValues } from 'commander';
import { CliContext, type GlobalOptions } from './context';
import { printOutput, type CliIo, type CommandOutput } from './output';
import { registerApiKeyCommands } from './commands/api-key';
import { registerBillingCommands } from './commands/billing';
import { registerBusinessCommands } from './commands/business';
import { registerCouponCommands } from './commands/coupon';
import { registerCustomerCommands } from './commands/customer';
import { registerCampaignCommands, registerCustomerUnsubscribe } from './commands/campaign';
import { registerEmailCommands, registerReminderCommands } from './commands/email';
import { registerExportCommands } from './commands/export';
import { registerImportCommands } from './commands/import';
import { registerInsightsCommands } from './commands/insights';
import { registerInvoiceCommands } from './commands/invoice';
import { registerMetricsCommands } from './commands/metrics';
import { registerPaymentCommands } from './commands/payment';
import { registerPlanCommands } from './commands/plan';
import { registerReportCommands, registerSaleCommands } from './commands/sale';
import { registerProductCommands } from './commands/product';
import { registerAccountCommands, registerLoginCommand, registerLogoutCommand } from './commands/session';
import { registerSubscriptionCommands } from './commands/subscription';
import { registerSyncCommands } from './commands/sync';
import { registerUserCommands } from './commands/user';

/** A command's work: given the context, its own options and its positional arguments, what to print. */
export type CommandHandler<Options> = (ctx: CliContext, options: Options, args: string[]) => Promise<CommandOutput>;

/** Turns a handler into a commander action that opens a context, prints the output, and always closes. */
export type Runner = <Options extends OptionValues>(
  handler: CommandHandler<Options>,
) => (...actionArgs: unknown[]) => Promise<void>;

const HELP_FOOTER = `
Environment:
  RECURRA_DATA_DIR      data folder (default: the desktop app's, so both see the same businesses)
  RECURRA_BUSINESS      business id, as --business
  RECURRA_USER          who is acting, as --user
  RECURRA_PASSWORD      that user's password (never a flag: flags show in process lists)
  RECURRA_TOTP          with two-factor on: the current code of the authenticator app, or a recovery code
                        (not needed while a \`recurra login\` session is kept, 12 hours)
  RECURRA_NEW_PASSWORD  the password of a user being created
  RECURRA_SMTP_PASSWORD the SMTP password "email settings" keeps as a secret

Exit codes: 0 success, 1 refused (validation, not found, conflict), 2 usage, 3 authentication or permission.`;

/** Each area of the CLI lives in commands/<area>.ts and adds its top-level command here, in the order help lists them. */
const AREAS: ReadonlyArray<readonly [command: string, register: (program: Command, run: Runner) => void]> = [
  ['login', registerLoginCommand],
  ['logout', registerLogoutCommand],
  ['account', registerAccountCommands],
  ['business', registerBusinessCommands],
  ['user', registerUserCommands],
  ['customer', registerCustomerCommands],
  ['customer', registerCustomerUnsubscribe],
  ['import', registerImportCommands],
  ['export', registerExportCommands],
  ['plan', registerPlanCommands],
  ['product', registerProductCommands],
  ['coupon', registerCouponCommands],
  ['subscription', registerSubscriptionCommands],
  ['billing', registerBillingCommands],
  ['invoice', registerInvoiceCommands],
  ['payment', registerPaymentCommands],
  ['metrics', registerMetricsCommands],
  ['insights', registerInsightsCommands],
  ['sync', registerSyncCommands],
  ['api-key', registerApiKeyCommands],
  ['email', registerEmailCommands],
  ['reminder', registerReminderCommands],
  ['sale', registerSaleCommands],
  ['report', registerReportCommands],
  ['campaign', registerCampaignCommands],
];

/** The program's own options that take a value (the next word, unless written `--opt=value`). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--data-dir', '--user', '--business']);

/**
 * The top-level command a command line runs: its first word that is neither
 * an option of the program nor that option's value. Undefined for `--help`
 * alone, `help`, a typo or anything else that is not one of the areas.
 */
export function areaOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return undefined;
    if (word.startsWith('-')) {
      if (GLOBAL_OPTIONS_WITH_VALUE.has(word)) i++;
      continue;
    }
    return AREAS.some(([command]) => command === word) ? word : undefined;
  }
  return undefined;
}

/**
 * The command tree. Settings made here before any `.command()` call
 * (exitOverride, output) are inherited by every subcommand, so usage errors
 * anywhere throw instead of exiting and write through `io`.
 *
 * Given the command line, only the area it runs is built (a start then
 * builds a handful of commands, not some sixty): commander answers a command
 * line, its errors and its help from that area alone. Anything else (no
 * area, `--help`, `help`, a typo, for which commander suggests a name) gets
 * the whole tree.
 */
export function buildProgram(io: CliIo, asJson: boolean, argv?: readonly string[]): Command {
  const ignore = () => {};
  const program = new Command('recurra')
    .description("Recurra's books from the command line: the same businesses, rules and roles as the desktop app.")
    .option('--data-dir <dir>', 'data folder (or env RECURRA_DATA_DIR)')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--user <email>', 'who is acting (or env RECURRA_USER); password from env RECURRA_PASSWORD')
    .option('--business <id>', 'the business to act on (or env RECURRA_BUSINESS)')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      // With --json, stderr must hold only the JSON error that main.ts prints.
      writeErr: asJson ? ignore : io.stderr,
      outputError: asJson ? ignore : (message, write) => write(message),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', HELP_FOOTER);

  const run: Runner = <Options extends OptionValues>(handler: CommandHandler<Options>) => async (...actionArgs: unknown[]) => {
    // commander calls an action with (...positionals, options, command).
    const command = actionArgs.at(-1) as Command;
    const ctx = new CliContext(io, command.optsWithGlobals<GlobalOptions>());
    try {
      const output = await handler(ctx, command.opts<Options>(), command.processedArgs as string[]);
      printOutput(io, ctx.json, output);
    } finally {
      ctx.close();
    }
  };

  const area = argv && areaOf(argv);
  for (const [command, register] of AREAS) if (area === undefined || command === area) register(program, run);
  return program;
}
