/**
 * Entry point: declares the commands and maps errors to exit codes (STYLE.md 2.6). Each command
 * module only declares its flags; heavy layers (TensorFlow.js, data, training) are imported
 * lazily inside the action, so `ttm --help` stays fast.
 */
import { Command, CommanderError } from 'commander';
import { TtmError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { cliHints } from './error-hints.js';
import { paint, setQuiet } from './output.js';
import { COMMANDS } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('ttm')
    .description('Train, evaluate and forecast with IBM Granite TinyTimeMixer models on TensorFlow.js')
    .version(VERSION)
    .option('-q, --quiet', 'fewer status lines on stderr')
    .option('--verbose', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .hook('preAction', (cmd) => setQuiet(Boolean(cmd.opts().quiet)));
  program.addHelpText(
    'after',
    `
Examples:
  $ ttm demo                        synthesise data, validate, train, evaluate and forecast
  $ ttm info                        the design's model: parameters per module and per strategy
  $ ttm train --data dados/db_tratado-w.csv
  $ ttm predict --produto 12 --regiao 3`,
  );
  for (const register of COMMANDS) register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/**
 * `ttm predict --all | head`: once the reader has gone, the rest of the output has nowhere to go.
 * Stop quietly, as Unix tools do, instead of dying on an unhandled EPIPE.
 */
function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/** Runs the CLI and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err, argv.includes('--verbose'));
  }
}

function reportError(err: unknown, verbose: boolean): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    if (err.exitCode === 0) return 0;
    return new UsageError(err.message).exitCode;
  }
  if (err instanceof TtmError) {
    process.stderr.write(`${paint.red('error:')} ${err.message}\n`);
    for (const hint of cliHints(err)) process.stderr.write(`${paint.dim('hint:')} ${hint}\n`);
    if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`${paint.red('internal error:')} ${e.message}\n`);
  process.stderr.write(verbose && e.stack ? `${e.stack}\n` : 'run again with --verbose for the stack trace, and please report it\n');
  return 1;
}
