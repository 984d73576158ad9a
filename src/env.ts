/**
 * An environment variable, or undefined where there is no `process` or reading is not allowed
 * (Deno without `--allow-env` throws NotCapable instead of returning undefined). A missing
 * LETTER_API_KEY then becomes the usual `config` LetterError, not a runtime's own exception.
 */
export function readEnv(name: string): string | undefined {
  try {
    return typeof process === 'undefined' ? undefined : process.env[name];
  } catch {
    return undefined;
  }
}
