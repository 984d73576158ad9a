import { parseArgs } from 'node:util';
import { closestName } from '../closest-name.js';
import { describeThrown } from '../describe.js';

/** Exit statuses, documented in the help texts: scripts branch on them. */
export const EXIT_OK = 0;
/** Not delivered, misconfigured, or the server could not start. */
export const EXIT_FAILURE = 1;
/** The command line itself is wrong: unknown command or flag, missing or malformed value. */
export const EXIT_USAGE = 2;

/** A mistake on the command line: printed with a pointer to `--help`, exit status 2. */
export class UsageError extends Error {
  /** The command whose help to point at, such as `send track`; empty for the top level. */
  readonly command: string;

  constructor(message: string, command: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** The flag table `parseArgs` takes, as each command declares it. */
type FlagTable = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** What `parseArgs` makes of `T` in strict mode: each flag's value, typed from the table. */
type ParsedFlags<T extends FlagTable> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>['values'];

/**
 * Parses `args` against `flags` strictly (no positionals), turning `parseArgs`' errors into a
 * {@link UsageError} in the CLI's own words, with a suggestion for `--userId` or `--user_id`.
 */
export function parseFlags<const T extends FlagTable>(args: string[], flags: T, command: string): ParsedFlags<T> {
  try {
    return parseArgs({ args, options: flags, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(describeParseError(error, Object.keys(flags)), command);
  }
}

/** What `parseArgs` makes of `T` with operands allowed: the flags, and the operands in order. */
type ParsedCommand<T extends FlagTable> = {
  values: ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>>['values'];
  operands: string[];
};

/** Like {@link parseFlags}, for a command that also takes operands (`letterapp import FILE`); a lone `-` is an operand. */
export function parseCommand<const T extends FlagTable>(args: string[], flags: T, command: string): ParsedCommand<T> {
  try {
    const { values, positionals } = parseArgs({ args, options: flags, strict: true, allowPositionals: true });
    return { values, operands: positionals };
  } catch (error) {
    throw new UsageError(describeParseError(error, Object.keys(flags)), command);
  }
}

function describeParseError(error: unknown, known: string[]): string {
  const code = (error as { code?: unknown }).code;
  const message = describeThrown(error);
  // Node quotes the offending word: "Unknown option '--foo'", "Unexpected argument 'x'. …".
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${quoted}${suggest(quoted, known)}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${JSON.stringify(quoted)}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = quoted.split(' ')[0];
    if (/argument missing/.test(message)) return `${flag} needs a value`;
    if (/does not take an argument/.test(message)) return `${flag} does not take a value`;
    // A value starting with a dash reads as a flag: "--user-id -5" must be written "--user-id=-5".
    if (/ambiguous/.test(message)) return `${flag} needs a value; for one starting with "-", write ${flag}=VALUE`;
  }
  return message.split('\n')[0] ?? message;
}

/** `--userId`, `--user_id`, `--USER-ID` and `--user-di` are common slips for `--user-id`: name the real flag. */
function suggest(flag: string, known: string[]): string {
  const match = closestName(flag.replace(/^-+/, ''), known);
  return match === undefined ? '' : ` (did you mean --${match}?)`;
}
