/** The help texts, one per command; each ends with a newline. */

const EXIT_STATUS = 'Exit status: 0 delivered, 1 not delivered (the API\'s error is printed) or misconfigured, 2 bad command line.';

const SEND_COMMON_FLAGS = `  --timestamp TIME     when it happened: ISO 8601 with a zone (2026-11-22T10:15:30Z), a date,
                       or epoch milliseconds, not seconds: 1763806530000 (default: now)
  --message-id ID      idempotency key, 1-100 characters; reuse it when re-running a backfill so
                       the API deduplicates (default: a random UUID)
  --api-key KEY        API key (default: $LETTER_API_KEY; prefer the variable: flags are kept in
                       shell history and shown by ps)
  --base-url URL       API base URL (default: $LETTER_BASE_URL, else https://api.letter.app)
  -h, --help           show this help`;

/** `letterapp --help`. */
export const TOP_HELP = `Usage: letterapp <command> [flags]

The Letter SDK's command line: watch what your app sends, or send a message yourself.

Commands:
  listen                     run a local ingestion server and print each message as it arrives
  send track|identify|group  send one message to the Letter API: for scripts, backfills and
                             checking a key
  import FILE|-              send one message per line of an NDJSON file (or standard input):
                             backfills and replays, safe to re-run
  help [command]             show a command's help

Flags:
  -h, --help                 show this help
  -v, --version              print the version

Environment:
  LETTER_API_KEY             the API key 'send' and 'import' use
  LETTER_BASE_URL            where 'send' and 'import' deliver (default https://api.letter.app)
  NO_COLOR                   no colour in 'listen' output, even on a terminal

Run 'letterapp <command> --help' for a command's flags.
`;

/** `letterapp listen --help`. */
export const LISTEN_HELP = `Usage: letterapp listen [--port 8787] [--api-key KEY]

Runs a local Letter ingestion server on 127.0.0.1 that follows the API contract (API key, body
shape, limits, message_id deduplication) and prints each message it stores and each request it
rejects, one line each. Point your app at it:

  LETTER_BASE_URL=http://127.0.0.1:8787 node app.js

It listens on 127.0.0.1 only, and nothing is forwarded anywhere. Stop it with Ctrl+C.

Flags:
  --port PORT          port on 127.0.0.1; 0 picks a free one, printed at start (default 8787)
  --api-key KEY        accept only this key (default: any lt_live_... or lt_test_... key)
  -h, --help           show this help

Colour is used when stdout is a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 forces it on.
`;

/** `letterapp send --help`. */
export const SEND_HELP = `Usage: letterapp send <track|identify|group> [flags]

Sends one message through the letterapp SDK (validated, retried on 429, 5xx and network errors)
and waits for the API's answer.

  letterapp send track    --user-id ID --event NAME [--properties JSON]
  letterapp send identify --user-id ID [--email EMAIL] [--traits JSON] [--timezone ZONE]
  letterapp send group    --user-id ID --account-id ID [--name NAME] [--traits JSON]

Run 'letterapp send <track|identify|group> --help' for every flag.
${EXIT_STATUS}
`;

/** `letterapp send track --help`. */
export const SEND_TRACK_HELP = `Usage: letterapp send track --user-id ID --event NAME [flags]

Records something a user did.

Flags:
  --user-id ID         the user (required)
  --event NAME         what happened, such as "Signed Up" (required)
  --properties JSON    details of the event, a JSON object: '{"plan":"pro"}'
${SEND_COMMON_FLAGS}

${EXIT_STATUS}

Example:
  letterapp send track --user-id 42 --event "Signed Up" --properties '{"plan":"pro"}'
`;

/** `letterapp send identify --help`. */
export const SEND_IDENTIFY_HELP = `Usage: letterapp send identify --user-id ID [flags]

Records who a user is.

Flags:
  --user-id ID         the user (required)
  --email EMAIL        the user's email address
  --traits JSON        facts about the user, a JSON object: '{"name":"Ada","plan":"free"}'
  --timezone ZONE      the user's IANA time zone, such as Europe/London
${SEND_COMMON_FLAGS}

${EXIT_STATUS}

Example:
  letterapp send identify --user-id 42 --email ada@example.com --traits '{"name":"Ada"}'
`;

/** `letterapp send group --help`. */
export const SEND_GROUP_HELP = `Usage: letterapp send group --user-id ID --account-id ID [flags]

Records which account (workspace, organization) a user belongs to.

Flags:
  --user-id ID         the user (required)
  --account-id ID      the account (required)
  --name NAME          the account's display name
  --traits JSON        facts about the account, a JSON object: '{"plan":"team","mrr":49}'
${SEND_COMMON_FLAGS}

${EXIT_STATUS}

Example:
  letterapp send group --user-id 42 --account-id ws_9 --name Acme --traits '{"plan":"team"}'
`;

/** `letterapp import --help`. */
export const IMPORT_HELP = `Usage: letterapp import FILE [flags]
       letterapp import - [flags]        (read standard input)

Sends one message per line of an NDJSON file through the letterapp SDK (validated, batched,
retried on 429, 5xx and network errors), reading only as fast as the API takes them, so memory
stays flat whatever the file's size.

Each line is a JSON object with a "type" (identify, group or track) and the call's fields, in the
SDK's names or the wire's (both may be mixed in one file):

  {"type":"track","userId":"42","event":"Signed Up","properties":{"plan":"pro"}}
  {"type":"track","user_id":"42","event":"Signed Up","timestamp":"2026-11-22T10:15:30.123Z"}
  {"type":"group","user_id":"42","account_id":"ws_9","name":"Acme"}

Re-running is safe: a line without a message id is sent with one derived from its line number
and its text (a UUID from their SHA-256), so the same file gives the same ids and the API
deduplicates them. A numeric timestamp is epoch milliseconds; one below 100000000000 is refused
as epoch seconds.

A bad line (not JSON, an unknown type or field, a field the SDK refuses) is reported with its line
number and skipped; blank lines are ignored.

Flags:
  --strict             stop at the first bad line (exit status 2); lines before it are delivered
  --failed FILE        write the lines not delivered to FILE, to retry with 'letterapp import FILE':
                       lines the API refused or that failed after the retries, and with --strict
                       or a refused key every line from where the import stopped. Lines without a
                       message id get the one they were sent with, so a retry is deduplicated too.
                       Skipped bad lines are not written (they are listed on stderr).
  --progress-interval SECONDS
                       how often progress is printed when stderr is not a terminal (default 5);
                       on a terminal a progress bar is redrawn instead
  --api-key KEY        API key (default: $LETTER_API_KEY)
  --base-url URL       API base URL (default: $LETTER_BASE_URL, else https://api.letter.app)
  -h, --help           show this help

Exit status: 0 every line delivered; 1 some line not delivered or skipped as bad, or no API key;
2 the import could not run (bad command line, a missing or unreadable file) or --strict stopped it.

Example:
  letterapp import events.ndjson --failed retry.ndjson
  zcat events.ndjson.gz | letterapp import -
`;
