// What the server's logs may say about a failure (spec/server.md: "never a
// token, key or password"). A database error carries the request's values:
// drizzle's message ends in "params: …" (every bound value: emails, license
// keys, hashes, a whole change's fields), PostgreSQL's `detail` quotes the row
// ("Key (email)=(ann@example.com) already exists"), and a data error quotes
// the value it refused. So a failure is logged by its names, codes, SQL text
// and stack frames only, never its values; and every line that leaves the
// process passes through `redact`, which masks anything shaped like a secret
// in case a message still carries one.

const SECRET_SHAPES: [RegExp, string][] = [
  // API keys, and whatever follows a Bearer or Basic scheme.
  [/\brk_[A-Za-z0-9_-]+/g, 'rk_[redacted]'],
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]'],
  // Passwords in URLs (a DATABASE_URL in a connection error).
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1[redacted]@'],
  // Generated license keys (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX).
  [/\b[A-Z2-9]{5}(?:-[A-Z2-9]{5}){4}\b/g, '[license key]'],
  // Device and session tokens (256 bits, base64url) and SHA-256 hex digests.
  [/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, '[token]'],
  [/\b[0-9a-f]{64}\b/gi, '[hash]'],
  // name=value and "name":"value" of anything called a password, token, key, secret, code or cookie.
  [/((?:password|passwd|secret|token|authorization|cookie|api[_-]?key|license[_-]?key|invite[_-]?code|pairing[_-]?code|code)"?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi, '$1[redacted]'],
];

/** The line with anything shaped like a secret masked. */
export function redact(line: string): string {
  let out = line;
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** An error's own message without the values it quotes: drizzle's "params: …" tail, and quoted literals after a colon (PostgreSQL's data errors). */
function messageOf(error: { message?: unknown }): string {
  const message = typeof error.message === 'string' ? error.message : String(error.message ?? '');
  return message
    .replace(/\n\s*params:[\s\S]*$/, '\nparams: [redacted]')
    .replace(/(:\s*)"[^"]*"/g, '$1"[redacted]"')
    .replace(/(=\s*)\([^)]*\)/g, '$1([redacted])');
}

/**
 * A failure for the log: each error of its cause chain by name, code and
 * message (values left out), then the first error's stack frames. Never an
 * error's `detail`, `parameters`, `params`, `where` or any other property.
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let frames = '';
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 6; depth++) {
    if (typeof e !== 'object') {
      parts.push(`thrown ${typeof e}`);
      break;
    }
    const err = e as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown; cause?: unknown };
    const code = typeof err.code === 'string' && /^[A-Z0-9_]{1,40}$/.test(err.code) ? ` [${err.code}]` : '';
    parts.push(`${typeof err.name === 'string' ? err.name : 'Error'}${code}: ${messageOf(err)}`);
    if (!frames && typeof err.stack === 'string') {
      frames = err.stack
        .split('\n')
        .filter((l) => /^\s+at /.test(l))
        .join('\n');
    }
    e = err.cause;
  }
  return redact(`${parts.join('\n  caused by ')}${frames ? `\n${frames}` : ''}`);
}
