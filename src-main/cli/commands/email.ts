import type { Command } from 'commander';
import type { CliContext } from '../context';
import { validationError } from '../errors';
import type { CommandOutput } from '../output';
import { parseDate, parseWholeNumber, parseWholeNumberList } from '../parse';
import type { Runner } from '../program';

interface SettingsOptions {
  host: string;
  port: string;
  user?: string;
  from: string;
  secure?: boolean;
}

export function registerEmailCommands(program: Command, run: Runner): void {
  const email = program.command('email').description("email over the business's own SMTP server (owner)");

  email
    .command('settings')
    .description('the SMTP server invoices and reminders go through; the password comes from env RECURRA_SMTP_PASSWORD and is kept as a secret')
    .requiredOption('--host <host>', 'the SMTP server, like smtp.example.com')
    .requiredOption('--port <port>', '587 (STARTTLS) or 465 (with --secure)')
    // cli.md names the SMTP login `--user`, which is also the program's "who is acting" option: here it is the
    // SMTP login, and who is acting comes from env RECURRA_USER.
    .option('--user <user>', 'the SMTP login ("" for none); who is acting comes from env RECURRA_USER here')
    .requiredOption('--from <address>', 'the sender address customers see')
    .option('--secure', 'TLS from the start (port 465)')
    .action((...args: unknown[]) => {
      const command = args.at(-1) as Command | undefined;
      let root = command;
      while (root?.parent) root = root.parent;
      const global = root?.getOptionValue('user') as string | undefined;
      if (command && root && global !== undefined) {
        command.setOptionValue('user', global);
        root.setOptionValue('user', undefined);
      }
      return run(emailSettings)(...args);
    });

  email
    .command('test')
    .description('sends a test message; a refusal prints the server answer')
    .requiredOption('--to <address>', 'who gets it')
    .action(run(emailTest));
}

export function registerReminderCommands(program: Command, run: Runner): void {
  const reminder = program.command('reminder').description('payment reminders by email, relative to the due date');
  reminder
    .command('settings')
    .description('when reminders go out: days relative to the due date (-3: three days before); "" turns them off')
    .requiredOption('--days <days>', 'like -3,1,7,14')
    .action(run(reminderSettings));
  reminder
    .command('run')
    .description('sends the reminders due (the app does it after each billing run); never twice for one invoice and step')
    .requiredOption('--as-of <date>', 'YYYY-MM-DD, up to today')
    .action(run(reminderRun));
}

/** `invoice send ID`: added to the invoice command. */
export function registerInvoiceSend(invoice: Command, run: Runner): void {
  invoice
    .command('send')
    .description("emails the invoice with its PDF attached to the customer's address")
    .argument('<id>', 'the invoice id or number')
    .action(run(invoiceSend));
}

async function emailSettings(ctx: CliContext, opts: SettingsOptions): Promise<CommandOutput> {
  const port = parseWholeNumber(opts.port, 'port', '--port', 'The port is a number, like 587');
  if (opts.user === undefined) throw validationError('user', 'Give the SMTP login with --user ("" for none)', '--user');
  await ctx.login();
  const password = ctx.env('RECURRA_SMTP_PASSWORD');
  const flags = { host: '--host', port: '--port', user: '--user', from: '--from', secure: '--secure' };
  const view = await ctx.call(
    'email.settings.set',
    { host: opts.host, port, user: opts.user, from: opts.from, secure: opts.secure === true, ...(password !== undefined ? { password } : {}) },
    flags,
  );
  const saved = view.email;
  const json = { email: saved ? { host: saved.host, port: saved.port, user: saved.user, from: saved.from, secure: saved.secure } : null };
  const pw = saved?.passwordSaved ? 'password saved' : 'no password saved (set env RECURRA_SMTP_PASSWORD)';
  return { json, human: `Email goes through ${opts.host}:${port}${opts.secure ? ' (TLS)' : ''} as ${opts.user || 'no login'}, from ${opts.from}; ${pw}.` };
}

async function emailTest(ctx: CliContext, opts: { to: string }): Promise<CommandOutput> {
  await ctx.login();
  const result = await ctx.call('email.test', { to: opts.to }, { to: '--to' });
  return { json: result, human: `Test message sent to ${opts.to} (message id ${result.messageId}).` };
}

async function invoiceSend(ctx: CliContext, _opts: unknown, [id = '']: string[]): Promise<CommandOutput> {
  await ctx.login();
  const result = await ctx.call('invoices.send', { id }, { id: `invoice ${id}` });
  return { json: { sent: true, to: result.to }, human: `Invoice ${id} emailed to ${result.to} with its PDF.` };
}

async function reminderSettings(ctx: CliContext, opts: { days: string }): Promise<CommandOutput> {
  const text = opts.days.trim();
  const days = text === '' ? [] : parseWholeNumberList(text, 'days', '--days', 'Days are whole numbers, like -3,1,7,14');
  await ctx.login();
  const result = await ctx.call('reminders.settings.set', { days }, { days: '--days' });
  const human = result.reminders.days.length ? `Payment reminders go out on days ${result.reminders.days.join(', ')} relative to the due date.` : 'Payment reminders are off.';
  return { json: result, human };
}

async function reminderRun(ctx: CliContext, opts: { asOf: string }): Promise<CommandOutput> {
  const asOf = parseDate(opts.asOf, 'asOf', '--as-of');
  await ctx.login();
  const result = await ctx.call('reminders.run', { asOf }, { asOf: '--as-of' });
  return { json: result, human: `Reminders as of ${asOf}: ${result.sent} sent, ${result.skipped} skipped, ${result.failed} failed.` };
}
