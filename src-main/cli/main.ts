import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { CliError, exitCodeFor, usageError } from './errors';
import { printError, type CliIo } from './output';
import { buildProgram } from './program';

/**
 * Runs one `recurra` command line (the arguments after the program name) and
 * returns its exit code. It never exits the process, so tests run it in-process.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const asJson = jsonRequested(argv);
  try {
    await buildProgram(io, asJson, argv).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help
      // Without --json commander has already written its message (and a hint) to stderr.
      if (asJson) printError(io, true, usageError(commanderMessage(error)));
      return 2;
    }
    const failure = error instanceof CliError ? error : unexpected(error, io);
    printError(io, asJson, failure);
    return exitCodeFor(failure.code);
  }
}

/** Entry used by `npm run cli` and bin/recurra.js. */
export async function runFromProcess(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
  // exitCode rather than process.exit(): a piped stdout is drained before the process ends.
  process.exitCode = code;
}

/** Usage errors can happen before commander has parsed --json, so look at the raw words. */
function jsonRequested(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

function commanderMessage(error: CommanderError): string {
  // A command group run without its subcommand ("recurra business") prints help and ends with this code.
  if (error.code === 'commander.help') return 'Missing command: add --help to see the commands';
  return error.message.replace(/^error: /, '');
}

function unexpected(error: unknown, io: CliIo): CliError {
  if (io.env.RECURRA_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return new CliError('internal', `Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
}

function isEntryModule(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return fs.realpathSync(script) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Not a top-level await: the CLI bundle (scripts/build-cli.mjs) is a CommonJS script.
if (isEntryModule()) void runFromProcess();
