// How npm `dotenv` (v16-v18 `parse`) reads the same text, so the checker can warn where it and python-dotenv disagree.

// The line pattern npm dotenv documents and uses (lib/main.js), kept verbatim so the two readings stay comparable.
const NPM_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/**
 * The key/value map npm dotenv's `parse` returns, or null when V8 gives up on the pattern (very long quoted runs):
 * the comparison is then skipped rather than guessed.
 */
export function parseLikeNpmDotenv(text: string): Map<string, string> | null {
  const values = new Map<string, string>();
  const lines = text.replace(/\r\n?/gm, '\n');
  const re = new RegExp(NPM_LINE.source, NPM_LINE.flags);
  try {
    let m: RegExpExecArray | null;
    while ((m = re.exec(lines)) !== null) {
      let value = (m[2] ?? '').trim();
      const first = value[0];
      value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
      if (first === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
      values.set(m[1]!, value);
    }
  } catch {
    return null;
  }
  return values;
}
