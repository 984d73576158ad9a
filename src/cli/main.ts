/**
 * The `letterapp` bin: `letterapp listen`, `letterapp send track|identify|group`, `letterapp import`, `--help`,
 * `--version`. Zero dependencies: flags are parsed with `node:util` parseArgs.
 */
import { VERSION } from '../version.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './args.js';
import { IMPORT_HELP, LISTEN_HELP, SEND_GROUP_HELP, SEND_HELP, SEND_IDENTIFY_HELP, SEND_TRACK_HELP, TOP_HELP } from './help.js';
import { importLines } from './import.js';
import { listen } from './listen.js';
import { send } from './send.js';

/** Help for `letterapp help <command…>`, keyed by the command as typed. */
const HELP_FOR: ReadonlyMap<string, string> = new Map([
  ['', TOP_HELP],
  ['listen', LISTEN_HELP],
  ['import', IMPORT_HELP],
  ['send', SEND_HELP],
  ['send track', SEND_TRACK_HELP],
  ['send identify', SEND_IDENTIFY_HELP],
  ['send group', SEND_GROUP_HELP],
]);

/** Runs one command line (without `node` and the script) and resolves with the exit status. */
async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'listen': return await listen(rest);
      case 'send': return await send(rest);
      case 'import': return await importLines(rest);
      case 'help': return help(rest.join(' '));
      case '-h':
      case '--help':
        process.stdout.write(TOP_HELP);
        return EXIT_OK;
      case '-v':
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return EXIT_OK;
      case undefined:
        // No command is a usage mistake: the help goes to stderr, where a script's log keeps it.
        process.stderr.write(TOP_HELP);
        return EXIT_USAGE;
      default:
        throw new UsageError(command.startsWith('-') ? `unknown flag ${command}` : `unknown command ${JSON.stringify(command)}; expected listen, send or import`, '');
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const name = error.command ? `letterapp ${error.command}` : 'letterapp';
    process.stderr.write(`${name}: ${error.message}\nRun '${name} --help' for usage.\n`);
    return EXIT_USAGE;
  }
}

function help(command: string): number {
  // A Map, not an object literal: `help constructor` or `help __proto__` must not find Object.prototype's members.
  const text = HELP_FOR.get(command);
  if (text === undefined) throw new UsageError(`no help for ${JSON.stringify(command)}; try listen, send, send track, send identify, send group or import`, '');
  process.stdout.write(text);
  return EXIT_OK;
}

// `listen | head` closes the pipe early: end quietly rather than with an EPIPE stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_OK);
  throw error;
});

// Until main() settles, the status is a failure: should the event loop ever empty while a command
// still waits on something, the process must not exit 0 as if it had succeeded.
process.exitCode = EXIT_FAILURE;
main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`letterapp: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  },
);
